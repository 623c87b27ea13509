"""The shape a batch circuit is compiled for: sizes and capacities, never a market's contents.

One set of keys proves every market and snapshot that fits its shape: new listings (which may
shift every index), delistings, new prices, risk arrays, a new underlying or asset within
capacity. What does not fit is refused with one line before any proving
(:func:`check_market_fits`, :func:`check_account_fits`).

| field | meaning | default (:meth:`Shape.infer`) |
|---|---|---|
| ``batch_size`` | accounts per proof | given |
| ``slots`` | position slots K per account | ``min(8, listed)``, at least 1 |
| ``instruments`` | instrument table capacity (a power of two) | listed, rounded up to a power of two |
| ``assets`` | collateral assets | the market's |
| ``tiers`` | haircut tiers per asset | the market's largest |
| ``underlyings`` | underlying groups (models that group) | the market's |
| ``scenarios`` | risk columns per row (scenario model) | the market's grid |
| ``brackets`` | notional brackets per instrument (bracket models) | the market's largest, at least 1 |
| ``level`` | ``maintenance`` or ``initial`` | the market's |
| ``lookup`` | ``merkle`` (a path per slot) or ``scan`` (the whole table per batch) | ``scan`` up to :data:`SCAN_CAPACITY` |
| ``statement`` | ``hash`` (its hash is the proof's one public input) or ``fields`` (its fields are the public inputs: for EVM contracts) | ``hash`` |

Fields a model does not read are 0 (:attr:`~zkmargin.batch.BatchCircuit.shape_fields`), so they
neither enter its circuit id nor change its constraints.

>>> from zkmargin.margin import example_paths, load_market
>>> shape = Shape.infer(load_market(example_paths()[0]), batch_size=2)
>>> shape.slots, shape.instruments, shape.assets, shape.tiers, shape.scenarios, shape.lookup
(8, 32, 4, 3, 27, 'scan')
>>> shape.with_params({"slots": 4, "instruments": 4096}).index_bits
12
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from zkmargin.batch.statement import STATEMENT_MODES
from zkmargin.errors import InputError
from zkmargin.margin.domain import Account, Market

DEFAULT_SLOTS = 8
SCAN_CAPACITY = 32
"""Up to this capacity a batch hashes the whole table once and each slot selects its row (about
``capacity × columns`` per slot); above it each slot proves a Merkle path (docs/decisions.md)."""
LOOKUPS = ("merkle", "scan")
LEVELS = ("maintenance", "initial")
INT_FIELDS = (
    "batch_size",
    "slots",
    "instruments",
    "assets",
    "tiers",
    "underlyings",
    "scenarios",
    "brackets",
)
OPTIONAL_FIELDS = ("underlyings", "scenarios", "brackets")


@dataclass(frozen=True)
class Shape:
    """What a batch circuit is compiled for (module docstring)."""

    batch_size: int
    slots: int
    instruments: int
    assets: int
    tiers: int
    underlyings: int = 0
    scenarios: int = 0
    brackets: int = 0
    level: str = "maintenance"
    lookup: str = "merkle"
    statement: str = "hash"

    def __post_init__(self) -> None:
        for name in INT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"shape {name}: expected an integer >= 0, got {value!r}")
        for name in ("batch_size", "slots", "instruments", "assets", "tiers"):
            if getattr(self, name) < 1:
                raise ValueError(f"shape {name}: must be at least 1")
        if self.instruments & (self.instruments - 1):
            raise ValueError(f"shape instruments: {self.instruments} is not a power of two")
        if self.level not in LEVELS:
            raise ValueError(f"shape level: {self.level!r} is not one of {', '.join(LEVELS)}")
        if self.lookup not in LOOKUPS:
            raise ValueError(f"shape lookup: {self.lookup!r} is not one of {', '.join(LOOKUPS)}")
        if self.statement not in STATEMENT_MODES:
            raise ValueError(
                f"shape statement: {self.statement!r} is not one of {', '.join(STATEMENT_MODES)}"
            )

    @property
    def index_bits(self) -> int:
        """Bits of an instrument index: ``log2(instruments)``."""
        return self.instruments.bit_length() - 1

    @classmethod
    def infer(cls, market: Market, batch_size: int) -> Shape:
        """The smallest shape ``market`` fits (module docstring's defaults)."""
        listed = len(market.instruments)
        capacity = 1 << max(0, (listed - 1).bit_length())
        from zkmargin.models.scenario.grids import scenarios as grid

        scenarios = len(grid(market.model))
        return cls(
            batch_size=batch_size,
            slots=max(1, min(DEFAULT_SLOTS, listed)),
            instruments=capacity,
            assets=len(market.assets),
            tiers=max(len(a.haircut) for a in market.assets.values()),
            underlyings=len(market.underlyings),
            scenarios=scenarios,
            brackets=max([1, *(len(i.brackets) for i in market.instruments.values())]),
            level=market.model.level,
            lookup="scan" if capacity <= SCAN_CAPACITY else "merkle",
        )

    def with_params(self, params: Mapping[str, Any]) -> Shape:
        """This shape with ``params`` (``-p KEY=VALUE`` of the CLI) replacing fields; an
        ``instruments`` capacity given alone also resets ``lookup`` to that capacity's default.
        ``ValueError`` names an unknown key or a bad value."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"unknown shape parameter {unknown[0]!r}; known: {', '.join(known)}")
        changes = dict(params)
        if "instruments" in changes and "lookup" not in changes:
            capacity = changes["instruments"]
            if isinstance(capacity, int):
                changes["lookup"] = "scan" if capacity <= SCAN_CAPACITY else "merkle"
        return replace(self, **changes)

    def only(self, used: Iterable[str]) -> Shape:
        """This shape with the optional fields not in ``used`` set to 0 (a model's view)."""
        keep = set(used)
        return replace(self, **{n: 0 for n in OPTIONAL_FIELDS if n not in keep})

    def encoding(self) -> list[int]:
        """The shape as integers, for the circuit id (levels and lookups by their index).

        ``brackets`` comes last and only when non-zero: a model reads it always or never, so
        one circuit name always has one encoding length, and the ids of the models that do
        not read it are those they had before the field existed. ``statement`` follows, only
        when not ``hash`` (one more entry: a ``fields`` circuit never shares a ``hash`` one's
        id, and ``hash`` circuits keep theirs)."""
        return [
            *(getattr(self, n) for n in INT_FIELDS if n != "brackets"),
            LEVELS.index(self.level),
            LOOKUPS.index(self.lookup),
            *([self.brackets] if self.brackets else []),
            *([STATEMENT_MODES.index(self.statement)] if self.statement != "hash" else []),
        ]

    def to_json(self) -> dict[str, Any]:
        """The fields; ``statement`` only when not ``hash`` (files from before it existed)."""
        doc = asdict(self)
        if self.statement == "hash":
            del doc["statement"]
        return doc

    @classmethod
    def from_json(cls, doc: Any, source: str) -> Shape:
        if not isinstance(doc, dict):
            raise InputError(source, "shape", "expected an object")
        try:
            return cls(**doc)
        except (TypeError, ValueError) as err:
            raise InputError(source, "shape", str(err)) from None


def check_market_fits(market: Market, shape: Shape) -> None:
    """:class:`InputError` naming the first thing of ``market`` the shape cannot hold."""
    where = market.source
    _refuse_over(where, "instruments", len(market.instruments), "listed", shape.instruments)
    _refuse_over(where, "assets", len(market.assets), "assets", shape.assets)
    for name, asset in market.assets.items():
        _refuse_over(where, f"assets.{name}.haircut", len(asset.haircut), "tiers", shape.tiers)
    if market.model.level != shape.level:
        raise InputError(
            where, "model.level", f"{market.model.level}, the keys are for {shape.level}"
        )
    if shape.underlyings:
        count = len(market.underlyings)
        _refuse_over(where, "underlyings", count, "underlyings", shape.underlyings)
    if shape.brackets:
        for name, inst in market.instruments.items():
            field = f"instruments.{name}.brackets"
            _refuse_over(where, field, len(inst.brackets), "brackets", shape.brackets)
    if shape.scenarios:
        inferred = Shape.infer(market, shape.batch_size).scenarios
        _refuse_over(where, "model.grid", inferred, "scenarios", shape.scenarios)


def check_account_fits(account: Account, shape: Shape, file: str) -> None:
    """:class:`InputError` (``FILE:LINE: ID: ...``) for an account with more positions than
    the shape's slots (zero quantities take no slot)."""
    held = sum(1 for q in account.positions.values() if q)
    _refuse_over(file, account.id, held, "positions", shape.slots, line=account.line)


def _refuse_over(
    where: str, field: str, count: int, unit: str, capacity: int, line: int | None = None
) -> None:
    """:class:`InputError` ``WHERE[:LINE]: FIELD: COUNT UNIT, the keys hold CAPACITY`` when
    ``count`` exceeds the shape's ``capacity``."""
    if count > capacity:
        raise InputError(where, field, f"{count} {unit}, the keys hold {capacity}", line=line)
