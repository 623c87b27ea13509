"""Tiered brackets: cross margin over accounts, and an isolated linear perpetual position.

Per position: ``notional = ceil(|q| × unit notional / 10^8)``; the bracket is the last one whose
floor is ≤ notional; ``MM = ceil(notional × MMR / 10^6) − maintenance amount`` and
``IM = ceil(notional × IMR / 10^6) − initial amount`` (amounts: :func:`with_amounts`, which
makes both continuous across floors). Cross margin sums them over the account's positions.

>>> from zkmargin.margin.fixed import MONEY_SCALE as M
>>> rows = [(0, 4000), (50_000, 5000), (250_000, 10000), (1_000_000, 25000), (10_000_000, 50000)]
>>> [b.mm_amount // M for b in with_amounts([Bracket(f * M, r, r) for f, r in rows])]
[0, 50, 1300, 16300, 266300]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zkmargin.margin.arith import EXACT, Arith
from zkmargin.margin.domain import Bracket, Market, with_amounts
from zkmargin.margin.fixed import (
    MONEY_SCALE,
    PRICE_SCALE,
    QTY_SCALE,
    RATE_SCALE,
    div_ceil,
    div_floor,
)
from zkmargin.margin.tables import Tables, instrument_error

__all__ = [
    "Bracket",
    "IsolatedPosition",
    "bracket_margin",
    "cross_margin",
    "instrument_rows",
    "isolated_linear_perpetual",
    "margin",
]


def bracket_margin(
    ar: Arith, notional: np.ndarray, brackets: Sequence[Bracket], *, rounded: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(MM, IM, bracket index) for an array of notionals (money scale) under ``brackets``;
    ``rounded=False``: MM and IM times 10^6 (``notional × rate − amount × 10^6``), unrounded."""
    index = np.zeros(notional.shape, dtype=np.int64)
    for b in brackets[1:]:
        index += (notional >= b.floor).astype(bool)
    pick = lambda attr: ar.array([getattr(b, attr) for b in brackets])[index]  # noqa: E731
    mm = notional * pick("mmr") - pick("mm_amount") * RATE_SCALE
    im = notional * pick("imr") - pick("im_amount") * RATE_SCALE
    if rounded:
        mm, im = ar.ceil(mm, RATE_SCALE), ar.ceil(im, RATE_SCALE)
    return mm, im, index


def cross_margin(
    ar: Arith, q: np.ndarray, unit_notional: np.ndarray, brackets: Sequence[Sequence[Bracket]]
) -> dict[str, np.ndarray]:
    """Cross margin per account over instruments (columns of ``q``), with intermediates.

    Returns ``notional``, ``mm_each``, ``im_each``, ``bracket`` (accounts × instruments) and
    ``maintenance``, ``initial`` (per account). Each position's figure is rounded up on its own
    (``*_each``, what isolated margin needs); the account's is its exact sum rounded up once,
    as the circuits prove it (never more than the sum of the rounded figures).
    """
    notional = ar.ceil(np.abs(q) * unit_notional[None, :], QTY_SCALE)
    mm, im = ar.zeros(q.shape), ar.zeros(q.shape)
    index = np.zeros(q.shape, dtype=np.int64)
    for i, rows in enumerate(brackets):
        mm[:, i], im[:, i], index[:, i] = bracket_margin(ar, notional[:, i], rows, rounded=False)

    def total(x: np.ndarray) -> np.ndarray:
        return ar.ceil(x.sum(axis=1), RATE_SCALE) if q.shape[1] else ar.zeros(q.shape[0])

    return {
        "notional": notional,
        "mm_each": ar.ceil(mm, RATE_SCALE),
        "im_each": ar.ceil(im, RATE_SCALE),
        "bracket": index,
        "maintenance": total(mm),
        "initial": total(im),
    }


def instrument_rows(market: Market) -> None:
    """Checks every instrument has brackets (the model reads no rows of its own)."""
    for inst in market.instruments.values():
        if not inst.brackets:
            raise instrument_error(market, inst, "brackets", "required by model 'cross'")


def margin(ar: Arith, q: np.ndarray, tables: Tables, market: Market) -> dict[str, np.ndarray]:
    """The calculator entry (:class:`~zkmargin.models.registry.ModelSpec`)."""
    brackets = [inst.brackets for inst in market.instruments.values()]
    return cross_margin(ar, q, ar.array(tables.unit_notional), brackets)


@dataclass(frozen=True)
class IsolatedPosition:
    """An isolated linear perpetual: margins (money scale) and prices (price scale)."""

    notional: int
    initial_margin: int
    maintenance_margin: int
    liquidation_price: int
    bankruptcy_price: int


def isolated_linear_perpetual(
    quantity: int,
    entry_price: int,
    brackets: Sequence[Bracket],
    *,
    leverage: int | None = None,
    multiplier: int = PRICE_SCALE,
) -> IsolatedPosition:
    """Margins, liquidation and bankruptcy price of one isolated linear perpetual position.

    ``quantity`` signed (quantity scale), ``entry_price`` and ``multiplier`` at price scale.
    The isolated margin is ``ceil(notional / leverage)`` with an integer ``leverage``, else the
    bracket's IM. MM is the bracket's MM at the entry notional. The bankruptcy price is where
    the loss equals the isolated margin; the liquidation price where margin minus loss equals
    MM. Both are rounded toward the entry price (a long rounds up, a short down): liquidation
    never comes later than the exact figure.

    >>> from zkmargin.margin.fixed import QTY_SCALE as Q, PRICE_SCALE as P, MONEY_SCALE as M
    >>> pos = isolated_linear_perpetual(1 * Q, 20000 * P, [Bracket(0, 5000, 20000)], leverage=50)
    >>> [pos.initial_margin // M, pos.maintenance_margin // M]
    [400, 100]
    >>> [pos.liquidation_price // P, pos.bankruptcy_price // P]
    [19700, 19600]
    """
    if quantity == 0:
        raise ValueError("isolated position: quantity must be non-zero")
    if leverage is not None and leverage <= 0:
        raise ValueError("isolated position: leverage must be positive")
    brackets = with_amounts(brackets)
    size = abs(quantity)
    unit = div_ceil(multiplier * entry_price, PRICE_SCALE * PRICE_SCALE // MONEY_SCALE)
    notional = div_ceil(size * unit, QTY_SCALE)
    mm, im, _ = bracket_margin(EXACT, EXACT.array([notional]), brackets)
    maintenance = int(mm[0])
    initial = div_ceil(notional, leverage) if leverage is not None else int(im[0])
    # Price change (price scale) that consumes ``amount`` (money scale) on |q| × multiplier:
    # Δ = amount × 10^8 × 10^8 × 10^8 / (10^8 × |q| × multiplier), rounded toward the entry.
    per = size * multiplier
    scale = QTY_SCALE * PRICE_SCALE * PRICE_SCALE // MONEY_SCALE

    def move(amount: int) -> int:
        return div_floor(amount * scale, per)

    if quantity > 0:
        liquidation = entry_price - move(initial - maintenance)
        bankruptcy = entry_price - move(initial)
    else:
        liquidation = entry_price + move(initial - maintenance)
        bankruptcy = entry_price + move(initial)
    return IsolatedPosition(notional, initial, maintenance, max(liquidation, 0), max(bankruptcy, 0))
