"""Account health: collateral value against the buffered initial and maintenance requirements.

``threshold(x) = ceil(x × (10^6 + buffer) / 10^6)``. An account is *healthy* when its collateral
value covers the buffered initial requirement, in *margin call* when it covers only the buffered
maintenance requirement, else in *liquidation*. The buffer covers price moves between
snapshots (interval margining): with buffer 0.1 an account needs 110 % of its requirement.

>>> from zkmargin.margin.arith import EXACT
>>> v = EXACT.array([120, 105, 99])
>>> [HEALTH_NAMES[h] for h in health(EXACT, v, EXACT.array([110] * 3), EXACT.array([100] * 3), 0)]
['healthy', 'margin_call', 'liquidation']
"""

from __future__ import annotations

import numpy as np

from zkmargin.margin.arith import Arith
from zkmargin.margin.fixed import RATE_SCALE

HEALTHY, MARGIN_CALL, LIQUIDATION = 0, 1, 2
HEALTH_NAMES = ("healthy", "margin_call", "liquidation")


def threshold(ar: Arith, requirement: np.ndarray, buffer: int) -> np.ndarray:
    """The buffered requirement the collateral value must reach, rounded up."""
    return ar.ceil(requirement * (RATE_SCALE + buffer), RATE_SCALE)


def health(
    ar: Arith, value: np.ndarray, initial: np.ndarray, maintenance: np.ndarray, buffer: int
) -> np.ndarray:
    """Health code per account (:data:`HEALTHY`, :data:`MARGIN_CALL`, :data:`LIQUIDATION`)."""
    ok_initial = (value >= threshold(ar, initial, buffer)).astype(bool)
    ok_maintenance = (value >= threshold(ar, maintenance, buffer)).astype(bool)
    return np.where(ok_initial, HEALTHY, np.where(ok_maintenance, MARGIN_CALL, LIQUIDATION))
