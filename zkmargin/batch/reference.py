"""The reference side of a batch circuit: a market's table and vector for a shape, each
account's slots, balances and leaf, and the witness inputs with the statement they prove.

Everything here is plain integers from the reference calculator; the circuit
(:class:`~zkmargin.batch.base.BatchCircuit`) proves the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zkmargin.batch.accounts import batch_tree
from zkmargin.batch.encoding import account_commitment, account_leaf, circuit_id
from zkmargin.batch.shape import Shape, check_market_fits
from zkmargin.batch.slots import account_slots
from zkmargin.batch.statement import Statement
from zkmargin.batch.table import InstrumentTable
from zkmargin.batch.vector import market_vector
from zkmargin.batch.wires import MONEY_BITS, MarketData
from zkmargin.dsl import LC
from zkmargin.dsl.gadgets import Bounded
from zkmargin.field import BN254_FR
from zkmargin.margin.calculator import calculate
from zkmargin.margin.domain import Account, Market

_MARKET_CACHE: dict[tuple[type, int, Shape], tuple[Market, MarketData]] = {}


class BatchReference:
    """Reference-side class methods of :class:`~zkmargin.batch.base.BatchCircuit` (they call
    its hooks: ``columns_of``, ``table_rows``, ``leaf_extra``, ``statement_extra``...), and
    reading a compiled instance's figures back from a witness."""

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
