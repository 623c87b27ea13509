"""What a batch circuit reads of a market: the instrument table and the market vector.

**Instrument table.** One integer row per instrument, in the market file's order: column 0 is
``listed`` (1 for a listed instrument), then the model's columns
(:meth:`~zkmargin.batch.BatchCircuit.table_columns`). The table has the shape's capacity (a
power of two) of rows; rows past the listed instruments are all zero. Every row is committed,
held or not:

* a row's leaf is ``poseidon_sponge([ROW_TAG, row_0 mod p, ..., row_(W−1) mod p])``;
* the root is a Poseidon tree of arity 8 over the leaves (``poseidon(8 children)`` per node,
  circomlib's width 9); with ``log2(capacity)`` not a multiple of 3 the top node has arity 2
  or 4. An index's bits, little-endian, pick the child at each level, three per level.

**Market vector.** The market-level values: ``[buffer, initial_factor, grace]`` (``grace``:
the margin-call grace period in seconds, which no circuit reads — hashed so that every proof
binds it), then per asset (the
shape's ``assets``) its price and, per tier (the shape's ``tiers``), ``(floor, ratio)``. Assets
past the market's have price 0 and ratio 0; tiers past an asset's have the unreachable floors
``2^72 + k`` (above any money figure, so their slices are 0) and ratio 0. ``market_hash =
poseidon_sponge([VECTOR_TAG, *values])``.

Each value has a window (:data:`WINDOWS`, each column its own, and a column may have to
exceed another on every listed row: :attr:`Column.above`); tables and vectors outside them
are refused when built and when read back from a report, so a root or hash a verifier
accepts always names in-window integers and the circuit uses them without range checks.

>>> from zkmargin.margin import example_paths, load_market
>>> from zkmargin.batch.shape import Shape
>>> market = load_market(example_paths()[0])
>>> shape = Shape.infer(market, batch_size=1)
>>> vector = market_vector(market, shape)
>>> len(vector.values()), vector.hash() == MarketVector.from_json(vector.to_json(), "r", shape).hash()
(31, True)
>>> table = InstrumentTable([LISTED, Column("x", 0, 9)], [[1, 3], [1, 4]], 8, ("A", "B"))
>>> siblings = table.path(1)
>>> [len(level) for level in siblings], verify_row(table.row(1), 1, siblings, table.root, 3)
([8], True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise
from typing import Any, Generic, TypeVar

from zkmargin.batch.encoding import text_tag
from zkmargin.batch.shape import Shape
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.hash import poseidon, poseidon_sponge
from zkmargin.json_input import signed_decimal_string
from zkmargin.margin.domain import Market
from zkmargin.margin.fixed import QTY_BOUND, RATE_BOUND, RATE_SCALE, UNSIGNED_BOUND

T = TypeVar("T")

ROW_TAG = text_tag("zkmargin/table-row/v1")
VECTOR_TAG = text_tag("zkmargin/market-vector/v1")
ARITY_BITS = 3
"""Index bits per tree level: nodes of 8 children (docs/decisions.md, the lookup measurements)."""
UNREACHABLE_FLOOR = 1 << 72
"""Floor of a padding tier: above every money figure (the circuits' 72-bit window)."""

U64 = (0, UNSIGNED_BOUND - 1)
RISK = (-(QTY_BOUND - 1), QTY_BOUND - 1)
WINDOWS: dict[str, tuple[int, int]] = {
    "buffer": (0, RATE_BOUND - 1),
    "initial_factor": (RATE_SCALE, RATE_BOUND - 1),
    "grace": U64,
    "price": U64,
    "tier_floor": (0, UNREACHABLE_FLOOR + 64),
    "tier_ratio": (0, RATE_SCALE),
}
"""The integer window (inclusive) of each kind of market-vector value."""


@dataclass(frozen=True)
class Column:
    """A table column: its name and integer window (inclusive); with ``above``, a listed
    row's value must also exceed that column's (increasing bracket floors)."""

    name: str
    lo: int
    hi: int
    above: str | None = None


LISTED = Column("listed", 0, 1)


# -- the market vector ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Tier(Generic[T]):
    floor: T
    ratio: T


@dataclass(frozen=True)
class MarketVector(Generic[T]):
    """Market-level values: ints in the reference, wires in a circuit (module docstring)."""

    buffer: T
    initial_factor: T
    grace: T
    price: tuple[T, ...]
    tiers: tuple[tuple[Tier[T], ...], ...]

    def map_values(self, fn: Callable[[str, T], Any]) -> MarketVector:
        """The vector with each value replaced by ``fn(kind, value)``, in canonical order."""
        buffer = fn("buffer", self.buffer)
        factor = fn("initial_factor", self.initial_factor)
        grace = fn("grace", self.grace)
        price, tiers = [], []
        for p, asset_tiers in zip(self.price, self.tiers, strict=True):
            price.append(fn("price", p))
            tiers.append(
                tuple(
                    Tier(fn("tier_floor", t.floor), fn("tier_ratio", t.ratio)) for t in asset_tiers
                )
            )
        return replace(
            self,
            buffer=buffer,
            initial_factor=factor,
            grace=grace,
            price=tuple(price),
            tiers=tuple(tiers),
        )

    def values(self) -> list[T]:
        out: list[T] = []
        self.map_values(lambda _kind, v: out.append(v))
        return out

    def kinds(self) -> list[str]:
        out: list[str] = []
        self.map_values(lambda kind, _v: out.append(kind))
        return out

    def with_values(self, values: Sequence[Any]) -> MarketVector:
        """This vector's layout holding ``values`` (canonical order), e.g. circuit wires."""
        it: Iterator[Any] = iter(values)
        out = self.map_values(lambda _kind, _v: next(it))
        if next(it, None) is not None:
            raise ValueError("more values than the vector has entries")
        return out

    def check_windows(self) -> None:
        """``ValueError`` naming the first value outside its :data:`WINDOWS` window."""

        def check(kind: str, value: Any) -> None:
            lo, hi = WINDOWS[kind]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise ValueError(f"market vector {kind} = {value!r} outside [{lo}, {hi}]")

        self.map_values(check)
        for tiers in self.tiers:
            floors = [t.floor for t in tiers]
            if floors[0] != 0 or any(b <= a for a, b in pairwise(floors)):
                raise ValueError("market vector: tier floors must start at 0 and increase")

    def hash(self) -> int:
        p = BN254_FR.p
        return poseidon_sponge([VECTOR_TAG, *(v % p for v in self.values())])

    def to_json(self) -> list[str]:
        return [str(v) for v in self.values()]

    @classmethod
    def from_json(cls, doc: Any, source: str, shape: Shape) -> MarketVector[int]:
        """Read :meth:`to_json`'s list for ``shape``; windows checked."""
        if not isinstance(doc, list) or not all(isinstance(v, str) for v in doc):
            raise InputError(source, "vector", "expected a list of decimal strings")
        layout = vector_layout(shape)
        if len(doc) != len(layout.values()):
            raise InputError(
                source, "vector", f"{len(doc)} values, the shape has {len(layout.values())}"
            )
        values = [signed_decimal_string(v, source, f"vector[{i}]") for i, v in enumerate(doc)]
        try:
            vector = layout.with_values(values)
            vector.check_windows()
        except ValueError as err:
            raise InputError(source, "vector", str(err)) from None
        return vector


def _layout(assets: int, tiers: int) -> MarketVector[int]:
    return MarketVector(0, 0, 0, (0,) * assets, ((Tier(0, 0),) * tiers,) * assets)


def vector_layout(shape: Shape) -> MarketVector[int]:
    """A vector of zeros with the shape's layout (for its kinds and length)."""
    return _layout(shape.assets, shape.tiers)


def market_vector(market: Market, shape: Shape) -> MarketVector[int]:
    """The market's vector padded to the shape (module docstring); ``ValueError`` if it does
    not fit or a value leaves its window."""
    assets = list(market.assets.values())
    if len(assets) > shape.assets or any(len(a.haircut) > shape.tiers for a in assets):
        raise ValueError("the market's assets or haircut tiers exceed the shape")
    price, tiers = [], []
    for k in range(shape.assets):
        given = list(assets[k].haircut) if k < len(assets) else [(0, 0)]
        price.append(assets[k].price if k < len(assets) else 0)
        padded = [Tier(f, r) for f, r in given]
        padded += [Tier(UNREACHABLE_FLOOR + j, 0) for j in range(len(given), shape.tiers)]
        tiers.append(tuple(padded))
    model = market.model
    vector = MarketVector(
        model.buffer, model.initial_factor, model.grace, tuple(price), tuple(tiers)
    )
    vector.check_windows()
    return vector


# -- the instrument table ------------------------------------------------------------------------
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
