"""Checks on affine point arrays in ffjavascript's layout, as numba kernels.

A G1 array is ``(n, 2, N)`` ``uint64`` (x, y), a G2 array ``(n, 2, 2, N)`` (x.c0, x.c1, y.c0,
y.c1); coordinates are little-endian 64-bit limbs in Montgomery form ``x·2^(64N) mod q`` and an
all-zero row is the point at infinity — the bytes of a ``.zkey`` section read as ``uint64``.
Each check returns the index of the first offending point, or -1, so a reader can name it.

>>> from zkmargin.field.fast.mont64 import Field64
>>> from zkmargin.formats.point_codec import CURVES
>>> f = Field64.of(CURVES["bn128"].q)
>>> pts = f.to_mont([1, 2, 0, 0, 1, 3]).reshape(3, 2, -1)   # G, infinity, (1, 3)
>>> first_off_g1(pts, f.to_mont([3])[0], f.m)
2
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast import fp2, mont64
from zkmargin.field.fast.jit import kernel


@kernel
def first_not_reduced(values, m):
    """Index of the first row of ``values`` (``(k, N)``) that is ``>= q``, or -1."""
    for i in range(values.shape[0]):
        if mont64.geq_modulus(values[i], m):
            return i
    return -1


@kernel
def first_off_g1(points, b, m):
    """Index of the first finite point not on ``y² = x³ + b`` (``b`` Montgomery), or -1."""
    n = len(m) - 1
    t = np.empty(n + 2, dtype=np.uint64)
    lhs = np.empty(n, dtype=np.uint64)
    rhs = np.empty(n, dtype=np.uint64)
    for i in range(points.shape[0]):
        x, y = points[i, 0], points[i, 1]
        if mont64.is_zero(x) and mont64.is_zero(y):
            continue
        mont64.mul(lhs, y, y, m, t)
        mont64.mul(rhs, x, x, m, t)
        mont64.mul(rhs, rhs, x, m, t)
        mont64.add(rhs, rhs, b, m)
        if not mont64.equal(lhs, rhs):
            return i
    return -1


@kernel
def first_off_g2(points, b2, m):
    """Index of the first finite point not on ``y² = x³ + b2`` over F_q[u]/(u²+1), or -1."""
    n = len(m) - 1
    s = np.empty((4, n + 2), dtype=np.uint64)
    lhs = np.empty((2, n), dtype=np.uint64)
    rhs = np.empty((2, n), dtype=np.uint64)
    for i in range(points.shape[0]):
        x, y = points[i, 0], points[i, 1]
        if fp2.is_zero2(x) and fp2.is_zero2(y):
            continue
        fp2.sqr2(lhs, y, m, s)
        fp2.sqr2(rhs, x, m, s)
        fp2.mul2(rhs, rhs, x, m, s)
        fp2.add2(rhs, rhs, b2, m)
        if not fp2.equal2(lhs, rhs):
            return i
    return -1
