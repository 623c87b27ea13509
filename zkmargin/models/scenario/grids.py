"""Scenario grids: the price/volatility moves a scenario-based margin model revalues at.

A :class:`Scenario` is one move, expressed relative to the underlying's scan ranges; the pricer
(:mod:`zkmargin.margin.pricing`) turns it into a loss per contract. Moves are exact fractions so
the grid itself carries no rounding; only the pricer's float valuation does.

>>> [str(s.price_move) for s in grid("finra10")]
['-1', '-4/5', '-3/5', '-2/5', '-1/5', '1/5', '2/5', '3/5', '4/5', '1']
>>> len(grid("span16")), len(grid("crypto"))
(16, 27)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from zkmargin.limits import MAX_GRID_STEPS
from zkmargin.margin.domain import ModelConfig

# SPAN's usual extreme-scenario parameters (scenarios 15 and 16).
SPAN_EXTREME_MULTIPLE = Fraction(3)
SPAN_EXTREME_COVER = Fraction(35, 100)


def as_fraction(value: Fraction | int | str | float, what: str) -> Fraction:
    """``value`` as an exact Fraction; floats go through their shortest repr (0.35 -> 7/20).

    >>> as_fraction(0.35, "cover")
    Fraction(7, 20)
    """
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, float):
        # Fraction(0.35) is the binary expansion 0.34999999999999997779...; the user meant 0.35.
        value = repr(value)
    try:
        return Fraction(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise ValueError(f"{what}: not an exact number: {value!r}") from None


@dataclass(frozen=True)
class Scenario:
    """One revaluation point.

    ``price_move``: the underlying moves by ``price_move`` × its price scan range (−1/3 = down a
    third of the range). ``vol_move``: −1, 0 or +1 — volatility shifted down, kept, or shifted up
    by the volatility scan range. ``cover``: the weight applied to this scenario's loss (1 for
    ordinary scenarios; SPAN's extreme moves count only a fraction of theirs).

    >>> Scenario(Fraction(-1, 3), 1)
    Scenario(price_move=Fraction(-1, 3), vol_move=1, cover=Fraction(1, 1))
    """

    price_move: Fraction
    vol_move: int
    cover: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        # Normalise ints/strings to Fraction so equal scenarios compare and hash equal.
        object.__setattr__(self, "price_move", as_fraction(self.price_move, "price_move"))
        object.__setattr__(self, "cover", as_fraction(self.cover, "cover"))
        if type(self.vol_move) is not int or self.vol_move not in (-1, 0, 1):
            raise ValueError(f"vol_move must be -1, 0 or +1, got {self.vol_move!r}")
        if not 0 < self.cover <= 1:
            raise ValueError(f"cover must lie in (0, 1], got {self.cover}")


def span16(
    extreme_multiple: Fraction | int | str | float = SPAN_EXTREME_MULTIPLE,
    extreme_cover: Fraction | int | str | float = SPAN_EXTREME_COVER,
) -> tuple[Scenario, ...]:
    """CME SPAN's 16 risk scenarios, in SPAN's standard order.

    Scenarios 1–14: price unchanged, then up/down 1/3, 2/3, 3/3 of the price scan range, each with
    volatility up then down; 15–16: an extreme move up then down of ``extreme_multiple`` × the
    range with volatility unchanged, counting ``extreme_cover`` of its loss.

    The order follows the published SPAN scenario table (e.g. McMillan, *Options as a Strategic
    Investment*, SPAN risk-array example; the same 16-row table appears in SPAN course material
    such as LPU DCOM510 table 12.1, "Worst Scenario Loss"). Both of those examples use an extreme
    move of 2× the range (McMillan's ±7,000 = 0.35 × 2 × 10,000); the default here is 3×, CME's
    current setting for most products. Pass ``extreme_multiple=2`` to reproduce them.

    >>> [(str(s.price_move), s.vol_move) for s in span16()[:4]]
    [('0', 1), ('0', -1), ('1/3', 1), ('1/3', -1)]
    >>> [(str(s.price_move), s.vol_move, str(s.cover)) for s in span16(2)[14:]]
    [('2', 0, '7/20'), ('-2', 0, '7/20')]
    """
    multiple = as_fraction(extreme_multiple, "extreme_multiple")
    cover = as_fraction(extreme_cover, "extreme_cover")
    if multiple <= 0:
        raise ValueError(f"extreme_multiple must be positive, got {multiple}")
    moves = [Fraction(0)]
    for k in (1, 2, 3):
        moves += [Fraction(k, 3), Fraction(-k, 3)]
    scenarios = [Scenario(move, vol) for move in moves for vol in (1, -1)]
    scenarios += [Scenario(multiple, 0, cover), Scenario(-multiple, 0, cover)]
    return tuple(scenarios)


def crypto(steps: int = 4) -> tuple[Scenario, ...]:
    """Price moves k/steps × range for k = −steps … steps, each with volatility up, same, down.

    Ordered by price move ascending, then volatility +1, 0, −1. The default ``steps=4`` gives
    9 × 3 = 27 scenarios (the crypto-exchange portfolio-margin grid).

    >>> [str(s.price_move) for s in crypto()[::3]]
    ['-1', '-3/4', '-1/2', '-1/4', '0', '1/4', '1/2', '3/4', '1']
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_GRID_STEPS:
        raise ValueError(f"steps must be an integer from 1 to {MAX_GRID_STEPS}, got {steps!r}")
    return tuple(
        Scenario(Fraction(k, steps), vol) for k in range(-steps, steps + 1) for vol in (1, 0, -1)
    )


def finra10() -> tuple[Scenario, ...]:
    """Ten equidistant price points across ±range, volatility unchanged.

    FINRA Rule 4210(g) portfolio margin revalues at ten equidistant points within the market
    move range (OCC's TIMS does the same): for a ±15 % range those are ±3 %, ±6 %, ±9 %, ±12 %,
    ±15 %. We read that as ±range × {1/5, 2/5, 3/5, 4/5, 1}: five points each side, spaced by a
    fifth of the range, ending at the range itself and leaving out "no move" (its loss is zero
    for every position with volatility unchanged, so it never sets the maximum). Ordered from
    the largest fall to the largest rise.

    >>> [str(s.price_move) for s in finra10()][:3]
    ['-1', '-4/5', '-3/5']
    """
    moves = [Fraction(k, 5) for k in range(-5, 6) if k != 0]
    return tuple(Scenario(move, 0) for move in moves)


_GRIDS: dict[str, Callable[..., tuple[Scenario, ...]]] = {
    "span16": span16,
    "crypto": crypto,
    "finra10": finra10,
}
GRID_NAMES: tuple[str, ...] = tuple(_GRIDS)


def grid(name: str, **params: Any) -> tuple[Scenario, ...]:
    """The scenarios of preset ``name`` (one of :data:`GRID_NAMES`) with its parameters.

    >>> len(grid("span16", extreme_multiple=2, extreme_cover="0.35"))
    16
    >>> grid("span17")
    Traceback (most recent call last):
    ...
    ValueError: unknown grid 'span17'; expected one of span16, crypto, finra10
    """
    try:
        build = _GRIDS[name]
    except KeyError:
        raise ValueError(
            f"unknown grid {name!r}; expected one of {', '.join(GRID_NAMES)}"
        ) from None
    try:
        return build(**params)
    except TypeError as err:
        # An unexpected keyword: name the grid so a typo in a market file is easy to trace.
        raise ValueError(f"grid {name!r}: bad parameters {sorted(params)}: {err}") from None


def scenarios(config: ModelConfig) -> tuple[Scenario, ...]:
    """A market's scenario grid, built from its model section's ``grid`` and ``grid_params``
    (decimal strings; an integral one becomes an int, crypto's ``steps``)."""
    params = {k: int(v) if "." not in v else Fraction(v) for k, v in config.grid_params.items()}
    return grid(config.grid, **params)
