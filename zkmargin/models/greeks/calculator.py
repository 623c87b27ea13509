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
