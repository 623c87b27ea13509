"""Between Python ints and Montgomery-form limb arrays, for one modulus.

>>> c = MontConverter(97)
>>> arr = c.to_mont([1, 50, 96, 97 + 3])
>>> c.from_mont(arr)
[1, 50, 96, 3]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from zkmargin.field.fast.limbs import Modulus, ints_to_limbs, limbs_to_ints
from zkmargin.field.fast.mont import fp_mul_by


class MontConverter:
    """Converts values mod ``p`` to ``(n, N)`` Montgomery arrays and back (see :mod:`.limbs`)."""

    def __init__(self, p: int) -> None:
        self.mod = Modulus.of(p)
        self.p = p
        self._one_plain = np.zeros(self.mod.n_limbs, dtype=np.uint64)
        self._one_plain[0] = 1

    def to_mont(self, values: Sequence[int]) -> np.ndarray:
        """Values (any ints, reduced mod ``p`` here) as a Montgomery-form array."""
        p = self.p
        arr = ints_to_limbs([v % p for v in values], self.mod.n_limbs)
        if len(arr):
            fp_mul_by(arr, self.mod.r2, arr, self.mod.limbs, self.mod.inv)
        return arr

    def from_mont(self, arr: np.ndarray) -> list[int]:
        """Plain ints from a Montgomery-form array of any shape ``(..., N)``, flattened."""
        flat = np.ascontiguousarray(arr).reshape(-1, self.mod.n_limbs)
        plain = np.empty_like(flat)
        if len(flat):
            fp_mul_by(flat, self._one_plain, plain, self.mod.limbs, self.mod.inv)
        return limbs_to_ints(plain)


@cache
def converter(p: int) -> MontConverter:
    """A shared :class:`MontConverter` per modulus."""
    return MontConverter(p)
