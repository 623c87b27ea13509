"""The two arithmetics the calculator runs in: exact fixed point and a float sanity check.

Every model is written once against this interface. :data:`EXACT` holds Python integers in
numpy object arrays and rescales by floor/ceiling division exactly as the circuits prove it;
:data:`FLOAT` holds float64 values in the same units and rescales by plain division, so its
results show how far the exact rounding moves a figure.

>>> import numpy as np
>>> EXACT.ceil(EXACT.array([-7, 7]), 2).tolist(), FLOAT.ceil(FLOAT.array([-7, 7]), 2).tolist()
([-3, 4], [-3.5, 3.5])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Arith:
    """One arithmetic: ``exact`` selects integer floor/ceil rescales, else float division."""

    name: str
    exact: bool

    def array(self, values: Any) -> np.ndarray:
        """Values as an array of this arithmetic (object ints, or float64)."""
        if self.exact:
            out = np.empty(np.shape(values), dtype=object)
            out[...] = values
            return out
        return np.asarray(values, dtype=np.float64)

    def zeros(self, shape: Any) -> np.ndarray:
        """Zeros of this arithmetic (Python int 0 in exact mode)."""
        return np.full(shape, 0, dtype=object) if self.exact else np.zeros(shape)

    def floor(self, x: Any, d: int) -> Any:
        """``floor(x / d)``: the circuit's ``x = q·d + r`` with ``0 <= r < d``."""
        return x // d if self.exact else x / d

    def ceil(self, x: Any, d: int) -> Any:
        """``ceil(x / d) = floor((x + d − 1) / d)``."""
        return (x + (d - 1)) // d if self.exact else x / d


EXACT = Arith("exact", True)
FLOAT = Arith("float", False)
MODES = {"exact": EXACT, "float": FLOAT}
