"""The typed domain model: market snapshot, assets, underlyings, instruments, model, accounts.

All amounts are exact integers at the scales of :mod:`zkmargin.margin.fixed`; loaders build
these objects once at the edge and everything downstream (the reference calculator, the
circuit witness builders) consumes them.

>>> from zkmargin.margin.fixed import MONEY_SCALE, RATE_SCALE
>>> b = with_amounts([Bracket(0, 4000, 10000), Bracket(50_000 * MONEY_SCALE, 5000, 20000)])
>>> b[1].mm_amount // MONEY_SCALE
50
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from zkmargin.margin.fixed import RATE_SCALE, mul_floor

KINDS = ("perpetual", "future", "option")
RIGHTS = ("call", "put")
LEVELS = ("initial", "maintenance")


@dataclass(frozen=True)
class Asset:
    """A collateral asset: quote-currency price and haircut tiers ``(value floor, ratio)``."""

    name: str
    price: int
    haircut: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Underlying:
    """A risk group: spot/index price, volatility, scan ranges and short-option minimum rate.

    ``price_scan_range`` is a fraction of the price; ``vol_scan_range`` an absolute change of
    annualised volatility; ``short_option_minimum`` a fraction of one contract's notional.
    """

    name: str
    price: int
    vol: int = 0
    price_scan_range: int = 0
    vol_scan_range: int = 0
    short_option_minimum: int = 0


@dataclass(frozen=True)
class Bracket:
    """One notional tier: floor (money), maintenance and initial rates, cumulative amounts."""

    floor: int
    mmr: int
    imr: int
    mm_amount: int = 0
    im_amount: int = 0


def with_amounts(brackets: Sequence[Bracket]) -> tuple[Bracket, ...]:
    """Fill the cumulative amounts: ``amount_n = floor_n·(rate_n − rate_(n−1)) + amount_(n−1)``.

    Each product is rescaled by floor division: an amount is subtracted from a requirement, so
    rounding it down keeps the requirement rounded up.
    """
    out: list[Bracket] = []
    for i, b in enumerate(brackets):
        if i == 0:
            out.append(replace(b, mm_amount=0, im_amount=0))
            continue
        prev = out[-1]
        mm = mul_floor(b.floor, b.mmr - prev.mmr, RATE_SCALE) + prev.mm_amount
        im = mul_floor(b.floor, b.imr - prev.imr, RATE_SCALE) + prev.im_amount
        out.append(replace(b, mm_amount=mm, im_amount=im))
    return tuple(out)


@dataclass(frozen=True)
class Instrument:
    """A derivative contract. ``price`` is its mark (defaults to the underlying's price).

    Linear contracts are worth ``multiplier × price`` in the quote currency; inverse ones have a
    face value of ``multiplier`` quote units (settled in the base asset).
    """

    name: str
    kind: str
    underlying: str
    multiplier: int
    price: int
    inverse: bool = False
    right: str | None = None
    strike: int | None = None
    expiry: datetime | None = None
    vol: int | None = None
    brackets: tuple[Bracket, ...] = ()
    risk_array: tuple[int, ...] | None = None
    add_on: int = 0


@dataclass(frozen=True)
class ModelConfig:
    """Which model the snapshot is margined with, and that model's parameters (all data)."""

    name: str = "scenario"
    grid: str = "span16"
    grid_params: Mapping[str, str] = field(default_factory=dict)
    level: str = "maintenance"
    buffer: int = 0
    initial_factor: int = RATE_SCALE
    grace: int = 0
    """Seconds an account in margin call gets before it may be liquidated (interval
    margining: a liquidation proof needs a notice at least this long before)."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """The model section's other keys, as in the file: the parameters model folders declare
    (``ModelSpec.parameters``), each model reading and converting its own."""


@dataclass(frozen=True)
class Market:
    """One snapshot: epoch, assets, underlyings, instruments (in file order) and model."""

    epoch: datetime
    assets: Mapping[str, Asset]
    underlyings: Mapping[str, Underlying]
    instruments: Mapping[str, Instrument]
    model: ModelConfig
    source: str = "<market>"

    def __post_init__(self) -> None:
        for name in ("assets", "underlyings", "instruments"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def asset_names(self) -> tuple[str, ...]:
        """Asset names in file order: the column order of balance matrices."""
        return tuple(self.assets)

    @property
    def instrument_names(self) -> tuple[str, ...]:
        """Instrument names in file order: the column order of position matrices."""
        return tuple(self.instruments)

    @property
    def epoch_seconds(self) -> int:
        """The epoch in whole seconds since 1970 (the statements' ``epoch``), in integer
        arithmetic (``datetime.timestamp`` divides in floating point)."""
        return (self.epoch - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1)


@dataclass(frozen=True)
class Account:
    """One account: signed positions (10^8) and non-negative balances (10^8).

    ``line`` is where it was read (for error messages), ``None`` if built in code.
    ``isolated`` maps an instrument to its isolated margin balance (money, 10^8, marked to
    market: the allocation plus the position's unrealised P&L); instruments absent from it are
    margined cross. Only the ``isolated`` circuit and :func:`~zkmargin.margin.isolated_margin`
    read it.
    """

    id: str
    positions: Mapping[str, int]
    collateral: Mapping[str, int]
    line: int | None = None
    isolated: Mapping[str, int] = field(default_factory=dict)
