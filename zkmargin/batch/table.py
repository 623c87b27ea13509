"""What a batch circuit reads of a market's instruments: the instrument table.

One integer row per instrument, in the market file's order: column 0 is ``listed`` (1 for a
listed instrument), then the model's columns (:meth:`~zkmargin.batch.BatchCircuit.table_columns`).
The table has the shape's capacity (a power of two) of rows; rows past the listed instruments
are all zero. Every row is committed, held or not:

* a row's leaf is ``poseidon_sponge([ROW_TAG, row_0 mod p, ..., row_(W−1) mod p])``;
* the root is a Poseidon tree of arity 8 over the leaves (``poseidon(8 children)`` per node,
  circomlib's width 9); with ``log2(capacity)`` not a multiple of 3 the top node has arity 2
  or 4. An index's bits, little-endian, pick the child at each level, three per level.

Each column has its own window, and a column may have to exceed another on every listed row
(:attr:`Column.above`); tables outside them are refused when built and when read back from a
report, so a root a verifier accepts always names in-window integers and the circuit uses them
without range checks. The market-level values are :mod:`zkmargin.batch.vector`.

>>> table = InstrumentTable([LISTED, Column("x", 0, 9)], [[1, 3], [1, 4]], 8, ("A", "B"))
>>> siblings = table.path(1)
>>> [len(level) for level in siblings], verify_row(table.row(1), 1, siblings, table.root, 3)
([8], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from zkmargin.batch.encoding import text_tag
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.hash import poseidon, poseidon_sponge
from zkmargin.json_input import signed_decimal_string
from zkmargin.margin.fixed import QTY_BOUND

ROW_TAG = text_tag("zkmargin/table-row/v1")
ARITY_BITS = 3
"""Index bits per tree level: nodes of 8 children (docs/decisions.md, the lookup measurements)."""
RISK = (-(QTY_BOUND - 1), QTY_BOUND - 1)
"""The window of a signed money-per-contract column (a loss or a Greeks charge)."""


@dataclass(frozen=True)
class Column:
    """A table column: its name and integer window (inclusive); with ``above``, a listed
    row's value must also exceed that column's (increasing bracket floors)."""

    name: str
    lo: int
    hi: int
    above: str | None = None


LISTED = Column("listed", 0, 1)


def level_bits(index_bits: int) -> list[int]:
    """Index bits consumed per tree level, leaf level first: 3, 3, ..., then the rest."""
    full, rest = divmod(index_bits, ARITY_BITS)
    return [ARITY_BITS] * full + ([rest] if rest else [])


def row_leaf(row: Sequence[int]) -> int:
    """The tree leaf of one row (module docstring)."""
    p = BN254_FR.p
    return poseidon_sponge([ROW_TAG, *(v % p for v in row)])


def verify_row(
    row: Sequence[int], index: int, siblings: Sequence[Sequence[int]], root: int, index_bits: int
) -> bool:
    """Whether ``row`` sits at ``index`` under ``root``; ``siblings[h]`` lists all children of
    the node at height h + 1 (the path's own child included, and replaced by the node)."""
    node, shift = row_leaf(row), 0
    for bits, children in zip(level_bits(index_bits), siblings, strict=True):
        position = (index >> shift) & ((1 << bits) - 1)
        children = list(children)
        children[position] = node
        node, shift = poseidon(children), shift + bits
    return node == root


class InstrumentTable:
    """``rows`` (one per listed instrument, ``columns`` wide, ``listed`` first) in a table of
    ``capacity`` rows; ``names`` the listed instruments in order."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[int]],
        capacity: int,
        names: Sequence[str],
    ) -> None:
        if not columns or columns[0] != LISTED:
            raise ValueError("a table's first column is 'listed'")
        if capacity < 1 or capacity & (capacity - 1):
            raise ValueError(f"table capacity {capacity} is not a power of two")
        if len(rows) > capacity:
            raise ValueError(f"{len(rows)} instruments listed, the table holds {capacity}")
        if len(names) != len(rows):
            raise ValueError("one name per listed row")
        self.columns = tuple(columns)
        self.rows = tuple(tuple(r) for r in rows)
        self.capacity = capacity
        self.names = tuple(names)
        self.index_bits = capacity.bit_length() - 1
        for j, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {j}: {len(row)} values for {len(self.columns)} columns")
            if row[0] != 1:
                raise ValueError(f"row {j}: a listed row has listed = 1")
            for col, v in zip(self.columns, row, strict=True):
                if isinstance(v, bool) or not isinstance(v, int) or not col.lo <= v <= col.hi:
                    raise ValueError(
                        f"row {j} ({self.names[j]}): {col.name} = {v!r} outside "
                        f"[{col.lo}, {col.hi}]"
                    )
            named = dict(zip((c.name for c in self.columns), row, strict=True))
            for col in self.columns:
                if col.above is not None and named[col.name] <= named[col.above]:
                    raise ValueError(
                        f"row {j} ({self.names[j]}): {col.name} = {named[col.name]} must exceed "
                        f"{col.above} = {named[col.above]}"
                    )

    @property
    def width(self) -> int:
        return len(self.columns)

    def index(self) -> dict[str, int]:
        """Instrument name → row index."""
        return {name: j for j, name in enumerate(self.names)}

    def row(self, j: int) -> tuple[int, ...]:
        """Row ``j`` (all zero past the listed instruments)."""
        if not 0 <= j < self.capacity:
            raise IndexError(f"row {j} outside a table of {self.capacity}")
        return self.rows[j] if j < len(self.rows) else (0,) * self.width

    def all_rows(self) -> list[tuple[int, ...]]:
        return [self.row(j) for j in range(self.capacity)]

    @cached_property
    def _levels(self) -> list[list[int]]:
        zero_leaf = row_leaf((0,) * self.width)
        level = [row_leaf(r) for r in self.rows]
        level += [zero_leaf] * (self.capacity - len(level))
        levels = [level]
        for bits in level_bits(self.index_bits):
            arity = 1 << bits
            below = levels[-1]
            levels.append([poseidon(below[i : i + arity]) for i in range(0, len(below), arity)])
        return levels

    @property
    def root(self) -> int:
        return self._levels[-1][0]

    def path(self, j: int) -> list[list[int]]:
        """Per level (leaf level first), all children of the node above row ``j``'s path."""
        out, shift = [], 0
        for h, bits in enumerate(level_bits(self.index_bits)):
            arity = 1 << bits
            start = ((j >> shift) >> bits) << bits
            out.append(self._levels[h][start : start + arity])
            shift += bits
        return out

    def to_json(self) -> dict[str, Any]:
        """Decimal strings; rows past the listed ones are implied (zero)."""
        return {
            "capacity": self.capacity,
            "columns": [c.name for c in self.columns],
            "instruments": list(self.names),
            "rows": [[str(v) for v in row] for row in self.rows],
        }

    @classmethod
    def from_json(cls, doc: Any, source: str, columns: Sequence[Column]) -> InstrumentTable:
        """Read :meth:`to_json`'s object against the circuit's ``columns``; windows checked."""
        if not isinstance(doc, dict) or set(doc) != {"capacity", "columns", "instruments", "rows"}:
            raise InputError(source, "table", "expected capacity, columns, instruments, rows")
        names = [c.name for c in columns]
        if doc["columns"] != names:
            raise InputError(source, "table.columns", f"expected {names}, got {doc['columns']!r}")
        rows, instruments = doc["rows"], doc["instruments"]
        if not isinstance(rows, list) or not all(
            isinstance(r, list) and all(isinstance(v, str) for v in r) for r in rows
        ):
            raise InputError(source, "table.rows", "expected lists of decimal strings")
        if not isinstance(instruments, list) or not all(isinstance(n, str) for n in instruments):
            raise InputError(source, "table.instruments", "expected a list of names")
        if len(set(instruments)) != len(instruments):
            raise InputError(source, "table.instruments", "names repeat")
        capacity = doc["capacity"]
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise InputError(source, "table.capacity", "expected an integer")
        values = [
            [signed_decimal_string(v, source, f"table.rows[{i}][{j}]") for j, v in enumerate(r)]
            for i, r in enumerate(rows)
        ]
        try:
            return cls(columns, values, capacity, instruments)
        except ValueError as err:
            raise InputError(source, "table", str(err)) from None
