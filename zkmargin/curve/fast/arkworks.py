"""BLS12-381 MSMs on ``py_arkworks_bls12381`` (arkworks, native) when it is installed.

Measured faster than the numba kernels for BLS12-381 (``docs/kernels.md``), so the fast
backend uses it for that curve; BN254 has no such package and stays on numba.  Points go
through arkworks's uncompressed big-endian encoding without its subgroup check (``unchecked``),
matching the other backends' contract: callers pass subgroup points.

>>> from zkmargin.curve import BLS12_381
>>> if AVAILABLE:
...     assert g1_msm([BLS12_381.g1], [3]) == BLS12_381.g1_mul(BLS12_381.g1, 3)
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from zkmargin.curve.points import G1, G2, FiniteG1, FiniteG2

_ark: Any  # the optional native module (untyped), or None
try:
    _ark = importlib.import_module("py_arkworks_bls12381")
except ImportError:  # optional: the numba kernels cover BLS12-381 too
    _ark = None

AVAILABLE = _ark is not None
_W = 48  # bytes per base-field coordinate


def _scalars(ks: Sequence[int]) -> list[Any]:
    return [_ark.Scalar.from_le_bytes(k.to_bytes(32, "little")) for k in ks]


def _ints(raw: bytes) -> list[int]:
    return [int.from_bytes(raw[i : i + _W], "big") for i in range(0, len(raw), _W)]


def g1_msm(points: Sequence[FiniteG1], scalars: Sequence[int]) -> G1:
    """``sum(k_i · P_i)`` with scalars already reduced mod r and no infinities."""
    pts = [
        _ark.G1Point.from_xy_bytes_unchecked_be(x.to_bytes(_W, "big") + y.to_bytes(_W, "big"))
        for x, y in points
    ]
    out = _ark.G1Point.multiexp_unchecked(pts, _scalars(scalars))
    if out == _ark.G1Point.identity():
        return None
    x, y = _ints(out.to_xy_bytes_be())
    return (x, y)


def g2_msm(points: Sequence[FiniteG2], scalars: Sequence[int]) -> G2:
    """``sum(k_i · Q_i)`` with scalars already reduced mod r and no infinities."""
    pts = [
        _ark.G2Point.from_xy_bytes_unchecked_be(
            b"".join(c.to_bytes(_W, "big") for c in (x0, x1, y0, y1))
        )
        for (x0, x1), (y0, y1) in points
    ]
    out = _ark.G2Point.multiexp_unchecked(pts, _scalars(scalars))
    if out == _ark.G2Point.identity():
        return None
    x0, x1, y0, y1 = _ints(out.to_xy_bytes_be())
    return ((x0, x1), (y0, y1))
