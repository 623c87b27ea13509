"""Collateral value with tiered haircuts (rounded DOWN: it is the exchange's asset side).

Per account and asset: ``value = floor(balance × price / 10^8)``; then for each tier ``k``
with floor ``f_k`` and ratio ``r_k``, the slice of the value between ``f_k`` and ``f_(k+1)``
counts ``slice × r_k / 10^6``. The account's collateral value is the sum over its assets and
tiers, rounded down once (the per-asset haircut values are each rounded down too, for display:
they may sum to a few 10^-8 less than the account's value).

>>> from zkmargin.margin.arith import EXACT
>>> from zkmargin.margin.domain import Asset
>>> btc = Asset("BTC", 65000 * 10**8, ((0, 950000), (1_000_000 * 10**8, 900000)))
>>> values, haircut, total = collateral_value(EXACT, EXACT.array([[20 * 10**8]]), [btc])
>>> int(total[0]) // 10**8  # 1,000,000 at 95 % + 300,000 at 90 %
1220000
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zkmargin.margin.arith import Arith
from zkmargin.margin.domain import Asset, Market
from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE, QTY_SCALE, RATE_SCALE
from zkmargin.margin.tables import Tables

BALANCE_PRICE_DIVISOR = QTY_SCALE * PRICE_SCALE // MONEY_SCALE


def tiered(ar: Arith, value: np.ndarray, tiers: Sequence[tuple[int, int]]) -> np.ndarray:
    """Haircut value of ``value`` (money) under ``tiers`` ``(floor, ratio)`` times 10^6
    (``Σ_k slice_k × ratio_k``, not yet rounded)."""
    out = ar.zeros(value.shape)
    for k, (floor, ratio) in enumerate(tiers):
        part = np.maximum(value - floor, 0)
        if k + 1 < len(tiers):
            part = np.minimum(part, tiers[k + 1][0] - floor)
        out = out + part * ratio
    return out


def collateral_value(
    ar: Arith, balances: np.ndarray, assets: Sequence[Asset]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per account: (value per asset, haircut value per asset, total collateral value).

    ``balances`` is accounts × assets at quantity scale, columns in ``assets`` order.
    """
    prices = ar.array([a.price for a in assets])
    values = ar.floor(balances * prices[None, :], BALANCE_PRICE_DIVISOR)
    scaled = ar.zeros(values.shape)
    for j, asset in enumerate(assets):
        scaled[:, j] = tiered(ar, values[:, j], asset.haircut)
    total = scaled.sum(axis=1) if scaled.shape[1] else ar.zeros(len(balances))
    return values, ar.floor(scaled, RATE_SCALE), ar.floor(total, RATE_SCALE)


def margin(ar: Arith, q: np.ndarray, tables: Tables, market: Market) -> dict[str, np.ndarray]:
    """The calculator entry (:class:`~zkmargin.models.registry.ModelSpec`): no requirement
    (every model values the collateral; the calculator does it for all)."""
    return {"maintenance": ar.zeros(q.shape[0]), "initial": ar.zeros(q.shape[0])}
