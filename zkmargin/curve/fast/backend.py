"""The ``"fast"`` MSM backend: numba kernels (:mod:`zkmargin.curve.fast.msm`) for both curves.

>>> from zkmargin.curve import BLS12_381, get_backend
>>> fast = get_backend("fast")
>>> fast.g1_msm(BLS12_381, [BLS12_381.g1], [7]) == BLS12_381.g1_mul(BLS12_381.g1, 7)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from zkmargin.curve.fast.msm import FastMsm
from zkmargin.curve.points import G1, G2

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


@cache
def _msm_for(q: int, r: int) -> FastMsm:
    return FastMsm(q, r)


class FastBackend:
    """Pippenger with signed digits on numba multi-limb Montgomery arithmetic, both cores."""

    name = "fast"

    def g1_msm(self, curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        return _msm_for(curve.q, curve.r).g1(points, scalars)

    def g2_msm(self, curve: Curve, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        return _msm_for(curve.q, curve.r).g2(points, scalars)
