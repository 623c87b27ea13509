"""The batch circuit: what every margin model proves about a batch of accounts.

A circuit is fixed by its model and :class:`~zkmargin.batch.shape.Shape` (batch size, position
slots K, table capacity, ...), never by a market's contents. A model circuit subclasses
:class:`BatchCircuit`, declares the table columns it reads (:meth:`BatchCircuit.table_columns`,
:meth:`BatchCircuit.table_rows`) and implements :meth:`BatchCircuit.requirement`; the base class
does the rest:

1. the market: private inputs ``vector`` (the market vector, hashed in-circuit:
   ``market_hash/...``) and ``table_root`` (the instrument table's root); in ``scan`` lookup the
   whole table too (``table/...``) — :mod:`zkmargin.batch.vector`, :mod:`zkmargin.batch.table`,
   :mod:`zkmargin.batch.lookup`;
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
>>> from zkmargin.dsl import check, compile_circuit
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

from typing import Any, ClassVar

from zkmargin.batch.accounts import prove_batch_root, prove_padding, tree_depth
from zkmargin.batch.arith import bounded_sum, product
from zkmargin.batch.digest import DIGEST_CONSTRAINT
from zkmargin.batch.encoding import EXTENDED_LEAF_TAG, LEAF_TAG, circuit_id
from zkmargin.batch.hooks import ModelHooks
from zkmargin.batch.lookup import path_width, prove_row_merkle, prove_table_scan, select_row_scan
from zkmargin.batch.reference import BatchReference
from zkmargin.batch.shape import Shape, check_market_fits
from zkmargin.batch.slots import prove_slots
from zkmargin.batch.statement import Statement, prove_statement, public_count
from zkmargin.batch.table import LISTED, Column
from zkmargin.batch.vector import VECTOR_TAG, WINDOWS, MarketVector, vector_layout
from zkmargin.batch.wires import BALANCE_BITS, MONEY_BITS, AccountWires, MarketData
from zkmargin.dsl import API, LC, Circuit, Public, Secret
from zkmargin.dsl.gadgets import Bounded, assert_nonnegative, range_check
from zkmargin.margin.domain import Market
from zkmargin.margin.fixed import RATE_SCALE


class BatchCircuit(ModelHooks, BatchReference, Circuit):
    """Base class of the margin circuits: ``cls(market, batch_size, **shape_params)`` or
    ``cls(shape=shape)``; see the module docstring.

    Subclasses set ``model`` (the reference calculator's model whose figures they prove),
    ``shape_fields`` (the optional shape fields they read: ``underlyings``, ``scenarios``),
    declare their table (:meth:`table_columns`, :meth:`table_rows`) and implement
    :meth:`requirement`; ``name`` (default: the class name in lower case) enters the circuit id.
    Further hooks (extended leaf values, the model's own statement totals, ``proves_cover``,
    ``shortfalls``) are listed in ``docs/circuits.md``.
    """

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

    def market_wires(self, api: API) -> tuple[MarketVector, LC, LC | int]:
        """The market vector (bounded values), its in-circuit hash (``market_hash/...``) and
        the table root (in ``scan`` lookup with the whole table proven, ``table/...``)."""
        from zkmargin.dsl.gadgets import poseidon_sponge

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
        from zkmargin.dsl.gadgets import poseidon_sponge

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
        vector, m_hash, table_root = self.market_wires(api)
        real = prove_padding(api, self.count, self.batch_size)
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
        root = prove_batch_root(api, leaves, self.depth)
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
        names = Statement.names(len(asset_totals), len(extra_totals))
        values = dict(zip(names, statement, strict=True))
        digest = prove_statement(api, values, self.statement, self.shape.statement)
        if digest is not None:
            self.trace["statement_hash"] = digest
        api.assert_equal(self.circuit_digest, self.digest_value, name=DIGEST_CONSTRAINT)

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


__all__ = ["MONEY_BITS", "AccountWires", "BatchCircuit", "MarketData", "tree_depth"]
