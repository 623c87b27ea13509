"""The market vector: the market-level values a batch circuit reads, hashed into its statement.

``[buffer, initial_factor, grace]`` (``grace``: the margin-call grace period in seconds, which
no circuit reads — hashed so that every proof binds it), then per asset (the shape's
``assets``) its price and, per tier (the shape's ``tiers``), ``(floor, ratio)``. Assets past the
market's have price 0 and ratio 0; tiers past an asset's have the unreachable floors ``2^72 +
k`` (above any money figure, so their slices are 0) and ratio 0. ``market_hash =
poseidon_sponge([VECTOR_TAG, *values])``.

Each value has a window (:data:`WINDOWS`); a vector outside them is refused when built and
when read back from a report, so a hash a verifier accepts always names in-window integers and
the circuit uses them without range checks. The instrument table is
:mod:`zkmargin.batch.table`.

>>> from zkmargin.margin import example_paths, load_market
>>> from zkmargin.batch.shape import Shape
>>> market = load_market(example_paths()[0])
>>> shape = Shape.infer(market, batch_size=1)
>>> vector = market_vector(market, shape)
>>> len(vector.values()), vector.hash() == MarketVector.from_json(vector.to_json(), "r", shape).hash()
(31, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any, Generic, TypeVar

from zkmargin.batch.encoding import text_tag
from zkmargin.batch.shape import Shape
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.hash import poseidon_sponge
from zkmargin.json_input import signed_decimal_string
from zkmargin.margin.domain import Market
from zkmargin.margin.fixed import RATE_BOUND, RATE_SCALE, UNSIGNED_BOUND

T = TypeVar("T")

VECTOR_TAG = text_tag("zkmargin/market-vector/v1")
UNREACHABLE_FLOOR = 1 << 72
"""Floor of a padding tier: above every money figure (the circuits' 72-bit window)."""

U64 = (0, UNSIGNED_BOUND - 1)
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
