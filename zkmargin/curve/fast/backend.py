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
from zkmargin.curve.fast.pairing.subgroup import g2_in_subgroup
from zkmargin.curve.points import G1, G2

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve

NATIVE_DEFAULT = False
"""Whether :class:`FastBackend` uses arkworks for BLS12-381 by default (see ``docs/kernels.md``:
the numba kernels measured faster here, conversions included)."""


@cache
def _msm_for(name: str) -> FastMsm:
    from zkmargin.curve.curve import curve_by_name

    return FastMsm(curve_by_name(name))


class FastBackend:
    """Pippenger with signed digits and batch-affine buckets on numba 64-bit-limb Montgomery
    arithmetic, both cores; BLS12-381 on arkworks (:mod:`.arkworks`) if ``native`` and
    installed."""

    name = "fast"

    def __init__(self, native: bool = NATIVE_DEFAULT) -> None:
        self.native = native and arkworks.AVAILABLE

    def g1_msm(self, curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        msm = _msm_for(curve.name)
        if self._arkworks(curve):
            kept, ks = msm.terms(points, scalars)
            return arkworks.g1_msm(kept, ks) if ks else None
        return msm.g1(points, scalars)

    def g2_msm(self, curve: Curve, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        msm = _msm_for(curve.name)
        if self._arkworks(curve):
            kept, ks = msm.terms(points, scalars)
            return arkworks.g2_msm(kept, ks) if ks else None
        return msm.g2(points, scalars)

    def g2_in_subgroup(self, curve: Curve, point: G2) -> bool:
        """``psi(Q) == [lambda]Q`` in numba (:mod:`.pairing.subgroup`)."""
        return point is None or g2_in_subgroup(curve, point)

    def _arkworks(self, curve: Curve) -> bool:
        return self.native and curve.name == "bls12381"
