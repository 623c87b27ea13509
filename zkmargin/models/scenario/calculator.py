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

from zkmargin.margin.arith import Arith
from zkmargin.margin.charges import add_ons, grouped, short_option_minimum


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
