"""A report's published market integers (``market_table.json``): written by the prover, read
back through the table columns' windows, and checked against the statement's table root and
market hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkmargin.batch import (
    InstrumentTable,
    MarketData,
    MarketVector,
    Shape,
)
from zkmargin.batch.table import Column
from zkmargin.errors import InputError
from zkmargin.json_input import load_json
from zkmargin.margin import Market
from zkmargin.solvency import layout
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_checks import Invalid, circuit_class

MARKET_TABLE_FORMAT = "zkmargin-market-table/1"


def market_table_json(instruments: Sequence[str], data: MarketData) -> dict[str, Any]:
    """``market_table.json``: the integers the circuits consumed — the market vector, the
    instrument names in index order and the instrument table (``null`` for a circuit that
    reads none). The verifier hashes these, never the market file's decimals."""
    return {
        "format": MARKET_TABLE_FORMAT,
        "instruments": list(instruments),
        "vector": data.vector.to_json(),
        "table": data.table.to_json() if data.table is not None else None,
    }


@dataclass(frozen=True)
class MarketTable:
    """``market_table.json`` read back: instrument names, the market vector and the table
    (``None`` for a circuit that reads none), every value checked against its window."""

    instruments: list[str]
    vector: MarketVector[int]
    table: InstrumentTable | None


def read_market_table(path: str | Path, shape: Shape, columns: Sequence[Column]) -> MarketTable:
    """Read ``market_table.json`` for a circuit of ``shape`` whose table has ``columns`` (none:
    it reads no table); one-line :class:`InputError` naming the field."""
    doc = load_json(path)
    source = str(path)
    if not isinstance(doc, dict) or set(doc) != {"format", "instruments", "vector", "table"}:
        raise InputError(source, "", "expected format, instruments, vector, table")
    if doc["format"] != MARKET_TABLE_FORMAT:
        raise InputError(source, "format", f"expected {MARKET_TABLE_FORMAT!r}")
    instruments = doc["instruments"]
    if not isinstance(instruments, list) or not all(isinstance(n, str) for n in instruments):
        raise InputError(source, "instruments", "expected a list of names")
    vector = MarketVector.from_json(doc["vector"], source, shape)
    table = None
    if columns:
        if doc["table"] is None:
            raise InputError(source, "table", "the circuit reads a table")
        table = InstrumentTable.from_json(doc["table"], source, columns)
    elif doc["table"] is not None:
        raise InputError(source, "table", "the circuit reads no table: expected null")
    return MarketTable(instruments, vector, table)


def published_market(folder: str | Path, report: Report) -> MarketTable:
    """The integers a report's circuits consumed, from its ``market_table.json``, read against
    the columns of the report's circuit (which must load by plain name: the columns give the
    windows). ``InputError`` on a malformed file, :class:`Invalid` on a table of another
    capacity or circuit."""
    cls = circuit_class(report.circuit)
    if cls is None:
        raise Invalid(
            f"report.json: circuit {report.circuit!r} is not a circuit this verifier knows by "
            "name, so the windows of its table are unknown"
        )
    columns = cls.columns_of(report.shape)
    published = read_market_table(Path(folder) / layout.MARKET_TABLE, report.shape, columns)
    table = published.table
    if table is None:
        if report.table_root != 0:
            raise Invalid(f"circuit {report.circuit} reads no table: table_root must be 0")
    elif table.capacity != report.shape.instruments or list(table.names) != published.instruments:
        raise Invalid(
            f"{layout.MARKET_TABLE}: the table is not the shape's capacity over the instruments"
        )
    return published


def check_market_table(folder: Path, report: Report, market: Market) -> None:
    """The published integers hash to the report's ``market_hash`` and ``table_root``, and
    ``market.json``'s grace is the vector's."""
    published = published_market(folder, report)
    if published.instruments != list(market.instrument_names):
        raise Invalid(f"{layout.MARKET_TABLE}: instruments are not market.json's, in its order")
    if published.vector.hash() != report.market_hash:
        raise Invalid(f"report.json: market_hash is not the hash of {layout.MARKET_TABLE}'s vector")
    if published.vector.grace != market.model.grace:  # what liquidations read: proven
        raise Invalid(f"market.json: model.grace is not the grace {layout.MARKET_TABLE} proves")
    if published.table is not None and published.table.root != report.table_root:
        raise Invalid(f"report.json: table_root is not the root of {layout.MARKET_TABLE}'s table")
