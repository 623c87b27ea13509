"""The entries of ``report.json`` besides its header: one batch (:class:`BatchEntry`), one
account left out (:class:`Excluded`) and the snapshot's totals (:class:`Totals`, summed over the
batches' statements).  :mod:`zkmargin.solvency.report` reads and writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zkmargin.batch import Statement


@dataclass(frozen=True)
class BatchEntry:
    """One batch: its index (folder ``batches/<index>``), the statement its proof makes, and the
    statement hash as stored (the proof's single public signal; the verifier recomputes it)."""

    index: int
    statement: Statement
    statement_hash: int

    @classmethod
    def of(cls, index: int, statement: Statement) -> BatchEntry:
        return cls(index, statement, statement.hash())


@dataclass(frozen=True)
class Excluded:
    """An account left out with ``--allow-shortfall``: its id and shortfall (money, 10^-8)."""

    id: str
    shortfall: int


@dataclass(frozen=True)
class Totals:
    """Snapshot totals: accounts, collateral value and requirement (money, 10^-8), balances per
    asset (10^-8, market order), and the circuit's own totals ``extra``: (name, sum) pairs in
    the order of its :attr:`~zkmargin.batch.BatchCircuit.statement_extra_names` (e.g. the
    health circuit's accounts per state and liquidation shortfall; empty for most circuits).

    >>> s = Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 500, 100, (7,), extra=(1, 1, 0, 0))
    >>> Totals.of([BatchEntry.of(0, s)] * 2, 1, ("healthy", "margin_call", "liquidation",
    ...     "shortfall")).extra
    (('healthy', 2), ('margin_call', 2), ('liquidation', 0), ('shortfall', 0))

    With the number of accounts hidden (``--hide-count``, ``--pad-to``) the totals that count
    accounts — padding would inflate them — are left out: ``accounts`` is ``None`` and the
    circuit's ``padding_counts`` (health's ``healthy``) are not among ``extra``.
    """

    accounts: int | None
    collateral_value: int
    requirement: int
    assets: tuple[int, ...]
    extra: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(
        cls,
        batches: Sequence[BatchEntry],
        n_assets: int,
        extra_names: Sequence[str] = (),
        hidden: Sequence[str] | None = None,
    ) -> Totals:
        """The sums over ``batches``' statements; ``extra_names`` label the statements'
        ``extra`` values by position (a statement with another number of them is not summed:
        the verifier reports it). ``hidden``: when the number of accounts is hidden, the names
        of the ``extra`` totals that count accounts (left out, as ``accounts``)."""
        sums = [0] * n_assets
        extra = [0] * len(extra_names)
        for b in batches:
            for i, v in enumerate(b.statement.asset_totals[:n_assets]):
                sums[i] += v
            if len(b.statement.extra) == len(extra):
                for i, v in enumerate(b.statement.extra):
                    extra[i] += v
        return cls(
            accounts=None if hidden is not None else sum(b.statement.count for b in batches),
            collateral_value=sum(b.statement.total_collateral for b in batches),
            requirement=sum(b.statement.total_requirement for b in batches),
            assets=tuple(sums),
            extra=tuple(
                (name, v)
                for name, v in zip(extra_names, extra, strict=True)
                if name not in (hidden or ())
            ),
        )

    @property
    def extra_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.extra)

    def to_json(self, assets: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.accounts is None else {"accounts": self.accounts}
        out |= {
            "collateral_value": str(self.collateral_value),
            "requirement": str(self.requirement),
            "assets": {a: str(v) for a, v in zip(assets, self.assets, strict=True)},
        }
        if self.extra:  # written only when the circuit has its own totals: one JSON form
            out["extra"] = {name: str(v) for name, v in self.extra}
        return out
