"""Scenario-grid portfolio margin (SPAN-style) over accounts.

Per account, underlying group ``u`` and scenario ``s``:
``loss[u, s] = Σ_(i in u) ceil(q_i × L[i, s] / 10^8)`` (each term rescaled on its own, rounded
up); ``scan[u] = max(0, max_s loss[u, s])``; ``req[u] = max(scan[u] + add-ons[u], SOM[u])``;
maintenance = Σ_u req[u]; initial = ``ceil(maintenance × initial_factor / 10^6)``.

>>> from zkmargin.margin.arith import EXACT
>>> import numpy as np
>>> future = [0, 0, -3330, -3330, 3330, 3330, -6670, -6670, 6670, 6670,
...           -10000, -10000, 10000, 10000, -7000, 7000]
>>> risk = EXACT.array([[x * 10**8 for x in future]])
>>> zero = EXACT.array([0])
>>> out = scenario_margin(EXACT, EXACT.array([[-10**8]]), risk, zero, zero, np.array([0]), 1)
>>> int(out["maintenance"][0]) // 10**8
10000
"""

from __future__ import annotations

import numpy as np

from zkmargin.errors import InputError
from zkmargin.margin.arith import Arith
from zkmargin.margin.charges import add_ons, grouped, short_option_minimum
from zkmargin.margin.domain import Instrument, Market
from zkmargin.margin.fixed import MONEY_SCALE, RATE_SCALE
from zkmargin.margin.pricing import scenario_losses, to_fixed
from zkmargin.margin.tables import ModelRows, Tables, instrument_error, model_rows, pricer_args
from zkmargin.models.scenario.grids import Scenario, scenarios


def instrument_rows(market: Market) -> ModelRows:
    """Each instrument's loss per long contract in every scenario of the market's grid (money
    scale, rounded up): its given ``risk_array``, else priced from the underlying's scan ranges.
    """
    try:
        grid = scenarios(market.model)
    except ValueError as err:
        bad = InputError(market.source, "model.grid_params", str(err))
        bad.path = ["model", "grid_params"]
        raise bad from None
    for inst in market.instruments.values():
        if inst.risk_array is not None and len(inst.risk_array) != len(grid):
            problem = (
                f"has {len(inst.risk_array)} entries, grid {market.model.grid!r} "
                f"has {len(grid)} scenarios"
            )
            raise instrument_error(market, inst, "risk_array", problem)
    return model_rows(
        market, lambda inst: _risk_row(market, inst, grid), "risk_array", "cannot price"
    )


def _risk_row(market: Market, inst: Instrument, grid: tuple[Scenario, ...]) -> tuple[list, list]:
    if inst.risk_array is not None:
        return list(inst.risk_array), [float(x) for x in inst.risk_array]
    u = market.underlyings[inst.underlying]
    losses = scenario_losses(
        **pricer_args(market, inst),
        price_scan_range=u.price_scan_range / RATE_SCALE,
        vol_scan_range=u.vol_scan_range / RATE_SCALE,
        scenarios=grid,
    )
    return [to_fixed(x) for x in losses], [x * MONEY_SCALE for x in losses]


def margin(ar: Arith, q: np.ndarray, tables: Tables, market: Market) -> dict[str, np.ndarray]:
    """The calculator entry (:class:`~zkmargin.models.registry.ModelSpec`)."""
    risk = tables.own_rows(ar.exact)
    groups = len(tables.underlyings)
    som, add_on = ar.array(tables.som), ar.array(tables.add_on)
    return scenario_margin(ar, q, ar.array(risk), som, add_on, tables.group, groups)


def scenario_margin(
    ar: Arith,
    q: np.ndarray,
    risk: np.ndarray,
    som: np.ndarray,
    add_on: np.ndarray,
    group: np.ndarray,
    groups: int,
) -> dict[str, np.ndarray]:
    """Scenario margin per account with its intermediates.

    ``q``: accounts × instruments; ``risk``: instruments × scenarios (loss per long contract).
    Returns ``losses`` (accounts × groups × scenarios), ``scan``, ``som``, ``add_on``,
    ``requirement_by_group`` (accounts × groups) and ``maintenance`` (per account).
    """
    losses = grouped(ar, q, risk, group, groups)
    scan = np.maximum(losses.max(axis=2), 0) if losses.shape[2] else ar.zeros(losses.shape[:2])
    som_g = short_option_minimum(ar, q, som, group, groups)
    add_g = add_ons(ar, q, add_on, group, groups)
    by_group = np.maximum(scan + add_g, som_g)
    return {
        "losses": losses,
        "scan": scan,
        "som": som_g,
        "add_on": add_g,
        "requirement_by_group": by_group,
        "maintenance": by_group.sum(axis=1) if groups else ar.zeros(q.shape[0]),
    }
