"""Greeks-based margin over accounts: delta, gamma and vega charges per underlying group.

Per instrument the table holds, for one long contract, ``d`` = P&L of a full price shock,
``g`` = loss from convexity under that shock (−½·Γ·(S·shock)², rounded up) and ``v`` = P&L of a
full volatility shock. Per account and group (each product rescaled on its own):

* delta charge = ``max(Σ ceil(q·d), −Σ floor(q·d))`` — at least ``|Σ q·d|`` whichever way the
  rounding went; vega charge likewise with ``v``;
* gamma charge = ``max(0, Σ ceil(q·g))``;
* ``req[u] = max(delta + gamma + vega + add-ons, SOM)``; maintenance = Σ_u req[u].
"""

from __future__ import annotations

import numpy as np

from zkmargin.margin.arith import Arith
from zkmargin.margin.charges import add_ons, grouped, short_option_minimum
from zkmargin.margin.domain import Instrument, Market
from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE, RATE_SCALE
from zkmargin.margin.pricing import to_fixed
from zkmargin.margin.tables import ModelRows, Tables, model_rows, pricer_args
from zkmargin.models.greeks.sensitivities import greeks


def instrument_rows(market: Market) -> ModelRows:
    """Each instrument's (delta, gamma, vega) charges per long contract (:func:`_greeks_row`)."""
    row = lambda inst: _greeks_row(market, inst)  # noqa: E731
    return model_rows(market, row, "kind", "cannot compute Greeks")


def _greeks_row(market: Market, inst: Instrument) -> tuple[list, list]:
    """(delta, gamma, vega) charges per long contract for the underlying's shocks.

    delta: P&L of a full price shock up (signed, nearest); gamma: loss from convexity under
    the shock, −½·Γ·(S·shock)² (rounded up); vega: P&L of a full vol shock up (signed, nearest).
    """
    u = market.underlyings[inst.underlying]
    g = greeks(**pricer_args(market, inst))
    move = u.price / PRICE_SCALE * u.price_scan_range / RATE_SCALE
    values = (g.delta * move, -0.5 * g.gamma * move * move, g.vega * u.vol_scan_range / RATE_SCALE)
    exact = [to_fixed(v, round_up=(i == 1)) for i, v in enumerate(values)]
    return exact, [v * MONEY_SCALE for v in values]


def margin(ar: Arith, q: np.ndarray, tables: Tables, market: Market) -> dict[str, np.ndarray]:
    """The calculator entry (:class:`~zkmargin.models.registry.ModelSpec`)."""
    coefs = ar.array(tables.own_rows(ar.exact))
    groups = len(tables.underlyings)
    som, add_on = ar.array(tables.som), ar.array(tables.add_on)
    return greeks_margin(ar, q, coefs, som, add_on, tables.group, groups)


def _signed_charge(ar: Arith, q: np.ndarray, coef: np.ndarray, group: np.ndarray, groups: int):
    hi = grouped(ar, q, coef, group, groups)
    lo = grouped(ar, q, coef, group, groups, up=False)
    return np.maximum(hi, -lo)


def greeks_margin(
    ar: Arith,
    q: np.ndarray,
    coefs: np.ndarray,
    som: np.ndarray,
    add_on: np.ndarray,
    group: np.ndarray,
    groups: int,
) -> dict[str, np.ndarray]:
    """Greeks margin per account; ``coefs`` is instruments × (delta, gamma, vega).

    Returns ``delta``, ``gamma``, ``vega``, ``som``, ``add_on``, ``requirement_by_group``
    (accounts × groups) and ``maintenance`` (per account).
    """
    delta = _signed_charge(ar, q, coefs[:, 0], group, groups)
    vega = _signed_charge(ar, q, coefs[:, 2], group, groups)
    gamma_loss = grouped(ar, q, coefs[:, 1], group, groups)
    gamma = np.maximum(gamma_loss, 0)
    som_g = short_option_minimum(ar, q, som, group, groups)
    add_g = add_ons(ar, q, add_on, group, groups)
    by_group = np.maximum(delta + gamma + vega + add_g, som_g)
    return {
        "delta": delta,
        "gamma": gamma,
        "vega": vega,
        "som": som_g,
        "add_on": add_g,
        "requirement_by_group": by_group,
        "maintenance": by_group.sum(axis=1) if groups else ar.zeros(q.shape[0]),
    }
