"""The batch circuit: what every margin model proves about a batch of accounts.

A model circuit subclasses :class:`BatchCircuit`, names the market encoding it consumes
(``model``) and implements :meth:`BatchCircuit.requirement`; the base class does the rest:

1. market parameters: private input ``market`` (the value part of
   :func:`~zkmargin.batch.market_params.market_params`), hashed in-circuit together with the
   structure constants the circuit was compiled for (``market_hash/...``);
2. padding: ``count`` real accounts at positions ``0 .. count − 1``, as decreasing booleans
   ``real[i]`` (``padding/real[i]/boolean``, ``padding/real[i]/ordered``, ``padding/count``);
   every amount of a padded slot must be 0 (``account[i]/padding/position[j]``,
   ``.../balance[j]``) and its tree leaf is the zero leaf, so a padded slot can neither hide a
   real account nor count one;
3. per account ``account[i]/...``: positions signed 64-bit (``position[j]/signed_range64``),
   balances 64-bit (``balance[j]/range64``), the leaf (:func:`~zkmargin.batch.encoding.account_leaf`),
   the collateral value (``collateral/...``) and the model's requirement (``requirement/...``),
   and ``collateral·10^6 >= (10^6 + buffer)·requirement`` (``margin/covered/recompose``);
4. the batch tree root over the leaves (``tree/...``), the totals (sums of proven figures) and
   ``statement``: the in-circuit statement hash equals the public input;
5. ``circuit_digest``: the statement's digest field is the constant :attr:`digest_value`, the
   digest of this constraint system (:mod:`zkmargin.batch.digest`; 0 unless compiled with it).

Money figures (collateral values, requirements, per-scenario losses) are integers at 10^-8
and must be below 2^:data:`MONEY_BITS` (about 4.7·10^13 quote units): a larger account is
unsatisfiable, never wrapped.

>>> from zkmargin.batch import load_model_circuit
>>> from zkmargin.circuit import check, compile_circuit
>>> from zkmargin.margin import Account, parse_market
>>> market = parse_market({"epoch": "2026-11-20T08:00:00Z", "assets": {"USDT": {"price": "1"}},
...     "underlyings": {"BTC": {"price": "20000"}},
...     "instruments": {"BTC-PERP": {"kind": "perpetual", "underlying": "BTC",
...                                  "brackets": [["0", "0.005", "0.02"]]}},
...     "model": {"name": "cross", "buffer": "0.1"}})
>>> Cross = load_model_circuit("cross")
>>> circuit = Cross(market, batch_size=2)
>>> compiled = compile_circuit(circuit)
>>> alice = Account("alice", {"BTC-PERP": 10**8}, {"USDT": 110 * 10**8})   # needs 100 + 10 %
>>> inputs, statement = Cross.witness_inputs(market, [alice], salts=[7], first_index=0,
...                                          epoch=1_763_625_600, batch_size=2)
>>> witness = compiled.solve(inputs)
>>> check(compiled.r1cs, witness)
>>> circuit.figures(witness), statement.count, compiled.public_values(witness) == [statement.hash()]
([(11000000000, 10000000000), (0, 0)], 1, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from zkmargin.batch.accounts import account_vectors, batch_tree, tree_depth
from zkmargin.batch.arith import bounded_sum, product, rescale_sum, tier_slices
from zkmargin.batch.digest import DIGEST_CONSTRAINT
from zkmargin.batch.encoding import (
    EXTENDED_LEAF_TAG,
    LEAF_TAG,
    account_leaf,
    circuit_id,
    id_hash,
)
from zkmargin.batch.market_params import WINDOWS, MarketParams, market_params, params_hash
from zkmargin.batch.statement import STATEMENT_TAG, Statement
from zkmargin.circuit import API, LC, Circuit, Public, Secret
from zkmargin.circuit.gadgets import Bounded, assert_nonnegative, range_check
from zkmargin.circuit.gadgets.bits import assert_bool, decompose
from zkmargin.field import BN254_FR
from zkmargin.margin.calculator import calculate
from zkmargin.margin.collateral import BALANCE_PRICE_DIVISOR
from zkmargin.margin.domain import Account, Market
from zkmargin.margin.fixed import QTY_BOUND, RATE_SCALE

MONEY_BITS = 72
"""Width of every per-account money figure (10^-8 units): below 2^72, about 4.7·10^13."""
QTY_BITS = 64
BALANCE_BITS = 64


@dataclass
class AccountWires:
    """One account slot inside ``define``: proven positions and balances, plus helpers.

    ``positions[j]`` is signed (``[-2^63, 2^63)``), ``balances[j]`` unsigned 64-bit;
    ``long[j]`` is the boolean ``q_j >= 0`` read off the range check's top bit.
    """

    api: API
    index: int
    positions: list[Bounded]
    long: list[Bounded]
    balances: list[Bounded]
    extra: list[Bounded] = field(default_factory=list)
    """The model's extra leaf values (:meth:`BatchCircuit.check_extra`), if any."""
    notes: dict[str, Any] = field(default_factory=dict)
    """Values a model's hooks hand each other (e.g. both levels' requirements for health)."""
    _long_parts: dict[int, Bounded] = field(default_factory=dict)

    def _long_part(self, j: int) -> Bounded:
        if j not in self._long_parts:
            with self.api.namespace(f"position[{j}]"):
                self._long_parts[j] = product(
                    self.api, self.long[j], self.positions[j], "long_part"
                )
        return self._long_parts[j]

    def size(self, j: int) -> Bounded:
        """``|q_j|`` (one constraint per instrument, shared with :meth:`short`)."""
        return 2 * self._long_part(j) - self.positions[j]

    def short(self, j: int) -> Bounded:
        """``max(−q_j, 0)``: the short size."""
        return self._long_part(j) - self.positions[j]


class BatchCircuit(Circuit):
    """Base class of the margin circuits: ``cls(market, batch_size)``; see the module docstring.

    Subclasses set ``model`` (the market encoding: ``collateral``, ``cross``, ``scenario``,
    ``greeks``) and implement :meth:`requirement`; ``name`` (default: the class name in lower
    case) enters the circuit id. Further hooks (extended leaf values, the model's own statement
    totals, ``proves_cover``, ``shortfalls``) are listed in ``docs/circuits.md``; used by the
    ``isolated`` and ``health`` circuits, and absent ones change no constraint.
    """

    model: ClassVar[str] = "collateral"
    name: ClassVar[str] = ""
    proves_cover: ClassVar[bool] = True
    """Whether every account must cover its buffered requirement (``margin/covered``). A
    circuit that reports states instead (``health``) sets it False."""
    statement_extra_names: ClassVar[tuple[str, ...]] = ()
    """Names of the model's own statement totals (:attr:`Statement.extra`), in order."""
    padding_counts: ClassVar[tuple[str, ...]] = ()
    """Those of them that count accounts, padding included: left out of a report whose number
    of accounts is hidden (health's ``healthy``)."""
    claim_text: ClassVar[str] = "meets its {level} margin{buffer} under the {model} model"
    """What the circuit proves of each account (:func:`zkmargin.batch.claims.claim`)."""

    def __init__(self, market: Market, batch_size: int) -> None:
        self.params_int = market_params(market, model=self.model)
        self.batch_size = batch_size
        self.depth = tree_depth(batch_size)
        self.n_instruments = len(market.instruments)
        self.n_assets = len(market.assets)
        self.circuit_id = circuit_id(self.circuit_name(), batch_size, self.params_int.structure())
        self.statement = Public()
        self.market = Secret(len(self.params_int.values()))
        self.epoch = Secret()
        self.first_index = Secret()
        self.count = Secret()
        self.id_hash = Secret(batch_size)
        self.salt = Secret(batch_size)
        self.positions = Secret(batch_size, self.n_instruments)
        self.balances = Secret(batch_size, self.n_assets)
        self.n_extra = self.extra_size(market)
        if self.n_extra:  # declared only when used: the other circuits keep their inputs
            self.extra = Secret(batch_size, self.n_extra)
        self.circuit_digest = Secret()
        # the constant that input is bound to (zkmargin.batch.digest.compile_with_digest)
        self.digest_value = 0
        # Filled by define (compile_circuit works on a shallow copy, so this dict is shared).
        self.trace: dict[str, Any] = {}

    source: ClassVar[str] = ""
    """``file:<file name>[:Class]`` for a class loaded from a path (set by the loader): its
    name then, never a name of its own choosing, so it cannot pass as a built-in circuit."""

    @classmethod
    def circuit_name(cls) -> str:
        return cls.source or cls.name or cls.__name__.lower()

    # -- hooks for model circuits -------------------------------------------------------------
    def requirement(self, api: API, account: AccountWires, params: MarketParams) -> Bounded:
        """The account's requirement at the market's level (money, ``>= 0``)."""
        raise NotImplementedError

    @classmethod
    def extra_size(cls, market: Market) -> int:
        """Per-account values the model adds to the leaf (:meth:`leaf_extra`); default none."""
        return 0

    @classmethod
    def leaf_extra(cls, market: Market, account: Account) -> list[int]:
        """The account's :meth:`extra_size` leaf values (integers, reference side)."""
        return []

    def check_extra(self, api: API, account: AccountWires, extra: list[LC]) -> list[Bounded]:
        """Range-check the slot's extra inputs (``account[i]/extra/...``); they are hashed into
        the leaf and must be 0 in a padded slot. Must be overridden when :meth:`extra_size` > 0."""
        raise NotImplementedError

    def account_totals(
        self,
        api: API,
        account: AccountWires,
        params: MarketParams,
        real: LC,
        collateral: Bounded,
        requirement: Bounded,
    ) -> list[Bounded]:
        """The slot's contributions to :attr:`statement_extra_names` (bounded, 0 when padded;
        ``real`` is the slot's 0/1 flag). Default: none."""
        return []

    @classmethod
    def statement_extra(
        cls, market: Market, accounts: Sequence[Account], result: Any
    ) -> tuple[int, ...]:
        """The reference values of :attr:`statement_extra_names` (``result``: the third item of
        :meth:`reference_figures`)."""
        return ()

    @classmethod
    def account_leaf(cls, market: Market, account: Account, salt: int) -> int:
        """The account's leaf as this circuit commits it (receipts and inclusion checks)."""
        positions, balances = account_vectors(market, account)
        extra = cls.leaf_extra(market, account)
        return account_leaf(id_hash(account.id), salt, positions, balances, extra=extra)

    @classmethod
    def shortfalls(cls, market: Market, accounts: Sequence[Account]) -> list[int]:
        """Per account, how much money short of what this circuit proves it is (0: provable).

        Default: ``threshold(requirement) − collateral`` when positive (``margin/covered``)."""
        collateral, requirement, _ = cls.reference_figures(market, accounts)
        if not cls.proves_cover:
            return [0] * len(collateral)
        buffer = market.model.buffer
        return [
            max(0, -(-r * (RATE_SCALE + buffer) // RATE_SCALE) - c)
            for c, r in zip(collateral, requirement, strict=True)
        ]

    def account_figures(
        self, api: API, account: AccountWires, params: MarketParams
    ) -> tuple[Bounded, Bounded]:
        """(collateral value, requirement) of one account; override to change both."""
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, params)
        with api.namespace("requirement"):
            requirement = self.requirement(api, account, params)
        return collateral, requirement

    def collateral_value(
        self, api: API, account: AccountWires, params: MarketParams, *, exact: bool = False
    ) -> Bounded:
        """Σ over assets of the tiered haircut value of ``floor(balance × price / 10^8)``.

        Each asset value is proven exact (``asset[j]/value/...``); the tier terms ``slice ×
        ratio`` of every asset are summed and rescaled once, rounded down (``haircut/...``),
        which a dishonest prover can only move down by a few units. ``exact=True`` proves that
        rescale exact (``haircut/remainder_lt_divisor/...``): for circuits that compare the
        value with thresholds both ways (health).
        """
        terms = []
        for j, (b, price, tiers) in enumerate(
            zip(account.balances, params.price, params.tiers, strict=True)
        ):
            with api.namespace(f"asset[{j}]"):
                value = rescale_sum(
                    api,
                    [product(api, b, price, "balance_x_price")],
                    BALANCE_PRICE_DIVISOR,
                    up=False,
                    bits=MONEY_BITS,
                    signed=False,
                    name="value",
                )
                slices = tier_slices(api, value, [t.floor for t in tiers])
                for k, (part, tier) in enumerate(zip(slices, tiers, strict=True)):
                    terms.append(product(api, part, tier.ratio, f"tier[{k}]/x_ratio"))
        return rescale_sum(
            api,
            terms,
            RATE_SCALE,
            up=False,
            bits=MONEY_BITS,
            signed=False,
            name="haircut",
            exact=exact,
        )

    # -- the circuit --------------------------------------------------------------------------
    def define(self, api: API) -> None:
        from zkmargin.circuit.gadgets import poseidon_hash, poseidon_sponge

        params = self.params_int.with_values(
            [
                Bounded(api, wire, *WINDOWS[kind])
                for wire, kind in zip(self.market, self.params_int.kinds(), strict=True)
            ]
        )
        # The values' windows are not re-checked here: the hash binds them to a market whose
        # encoding refused anything outside WINDOWS (market_params), which the verifier rebuilds.
        with api.namespace("market_hash"):
            m_hash = poseidon_sponge(api, [*self.params_int.structure(), *self.market])
        real = self._padding(api)
        leaves, coll, reqs = [], [], []
        asset_totals: list[list[Bounded]] = [[] for _ in range(self.n_assets)]
        extra_totals: list[list[Bounded]] = [[] for _ in self.statement_extra_names]
        for i in range(self.batch_size):
            with api.namespace(f"account[{i}]"):
                acct = self._account(api, i)
                if self.n_extra:
                    with api.namespace("extra"):
                        acct.extra = self.check_extra(api, acct, list(self.extra[i]))
                padded = [("position", acct.positions), ("balance", acct.balances)]
                if self.n_extra:
                    padded.append(("extra", acct.extra))
                with api.namespace("padding"):
                    for kind, xs in padded:
                        for j, x in enumerate(xs):
                            api.assert_product(1 - real[i], x.lc, 0, name=f"{kind}[{j}]")
                with api.namespace("leaf"):
                    header = [LEAF_TAG, self.n_instruments, self.n_assets]
                    if self.n_extra:
                        header = [EXTENDED_LEAF_TAG, *header[1:], self.n_extra]
                    leaf = poseidon_sponge(
                        api,
                        [
                            *header,
                            self.id_hash[i],
                            self.salt[i],
                            *acct.positions,
                            *acct.balances,
                            *acct.extra,
                        ],
                    )
                    leaves.append(api.mul(real[i], leaf, name="real_or_zero"))
                collateral, requirement = self.account_figures(api, acct, params)
                if self.proves_cover:
                    with api.namespace("margin"):
                        buffered = product(api, requirement, params.buffer, "buffer_x_requirement")
                        gap = collateral * RATE_SCALE - requirement * RATE_SCALE - buffered
                        assert_nonnegative(api, gap, name="covered")
                totals = self.account_totals(api, acct, params, real[i], collateral, requirement)
                if len(totals) != len(extra_totals):
                    raise ValueError(
                        f"account_totals gave {len(totals)} values for "
                        f"{len(extra_totals)} statement_extra_names"
                    )
                for acc, t in zip(extra_totals, totals, strict=True):
                    acc.append(t)
                coll.append(collateral)
                reqs.append(requirement)
                self.trace.setdefault("figures", []).append((collateral, requirement))
                for j, b in enumerate(acct.balances):
                    asset_totals[j].append(b)
        with api.namespace("tree"):
            level: list[LC | int] = list(leaves) + [0] * ((1 << self.depth) - len(leaves))
            for h in range(self.depth):
                with api.namespace(f"level[{h}]"):
                    level = [
                        poseidon_hash(api, [level[2 * k], level[2 * k + 1]])
                        for k in range(len(level) // 2)
                    ]
            root = level[0]
        self.trace.update(market_hash=m_hash, leaves=leaves, root=api.lc(root))
        with api.namespace("statement_hash"):
            digest = poseidon_sponge(
                api,
                [
                    STATEMENT_TAG,
                    root,
                    m_hash,
                    self.circuit_id,
                    self.circuit_digest,
                    self.epoch,
                    self.first_index,
                    self.count,
                    bounded_sum(api, coll),
                    bounded_sum(api, reqs),
                    *(bounded_sum(api, t) for t in asset_totals),
                    *(bounded_sum(api, t) for t in extra_totals),
                ],
            )
        self.trace["statement_hash"] = digest
        api.assert_equal(digest, self.statement, name="statement")
        api.assert_equal(self.circuit_digest, self.digest_value, name=DIGEST_CONSTRAINT)

    def traced(self, name: str, witness: Sequence[int]) -> Any:
        """A value ``define`` recorded (``market_hash``, ``root``, ``statement_hash``: field
        elements; ``leaves``: per slot), evaluated in ``witness``. For tests and debugging."""
        p = BN254_FR.p
        value = self.trace[name]

        def ev(lc: LC) -> int:
            return sum(c * witness[w] for w, c in lc.terms.items()) % p

        return [ev(v) for v in value] if isinstance(value, list) else ev(value)

    def figures(self, witness: Sequence[int]) -> list[tuple[int, int]]:
        """Per slot, (collateral value, requirement) as the circuit computed them in ``witness``.

        Available once this object has been compiled (``compile_circuit(circuit)``).
        """
        if "figures" not in self.trace:
            raise RuntimeError("compile the circuit first")
        p = BN254_FR.p

        def value(b: Bounded) -> int:
            return b.integer(sum(c * witness[w] for w, c in b.terms.items()) % p)

        return [(value(c), value(r)) for c, r in self.trace["figures"]]

    def _padding(self, api: API) -> list[LC]:
        """``real[i] = [i < count]`` as decreasing booleans summing to count."""
        with api.namespace("padding"):
            count = self.count

            def flags(c: int) -> list[int]:
                return [int(i < c) for i in range(self.batch_size)]

            real = api.hint(flags, count, n_out=self.batch_size, name="real")
            for i, r in enumerate(real):
                assert_bool(api, r, name=f"real[{i}]/boolean")
                if i:
                    api.assert_product(r, 1 - real[i - 1], 0, name=f"real[{i}]/ordered")
            api.assert_equal(sum(real[1:], real[0]), count, name="count")
        return real

    def _account(self, api: API, i: int) -> AccountWires:
        positions, long = [], []
        for j, q in enumerate(self.positions[i]):
            with api.namespace(f"position[{j}]"), api.namespace(f"signed_range{QTY_BITS}"):
                bits = decompose(api, q + QTY_BOUND, QTY_BITS)
            positions.append(Bounded(api, q, -QTY_BOUND, QTY_BOUND - 1))
            long.append(Bounded(api, bits[-1], 0, 1))
        balances = []
        for j, b in enumerate(self.balances[i]):
            with api.namespace(f"balance[{j}]"):
                balances.append(range_check(api, b, BALANCE_BITS))
        return AccountWires(api, i, positions, long, balances)

    # -- witness --------------------------------------------------------------------------------
    @classmethod
    def reference_figures(
        cls, market: Market, accounts: Sequence[Account]
    ) -> tuple[list[int], list[int], Any]:
        """(collateral values, requirements, calculator result) from the reference calculator."""
        result = calculate(market, accounts, model=cls.model, mode="exact")
        collateral = [int(x) for x in result.collateral_value]
        return collateral, [int(x) for x in result.requirement], result

    @classmethod
    def witness_inputs(
        cls,
        market: Market,
        accounts: Sequence[Account],
        salts: Sequence[int],
        first_index: int,
        epoch: int,
        *,
        batch_size: int | None = None,
        circuit_digest: int = 0,
    ) -> tuple[dict[str, Any], Statement]:
        """Inputs for ``compiled.solve`` and the statement they prove.

        ``batch_size`` defaults to ``len(accounts)``; slots past the accounts are padding.
        ``circuit_digest``: the compiled circuit's :attr:`digest_value`.
        Figures and totals come from the reference calculator (exact mode).
        """
        accounts = list(accounts)
        size = batch_size if batch_size is not None else len(accounts)
        if not 0 < len(accounts) <= size or len(salts) != len(accounts):
            raise ValueError(f"need 1..{size} accounts and one salt per account")
        p = BN254_FR.p
        params = market_params(market, model=cls.model)
        collateral, requirement, result = cls.reference_figures(market, accounts)
        _check_windows(accounts, collateral, requirement, result.intermediates)
        positions = [[int(x) for x in row] for row in result.intermediates["positions"]]
        balances = [[int(x) for x in row] for row in result.intermediates["balances"]]
        ids = [id_hash(a.id) for a in accounts]
        extra = [cls.leaf_extra(market, a) for a in accounts]
        leaves = [
            account_leaf(h, s, q, b, extra=x)
            for h, s, q, b, x in zip(ids, salts, positions, balances, extra, strict=True)
        ]
        pad = size - len(accounts)
        statement = Statement(
            batch_root=batch_tree(leaves, size).root,
            market_hash=params_hash(params),
            circuit_id=circuit_id(cls.circuit_name(), size, params.structure()),
            epoch=epoch,
            first_index=first_index,
            count=len(accounts),
            total_collateral=sum(collateral),
            total_requirement=sum(requirement),
            asset_totals=tuple(sum(col) for col in zip(*balances, strict=True))
            if balances and balances[0]
            else (0,) * len(market.assets),
            extra=cls.statement_extra(market, accounts, result),
            circuit_digest=circuit_digest,
        )
        inputs = {
            "statement": statement.hash(),
            "market": [v % p for v in params.values()],
            "epoch": epoch,
            "first_index": first_index,
            "count": len(accounts),
            "id_hash": ids + [0] * pad,
            "salt": [s % p for s in salts] + [0] * pad,
            "positions": [[q % p for q in row] for row in positions]
            + [[0] * len(market.instruments)] * pad,
            "balances": balances + [[0] * len(market.assets)] * pad,
            "circuit_digest": circuit_digest,
        }
        n_extra = cls.extra_size(market)
        if n_extra:
            inputs["extra"] = [[v % p for v in row] for row in extra] + [[0] * n_extra] * pad
        return inputs, statement


def _check_windows(
    accounts: Sequence[Account],
    collateral: Sequence[int],
    requirement: Sequence[int],
    intermediates: dict[str, Any],
) -> None:
    """A clear error for an account whose money figures leave the circuit's window (the
    witness would only fail a range check deep inside)."""
    limit = 1 << MONEY_BITS
    money = [k for k in intermediates if k not in ("positions", "balances", "bracket")]
    for i, acct in enumerate(accounts):
        named = {"collateral value": collateral[i], "requirement": requirement[i]}
        for k in money:
            values = intermediates[k][i]
            named[k] = max((abs(int(v)) for v in getattr(values, "flat", [values])), default=0)
        for what, v in named.items():
            if abs(v) >= limit:
                raise ValueError(
                    f"account {acct.id}: {what} {v} exceeds the circuit's {MONEY_BITS}-bit window"
                )


__all__ = ["MONEY_BITS", "AccountWires", "BatchCircuit", "tree_depth"]
