"""The ``"fast"`` MSM backend: numba kernels (:mod:`zkmargin.curve.fast.msm`) for both curves.

>>> from zkmargin.curve import BLS12_381
>>> numba_only = FastBackend(native=False)
>>> numba_only.g1_msm(BLS12_381, [BLS12_381.g1], [7]) == BLS12_381.g1_mul(BLS12_381.g1, 7)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from zkmargin.curve.fast import arkworks
from zkmargin.curve.fast.msm import FastMsm
from zkmargin.curve.points import G1, G2

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


@cache
def _msm_for(q: int, r: int) -> FastMsm:
    return FastMsm(q, r)


class FastBackend:
    """Pippenger with signed digits on numba multi-limb Montgomery arithmetic, both cores;
    BLS12-381 on arkworks (:mod:`.arkworks`) when installed, unless ``native=False``."""

    name = "fast"

    def __init__(self, native: bool = True) -> None:
        self.native = native and arkworks.AVAILABLE

    def g1_msm(self, curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        msm = _msm_for(curve.q, curve.r)
        if self._arkworks(curve):
            kept, ks = msm.terms(points, scalars)
            return arkworks.g1_msm(kept, ks) if ks else None
        return msm.g1(points, scalars)

    def g2_msm(self, curve: Curve, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        msm = _msm_for(curve.q, curve.r)
        if self._arkworks(curve):
            kept, ks = msm.terms(points, scalars)
            return arkworks.g2_msm(kept, ks) if ks else None
        return msm.g2(points, scalars)

    def _arkworks(self, curve: Curve) -> bool:
        return self.native and curve.q == _BLS12_381_Q


# BLS12-381's base-field modulus: arkworks serves this curve only.
_BLS12_381_Q = int(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
    16,
)
