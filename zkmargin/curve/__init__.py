"""Pairing-friendly curves (BN254, BLS12-381): group arithmetic, MSM backends, pairings.

>>> from zkmargin.curve import BN254, curve_by_name
>>> curve_by_name("bn128") is BN254
True
>>> BN254.g1_msm([BN254.g1, BN254.g1], [2, 3]) == BN254.g1_mul(BN254.g1, 5)
True
"""

import importlib.util

from zkmargin.curve.backends import (
    FAST_PRIORITY,
    MsmBackend,
    available_backends,
    default_backend,
    get_backend,
    register_backend,
)
from zkmargin.curve.curve import BLS12_381, BN254, Curve, curve_by_name
from zkmargin.curve.points import G1, G2


def _fast_backend() -> MsmBackend:
    from zkmargin.curve.fast.backend import FastBackend  # numba: compiled/loaded on first use

    return FastBackend()


if importlib.util.find_spec("numba") is not None:
    register_backend("fast", _fast_backend, priority=FAST_PRIORITY)

__all__ = [
    "BLS12_381",
    "BN254",
    "G1",
    "G2",
    "Curve",
    "MsmBackend",
    "available_backends",
    "curve_by_name",
    "default_backend",
    "get_backend",
    "register_backend",
]
