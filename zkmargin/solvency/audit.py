"""``zkmargin audit-market``: re-derive a report's integers from a market file and compare.

``zkmargin verify`` hashes the integers a report publishes (``market_table.json``) and never
prices anything. Whether those integers are what the market file's prices, vols, strikes and
expiries give is this separate audit: it runs the circuit's own table builder (the pricers, in
floating point) on the market file for the report's shape and lists every value that differs
from the published one by more than a stated tolerance.

The tolerance is in units of the published integers (10^-8 of money or amount): platforms whose
floating-point functions differ in the last bits can move a rounded risk-array value by one
unit. Columns whose window is ``[0, 1]`` (``listed``, group flags) are flags and compared exactly
whatever the tolerance; so is the instrument list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zkmargin.batch import InstrumentTable, MarketVector
from zkmargin.errors import InputError
from zkmargin.margin import load_market
from zkmargin.solvency import layout
from zkmargin.solvency.report import Report
from zkmargin.solvency.verifier import circuit_class, published_market, read_report


@dataclass(frozen=True)
class Difference:
    """One published value the market file does not give: where, and both values (``None``
    for an instrument only one side lists)."""

    where: str
    published: int | None
    derived: int | None

    def line(self) -> str:
        if self.published is None:
            return f"{self.where}: listed in the market file, not in the report's table"
        if self.derived is None:
            return f"{self.where}: in the report's table, not listed in the market file"
        delta = self.derived - self.published
        return (
            f"{self.where}: published {self.published}, the market file gives {self.derived} "
            f"({delta:+d})"
        )


def audit_market(
    folder: str | Path, market_path: str | Path, tolerance: int = 0
) -> list[Difference]:
    """Every value of the report's table and market vector that ``market_path`` re-derives
    differently by more than ``tolerance`` units (flags and instrument names: exactly), in
    table order, then the vector's. ``InputError`` for an unreadable report or market, or a
    market that does not fit the report's shape."""
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise InputError("--tolerance", "", f"expected an integer >= 0, got {tolerance!r}")
    folder = Path(folder)
    report = read_report(folder)
    cls = circuit_class(report.circuit)
    if cls is None:
        raise InputError(
            str(folder / layout.REPORT),
            "circuit",
            f"{report.circuit!r} is not a circuit known by name: its table cannot be re-derived",
        )
    published = published_market(folder, report)
    market = load_market(market_path)
    try:
        derived = cls.market_data(market, report.shape)
    except InputError:
        raise
    except ValueError as err:
        raise InputError(str(market_path), "", f"circuit {report.circuit}: {err}") from None
    out = list(_table_differences(published.table, derived.table, tolerance))
    out += _vector_differences(published.vector, derived.vector, report, tolerance)
    return out


def _table_differences(
    published: InstrumentTable | None, derived: InstrumentTable | None, tolerance: int
) -> Iterator[Difference]:
    if published is None or derived is None:
        return
    theirs = derived.index()
    for j, name in enumerate(published.names):
        k = theirs.get(name)
        if k is None:
            yield Difference(f"row {j} {name}", published.row(j)[0], None)
            continue
        if k != j:
            yield Difference(f"row {j} {name}: index", j, k)
        for col, a, b in zip(published.columns, published.row(j), derived.row(k), strict=True):
            exact = (col.lo, col.hi) == (0, 1)
            if abs(a - b) > (0 if exact else tolerance):
                yield Difference(f"row {j} {name}: {col.name}", a, b)
    ours = published.index()
    for k, name in enumerate(derived.names):
        if name not in ours:
            yield Difference(f"row {k} {name}", None, derived.row(k)[0])


def _vector_differences(
    published: MarketVector[int], derived: MarketVector[int], report: Report, tolerance: int
) -> list[Difference]:
    labels = ["vector buffer", "vector initial_factor", "vector grace"]
    for j, tiers in enumerate(published.tiers):
        asset = report.assets[j] if j < len(report.assets) else f"asset[{j}]"  # padding
        labels.append(f"vector price {asset}")
        for t in range(len(tiers)):
            labels += [f"vector tier {asset}[{t}] floor", f"vector tier {asset}[{t}] ratio"]
    return [
        Difference(label, a, b)
        for label, a, b in zip(labels, published.values(), derived.values(), strict=True)
        if abs(a - b) > (0 if label == "vector grace" else tolerance)  # seconds: exact
    ]
