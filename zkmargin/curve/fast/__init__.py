"""Fast MSM kernels: numba-compiled 64-bit-limb Montgomery arithmetic, the ``"fast"`` backend.

:mod:`zkmargin.curve.backends` registers :class:`FastBackend` as ``"fast"``, the default,
whenever numba imports; :func:`msm_arrays` is the array API the prover calls on zkey sections;
:func:`warm_up` compiles (or loads from numba's on-disk cache) every kernel and returns the
seconds it took, so benchmarks can report compile time apart from steady-state time.
See ``docs/kernels.md`` for the design and measurements.

>>> from zkmargin.curve import BN254
>>> FastBackend().g1_msm(BN254, [BN254.g1], [2]) == BN254.g1_mul(BN254.g1, 2)
True
"""

from __future__ import annotations

import time

from zkmargin.curve.fast.backend import FastBackend
from zkmargin.curve.fast.msm import FastMsm, msm_arrays


def warm_up() -> float:
    """Compile or load every MSM kernel for both curves, G1 and G2; the seconds it took."""
    from zkmargin.curve.curve import BLS12_381, BN254

    start = time.perf_counter()
    for curve in (BN254, BLS12_381):
        msm = FastMsm(curve)
        msm.g1([curve.g1, curve.g1, curve.g1], [curve.r - 1, 3, 1])
        msm.g2([curve.g2, curve.g2, curve.g2], [curve.r - 1, 3, 1])
    return time.perf_counter() - start


__all__ = ["FastBackend", "FastMsm", "msm_arrays", "warm_up"]
