"""Many independent G1 scalar multiplications ``k_i·P_i`` on the numba Jacobian kernels.

Batch verification weights each proof's ``A`` by its own random 128-bit ``rho``: one short
double-and-add per point, much faster here than in pure Python.  Results come back affine (one inversion per point, in Python).

>>> from zkmargin.curve import BN254
>>> g1_mul_many(BN254, [BN254.g1, None], [3, 5]) == [BN254.g1_mul(BN254.g1, 3), None]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from zkmargin.curve.fast.jacobian import WS_ROWS, jac_add_affine, jac_double
from zkmargin.curve.points import G1
from zkmargin.field.fast.fp2 import scratch2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.word import Modulus

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


@kernel
def mul_many(
    out: np.ndarray,
    points: np.ndarray,
    bits: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out[i] = k_i·points[i]`` (Jacobian ``(n, 3, 1, N)``) for affine ``points``
    (``(n, 2, 1, N)``) and scalars as bit rows ``bits`` (``(n, B)``, most significant first)."""
    for i in range(points.shape[0]):
        acc = out[i]
        acc[:] = 0  # infinity
        for b in range(bits.shape[1]):
            jac_double(acc, acc, m, s, ws)
            if bits[i, b]:
                jac_add_affine(acc, acc, points[i, 0], points[i, 1], one, m, s, ws)


def g1_mul_many(curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> list[G1]:
    """``[k_i·P_i]`` (scalars reduced mod ``r``; infinities and zero products are ``None``)."""
    f = Field64.of(curve.q)
    ks = [k % curve.r for k in scalars]
    finite = [(i, p) for i, p in enumerate(points) if p is not None and ks[i]]
    kept = [i for i, _ in finite]
    result: list[G1] = [None] * len(points)
    if not kept:
        return result
    width = max(ks[i].bit_length() for i in kept)
    bits = np.array([[(ks[i] >> b) & 1 for b in range(width - 1, -1, -1)] for i in kept])
    flat = f.to_mont([c for _, p in finite for c in p])
    jac = np.empty((len(kept), 3, 1, f.n_limbs), dtype=np.uint64)
    ws = np.zeros((WS_ROWS, 1, f.n_limbs), dtype=np.uint64)
    mul_many(jac, flat.reshape(len(kept), 2, 1, -1), bits, f.one, f.m, scratch2(f), ws)
    q = curve.q
    for i, (x, y, z) in zip(kept, np.array(f.from_mont(jac)).reshape(-1, 3).tolist(), strict=True):
        if z:
            zi = pow(z, -1, q)
            zi2 = zi * zi % q
            result[i] = (x * zi2 % q, y * zi2 * zi % q)
    return result
