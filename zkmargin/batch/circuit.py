"""The batch circuit: what every margin model proves about a batch of accounts.

A circuit is fixed by its model and :class:`~zkmargin.batch.shape.Shape` (batch size, position
slots K, table capacity, ...), never by a market's contents. A model circuit subclasses
:class:`BatchCircuit`, declares the table columns it reads (:meth:`BatchCircuit.table_columns`,
:meth:`BatchCircuit.table_rows`) and implements :meth:`BatchCircuit.requirement`; the base class
does the rest:

1. the market: private inputs ``vector`` (the market vector, hashed in-circuit:
   ``market_hash/...``) and ``table_root`` (the instrument table's root); in ``scan`` lookup the
   whole table too (``table/...``) — :mod:`zkmargin.batch.table`, :mod:`zkmargin.batch.lookup`;
2. padding: ``count`` real accounts at positions ``0 .. count − 1``, as decreasing booleans
   ``real[i]`` (``padding/real[i]/boolean``, ``padding/real[i]/ordered``, ``padding/count``);
   every amount of a padded slot must be 0 (``account[i]/padding/slot[k]``,
   ``.../balance[j]``) and its tree leaf is the zero leaf, so a padded slot can neither hide a
   real account nor count one;
3. per account ``account[i]/...``: its K position slots (:mod:`zkmargin.batch.slots`:
   ``slot[k]/index/...``, ``slot[k]/quantity/...``, ``slot[k]/used/...``, ``slot[k]/unused/...``,
   ``slot[k]/used_first``, ``slot[k]/increasing/...``), each slot's table row against the root
   (``slot[k]/row/...``, ``slot[k]/listed``), balances 64-bit (``balance[j]/range64``), the leaf
   (:func:`~zkmargin.batch.encoding.account_leaf`), the collateral value (``collateral/...``)
   and the model's requirement (``requirement/...``), and ``collateral·10^6 >= (10^6 +
   buffer)·requirement`` (``margin/covered/recompose``);
4. the batch tree root over the leaves (``tree/...``), the totals (sums of proven figures) and
   the statement: with the shape's ``statement=hash``, ``statement``: the in-circuit statement
   hash equals the one public input; with ``statement=fields``, ``statement/<field>``: each
   in-circuit field equals its public input (``Statement.fields()`` order, none left free);
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
...                                  "risk_array": ["-2", "-1", "0", "1", "2", "3", "4", "5", "6", "7"]}},
...     "model": {"name": "scenario", "grid": "finra10", "buffer": "0.1"}})
>>> Scenario = load_model_circuit("scenario")
>>> circuit = Scenario(market, batch_size=2)
>>> circuit.shape.slots, circuit.shape.instruments, circuit.shape.lookup
(1, 1, 'scan')
>>> compiled = compile_circuit(circuit)
>>> alice = Account("alice", {"BTC-PERP": 10**8}, {"USDT": 110 * 10**8})   # loses 7 + 10 %
>>> inputs, statement = Scenario.witness_inputs(market, [alice], salts=[7], first_index=0,
...                                             epoch=1_763_625_600, shape=circuit.shape)
>>> witness = compiled.solve(inputs)
>>> check(compiled.r1cs, witness)
>>> circuit.figures(witness), statement.count, compiled.public_values(witness) == [statement.hash()]
([(11000000000, 700000000), (0, 0)], 1, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from zkmargin.batch.accounts import batch_tree, tree_depth
from zkmargin.batch.arith import bounded_sum, product, rescale_sum, tier_slices
from zkmargin.batch.digest import DIGEST_CONSTRAINT
from zkmargin.batch.encoding import (
    EXTENDED_LEAF_TAG,
    LEAF_TAG,
    account_commitment,
    account_leaf,
    circuit_id,
)
from zkmargin.batch.lookup import (
    path_width,
    prove_row_merkle,
    prove_table_scan,
    select_row_scan,
)
from zkmargin.batch.shape import Shape, check_market_fits
from zkmargin.batch.slots import SlotWires, account_slots, prove_slots
from zkmargin.batch.statement import STATEMENT_TAG, Statement, public_count
from zkmargin.batch.table import (
    LISTED,
    VECTOR_TAG,
    WINDOWS,
    Column,
    InstrumentTable,
    MarketVector,
    market_vector,
    vector_layout,
)
from zkmargin.circuit import API, LC, Circuit, Public, Secret
from zkmargin.circuit.gadgets import Bounded, assert_nonnegative, range_check
from zkmargin.circuit.gadgets.bits import assert_bool
from zkmargin.field import BN254_FR
from zkmargin.margin.calculator import calculate
from zkmargin.margin.collateral import BALANCE_PRICE_DIVISOR
from zkmargin.margin.domain import Account, Market
from zkmargin.margin.fixed import RATE_SCALE

MONEY_BITS = 72
"""Width of every per-account money figure (10^-8 units): below 2^72, about 4.7·10^13."""
BALANCE_BITS = 64


@dataclass
class AccountWires:
    """One account inside ``define``: its proven slots (each with its table row) and balances.

    ``slots[k].quantity`` is signed (``[-2^63, 2^63)``), ``slots[k].row[column]`` the slot's
    table row (0 for an unused slot's quantity, whatever its row), ``balances[j]`` unsigned
    64-bit (asset order, padded to the shape's assets).
    """

    api: API
    index: int
    slots: list[SlotWires]
    balances: list[Bounded]
    extra: list[Bounded] = field(default_factory=list)
    """The model's extra leaf values (:meth:`BatchCircuit.check_extra`), if any."""
    notes: dict[str, Any] = field(default_factory=dict)
    """Values a model's hooks hand each other (e.g. group flags, both levels' requirements)."""


@dataclass(frozen=True)
class MarketData:
    """What a market gives a circuit of one shape: the vector and (if read) the table."""

    vector: MarketVector[int]
    table: InstrumentTable | None

    @property
    def table_root(self) -> int:
        return self.table.root if self.table is not None else 0


_MARKET_CACHE: dict[tuple[type, int, Shape], tuple[Market, MarketData]] = {}


class BatchCircuit(Circuit):
    """Base class of the margin circuits: ``cls(market, batch_size, **shape_params)`` or
    ``cls(shape=shape)``; see the module docstring.

    Subclasses set ``model`` (the reference calculator's model whose figures they prove),
    ``shape_fields`` (the optional shape fields they read: ``underlyings``, ``scenarios``),
    declare their table (:meth:`table_columns`, :meth:`table_rows`) and implement
    :meth:`requirement`; ``name`` (default: the class name in lower case) enters the circuit id.
    Further hooks (extended leaf values, the model's own statement totals, ``proves_cover``,
    ``shortfalls``) are listed in ``docs/circuits.md``.
    """

    model: ClassVar[str] = "collateral"
    name: ClassVar[str] = ""
    shape_fields: ClassVar[tuple[str, ...]] = ()
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

    def __init__(
        self,
        market: Market | None = None,
        batch_size: int | None = None,
        *,
        shape: Shape | None = None,
        **params: Any,
    ) -> None:
        if shape is None:
            if market is None or batch_size is None:
                raise TypeError("give a market and a batch_size (and shape parameters), or shape=")
            shape = self.shape_for(market, batch_size, **params)
        elif params:
            raise TypeError("shape parameters go with a market, not with shape=")
        self.shape = shape
        self.batch_size = shape.batch_size
        self.depth = tree_depth(shape.batch_size)
        self.columns = self.columns_of(shape)
        self.circuit_id = circuit_id(self.circuit_name(), shape.batch_size, shape.encoding())
        self.vector_layout = vector_layout(shape)
        K, A = shape.slots, shape.assets
        if shape.statement == "fields":
            self.statement = Public(self.public_count(shape))
        else:
            self.statement = Public()
        self.vector = Secret(len(self.vector_layout.values()))
        if self.columns:
            self.table_root = Secret()
        self.epoch = Secret()
        self.previous = Secret()
        self.first_index = Secret()
        self.count = Secret()
        self.account = Secret(shape.batch_size)  # each account's commitment (pseudonym)
        self.salt = Secret(shape.batch_size)
        self.slot_index = Secret(shape.batch_size, K)
        self.slot_quantity = Secret(shape.batch_size, K)
        self.balances = Secret(shape.batch_size, A)
        if self.columns and shape.lookup == "merkle":
            self.rows = Secret(shape.batch_size, K, len(self.columns))
            self.paths = Secret(shape.batch_size, K, path_width(shape.index_bits))
        elif self.columns:
            self.table = Secret(shape.instruments, len(self.columns))
        self.n_extra = self.extra_size(shape)
        if self.n_extra:  # declared only when used: the other circuits keep their inputs
            self.extra = Secret(shape.batch_size, self.n_extra)
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

    @classmethod
    def public_count(cls, shape: Shape) -> int:
        """The number of public inputs of this circuit at ``shape`` (its ``nPublic``)."""
        return public_count(shape.statement, shape.assets, len(cls.statement_extra_names))

    @classmethod
    def shape_for(cls, market: Market, batch_size: int, **params: Any) -> Shape:
        """The shape for ``market`` (defaults inferred, ``params`` override them), checked to
        hold the market: ``InputError`` naming what does not fit."""
        shape = Shape.infer(market, batch_size).with_params(params).only(cls.shape_fields)
        check_market_fits(market, shape)
        return shape

    @classmethod
    def columns_of(cls, shape: Shape) -> tuple[Column, ...]:
        """The table's columns: ``listed`` then the model's; none for a model that reads none."""
        own = tuple(cls.table_columns(shape))
        return (LISTED, *own) if own else ()

    # -- hooks for model circuits -------------------------------------------------------------
    @classmethod
    def table_columns(cls, shape: Shape) -> Sequence[Column]:
        """The per-instrument integers the model reads, as table columns (default: none — the
        circuit then proves no rows and its ``table_root`` is 0)."""
        return ()

    @classmethod
    def table_rows(cls, market: Market, shape: Shape) -> list[list[int]]:
        """One row of :meth:`table_columns` values per listed instrument, in the market's order."""
        return [[] for _ in market.instruments]

    def requirement(self, api: API, account: AccountWires, vector: MarketVector) -> Bounded:
        """The account's requirement at the shape's level (money, ``>= 0``)."""
        raise NotImplementedError

    @classmethod
    def extra_size(cls, shape: Shape) -> int:
        """Per-account values the model adds to the leaf (:meth:`leaf_extra`); default none."""
        return 0

    @classmethod
    def leaf_extra(cls, market: Market, account: Account, shape: Shape) -> list[int]:
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
        vector: MarketVector,
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
        self, api: API, account: AccountWires, vector: MarketVector
    ) -> tuple[Bounded, Bounded]:
        """(collateral value, requirement) of one account; override to change both."""
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, vector)
        with api.namespace("requirement"):
            requirement = self.requirement(api, account, vector)
        return collateral, requirement

    def collateral_value(
        self, api: API, account: AccountWires, vector: MarketVector, *, exact: bool = False
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
            zip(account.balances, vector.price, vector.tiers, strict=True)
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
    def market_wires(self, api: API) -> tuple[MarketVector, LC, LC | int]:
        """The market vector (bounded values), its in-circuit hash (``market_hash/...``) and
        the table root (in ``scan`` lookup with the whole table proven, ``table/...``)."""
        from zkmargin.circuit.gadgets import poseidon_sponge

        vector = self.vector_layout.with_values(
            [
                Bounded(api, wire, *WINDOWS[kind])
                for wire, kind in zip(self.vector, self.vector_layout.kinds(), strict=True)
            ]
        )
        # The values' windows are not re-checked here: the hash binds them to a vector whose
        # windows the verifier checks (MarketVector.from_json); likewise the table's rows.
        with api.namespace("market_hash"):
            m_hash = poseidon_sponge(api, [VECTOR_TAG, *self.vector])
        table_root: LC | int = 0
        if self.columns:
            table_root = api.lc(self.table_root)
            if self.shape.lookup == "scan":
                prove_table_scan(api, self.table, table_root, self.shape.index_bits)
        return vector, m_hash, table_root

    def leaf_wire(self, api: API, i: int, acct: AccountWires) -> LC:
        """Account ``i``'s leaf (:func:`~zkmargin.batch.encoding.account_leaf`) in-circuit."""
        from zkmargin.circuit.gadgets import poseidon_sponge

        header = [LEAF_TAG, self.shape.slots, self.shape.assets]
        if self.n_extra:
            header = [EXTENDED_LEAF_TAG, *header[1:], self.n_extra]
        return poseidon_sponge(
            api,
            [
                *header,
                self.account[i],
                self.salt[i],
                *(v for s in acct.slots for v in (s.index, s.quantity)),
                *acct.balances,
                *acct.extra,
            ],
        )

    def define(self, api: API) -> None:
        from zkmargin.circuit.gadgets import poseidon_hash, poseidon_sponge

        vector, m_hash, table_root = self.market_wires(api)
        real = self._padding(api)
        leaves, coll, reqs = [], [], []
        asset_totals: list[list[Bounded]] = [[] for _ in range(self.shape.assets)]
        extra_totals: list[list[Bounded]] = [[] for _ in self.statement_extra_names]
        for i in range(self.batch_size):
            with api.namespace(f"account[{i}]"):
                acct = self._account(api, i, table_root)
                if self.n_extra:
                    with api.namespace("extra"):
                        acct.extra = self.check_extra(api, acct, list(self.extra[i]))
                padded = [
                    *((f"slot[{k}]", s.quantity) for k, s in enumerate(acct.slots)),
                    *((f"balance[{j}]", b) for j, b in enumerate(acct.balances)),
                    *((f"extra[{j}]", x) for j, x in enumerate(acct.extra)),
                ]
                with api.namespace("padding"):
                    for label, x in padded:
                        api.assert_product(1 - real[i], x.lc, 0, name=label)
                with api.namespace("leaf"):
                    leaf = self.leaf_wire(api, i, acct)
                    leaves.append(api.mul(real[i], leaf, name="real_or_zero"))
                collateral, requirement = self.account_figures(api, acct, vector)
                if self.proves_cover:
                    with api.namespace("margin"):
                        buffered = product(api, requirement, vector.buffer, "buffer_x_requirement")
                        gap = collateral * RATE_SCALE - requirement * RATE_SCALE - buffered
                        assert_nonnegative(api, gap, name="covered")
                totals = self.account_totals(api, acct, vector, real[i], collateral, requirement)
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
        statement: list[LC | int] = [
            root,
            table_root,
            m_hash,
            self.circuit_id,
            self.circuit_digest,
            self.epoch,
            self.first_index,
            self.count,
            bounded_sum(api, coll),
            bounded_sum(api, reqs),
            self.previous,
            *(bounded_sum(api, t) for t in asset_totals),
            *(bounded_sum(api, t) for t in extra_totals),
        ]
        if self.shape.statement == "fields":
            names = Statement.names(len(asset_totals), len(extra_totals))
            with api.namespace("statement"):
                for name, value, public in zip(names, statement, self.statement, strict=True):
                    api.assert_equal(value, public, name=name)
        else:
            with api.namespace("statement_hash"):
                digest = poseidon_sponge(api, [STATEMENT_TAG, *statement])
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

    def _account(self, api: API, i: int, table_root: LC | int) -> AccountWires:
        bits = self.shape.index_bits
        slots = prove_slots(api, list(self.slot_index[i]), list(self.slot_quantity[i]), bits)
        for k, slot in enumerate(slots):
            if not self.columns:
                continue
            with api.namespace(f"slot[{k}]"):
                if self.shape.lookup == "merkle":
                    slot.row = prove_row_merkle(
                        api,
                        slot,
                        list(self.rows[i][k]),
                        list(self.paths[i][k]),
                        self.columns,
                        api.lc(table_root),
                        bits,
                    )
                else:
                    slot.row = select_row_scan(api, slot, self.table, self.columns)
        balances = []
        for j, b in enumerate(self.balances[i]):
            with api.namespace(f"balance[{j}]"):
                balances.append(range_check(api, b, BALANCE_BITS))
        return AccountWires(api, i, slots, balances)

    # -- reference side -------------------------------------------------------------------------
    @classmethod
    def market_data(cls, market: Market, shape: Shape) -> MarketData:
        """The market's vector and table for ``shape`` (cached per market object and shape:
        the batches of a snapshot share them). ``ValueError`` if they do not fit."""
        key = (cls, id(market), shape)
        found = _MARKET_CACHE.get(key)
        if found is not None and found[0] is market:
            return found[1]
        check_market_fits(market, shape)
        table = None
        columns = cls.columns_of(shape)
        if columns:
            rows = cls.table_rows(market, shape)
            table = InstrumentTable(
                columns, [[1, *r] for r in rows], shape.instruments, market.instrument_names
            )
        data = MarketData(market_vector(market, shape), table)
        if len(_MARKET_CACHE) >= 8:
            _MARKET_CACHE.pop(next(iter(_MARKET_CACHE)))
        _MARKET_CACHE[key] = (market, data)
        return data

    @classmethod
    def slots_of(cls, market: Market, account: Account, shape: Shape) -> list[tuple[int, int]]:
        """The account's slots: its positions by index in the market's instrument order."""
        index = {name: j for j, name in enumerate(market.instrument_names)}
        try:
            return account_slots(account.positions, index, shape.slots)
        except ValueError as err:
            raise ValueError(f"account {account.id}: {err}") from None

    @classmethod
    def balances_of(cls, market: Market, account: Account, shape: Shape) -> list[int]:
        """Balances in the market's asset order, zero-padded to the shape's assets."""
        for name in account.collateral:
            if name not in market.assets:
                raise ValueError(f"account {account.id}: unknown asset {name!r}")
        given = [account.collateral.get(n, 0) for n in market.asset_names]
        return given + [0] * (shape.assets - len(given))

    @classmethod
    def account_leaf(
        cls, market: Market, account: Account, salt: int, shape: Shape, secret: int = 0
    ) -> int:
        """The account's leaf as this circuit commits it (receipts and inclusion checks);
        ``secret``: the account's, for its commitment."""
        return account_leaf(
            account_commitment(account.id, secret),
            salt,
            cls.slots_of(market, account, shape),
            cls.balances_of(market, account, shape),
            extra=cls.leaf_extra(market, account, shape),
        )

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
        shape: Shape | None = None,
        batch_size: int | None = None,
        circuit_digest: int = 0,
        previous: int = 0,
        secrets: Sequence[int] | None = None,
    ) -> tuple[dict[str, Any], Statement]:
        """Inputs for ``compiled.solve`` and the statement they prove.

        ``shape`` defaults to :meth:`shape_for` the market at ``batch_size`` (default
        ``len(accounts)``); slots past the accounts are padding. ``circuit_digest``: the compiled
        circuit's :attr:`digest_value`. Figures and totals come from :meth:`reference_figures`.
        ``previous``: the chain hash of the report this batch's report follows (0: none).
        ``secrets``: each account's secret, for its commitment (default 0 each: tests of the
        margin figures only; a report always gives them).
        """
        accounts = list(accounts)
        if shape is None:
            shape = cls.shape_for(market, batch_size if batch_size is not None else len(accounts))
        size = shape.batch_size
        if not 0 < len(accounts) <= size or len(salts) != len(accounts):
            raise ValueError(f"need 1..{size} accounts and one salt per account")
        if secrets is None:
            secrets = [0] * len(accounts)
        if len(secrets) != len(accounts):
            raise ValueError("need one secret per account")
        p = BN254_FR.p
        data = cls.market_data(market, shape)
        collateral, requirement, result = cls.reference_figures(market, accounts)
        _check_windows(accounts, collateral, requirement, result.intermediates)
        slots = [cls.slots_of(market, a, shape) for a in accounts]
        balances = [cls.balances_of(market, a, shape) for a in accounts]
        ids = [account_commitment(a.id, s) for a, s in zip(accounts, secrets, strict=True)]
        extra = [cls.leaf_extra(market, a, shape) for a in accounts]
        leaves = [
            account_leaf(h, s, q, b, extra=x)
            for h, s, q, b, x in zip(ids, salts, slots, balances, extra, strict=True)
        ]
        pad = size - len(accounts)
        statement = Statement(
            batch_root=batch_tree(leaves, size).root,
            table_root=data.table_root,
            market_hash=data.vector.hash(),
            circuit_id=circuit_id(cls.circuit_name(), size, shape.encoding()),
            epoch=epoch,
            first_index=first_index,
            count=len(accounts),
            total_collateral=sum(collateral),
            total_requirement=sum(requirement),
            asset_totals=tuple(sum(col) for col in zip(*balances, strict=True)),
            extra=cls.statement_extra(market, accounts, result),
            circuit_digest=circuit_digest,
            previous=previous,
        )
        public = statement.public_signals(shape.statement)
        empty = [(0, 0)] * shape.slots
        all_slots = slots + [empty] * pad
        inputs: dict[str, Any] = {
            "statement": public if shape.statement == "fields" else public[0],
            "vector": [v % p for v in data.vector.values()],
            "epoch": epoch,
            "previous": previous,
            "first_index": first_index,
            "count": len(accounts),
            "account": ids + [0] * pad,
            "salt": [s % p for s in salts] + [0] * pad,
            "slot_index": [[j for j, _ in row] for row in all_slots],
            "slot_quantity": [[q % p for _, q in row] for row in all_slots],
            "balances": balances + [[0] * shape.assets] * pad,
            "circuit_digest": circuit_digest,
        }
        table = data.table
        if table is not None:
            inputs["table_root"] = table.root
            if shape.lookup == "merkle":
                inputs["rows"] = [[[v % p for v in table.row(j)] for j, _ in r] for r in all_slots]
                inputs["paths"] = [
                    [[x for level in table.path(j) for x in level] for j, _ in r] for r in all_slots
                ]
            else:
                inputs["table"] = [[v % p for v in row] for row in table.all_rows()]
        n_extra = cls.extra_size(shape)
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


__all__ = ["MONEY_BITS", "AccountWires", "BatchCircuit", "MarketData", "tree_depth"]
