"""Fast MSM kernels: numba-compiled multi-limb Montgomery arithmetic, registered as ``"fast"``.

:func:`register` adds the backend with a priority above the reference's, so
``get_backend("fast")`` works afterwards and ``get_backend()`` (the default) returns it;
:func:`warm_up` compiles (or loads from numba's on-disk cache) every kernel and returns the
seconds it took, so benchmarks can report compile time apart from steady-state time.
See ``docs/kernels.md`` for the design and measurements.

>>> from zkmargin.curve import BN254
>>> FastBackend().g1_msm(BN254, [BN254.g1], [2]) == BN254.g1_mul(BN254.g1, 2)
True
"""

from __future__ import annotations

import time

from zkmargin.curve.backends import register_backend
from zkmargin.curve.fast.backend import FastBackend
from zkmargin.curve.fast.msm import FastMsm, msm_arrays

# Above the reference's priority 0: once registered, "fast" is the default backend.
PRIORITY = 10


def register() -> None:
    """Add ``"fast"`` to :func:`~zkmargin.curve.get_backend`, as the default (priority 10).

    Explicit rather than on import, so importing the kernels (tests, benchmarks) never changes
    which backend other code gets; ``zkmargin.curve`` calls this when numba is importable.
    """
    register_backend("fast", FastBackend, priority=PRIORITY)


def warm_up() -> float:
    """Compile or load every MSM kernel for both curves, G1 and G2; the seconds it took."""
    from zkmargin.curve import BLS12_381, BN254

    start = time.perf_counter()
    for curve in (BN254, BLS12_381):
        msm = FastMsm(curve)
        msm.g1([curve.g1, curve.g1], [curve.r - 1, 3])
        msm.g2([curve.g2, curve.g2], [curve.r - 1, 3])
    return time.perf_counter() - start


__all__ = ["PRIORITY", "FastBackend", "FastMsm", "msm_arrays", "register", "warm_up"]
