"""Squaring in the cyclotomic subgroup of F_p12 (where the final exponentiation's easy part
lands), by Granger and Scott's formula over ``F_p4 = F_p2[w³]``: 9 F_p2 squarings instead of a
full squaring's 12 multiplications.  Same conventions as :mod:`.fp12`.
"""

from __future__ import annotations

import numpy as np

from zkmargin.curve.fast.pairing.fp6 import mul_xi
from zkmargin.field.fast.fp2 import add2, sqr2, sub2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus


@kernel
def fp4_sqr(
    out0: np.ndarray,
    out1: np.ndarray,
    x0: np.ndarray,
    x1: np.ndarray,
    k: int,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``(out0 + out1·t) = (x0 + x1·t)²`` in ``F_p4 = F_p2[t]/(t² - ξ)``; ``ws``: 4 rows."""
    u0, u1, v = ws[0], ws[1], ws[2]
    sqr2(u0, x0, m, s)
    sqr2(u1, x1, m, s)
    add2(v, x0, x1, m)
    sqr2(v, v, m, s)
    sub2(v, v, u0, m)
    sub2(out1, v, u1, m)  # 2 x0 x1
    mul_xi(u1, u1, k, m, ws[3])
    add2(out0, u0, u1, m)  # x0² + ξ x1²


@kernel
def _triple_plus_twice(
    out: np.ndarray, sq: np.ndarray, x: np.ndarray, sign: int, m: Modulus, t: np.ndarray
) -> None:
    """``out = 3·sq + sign·2·x`` (``sign`` ±1)."""
    add2(t, sq, sq, m)
    add2(t, t, sq, m)
    if sign > 0:
        add2(t, t, x, m)
        add2(out, t, x, m)
    else:
        sub2(t, t, x, m)
        sub2(out, t, x, m)


@kernel
def cyclotomic_sqr12(
    out: np.ndarray, a: np.ndarray, k: int, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``out = a²`` for ``a`` in the cyclotomic subgroup (after the easy part), by Granger and
    Scott's formula over ``F_p4 = F_p2[w³]``: with ``z = A + B w + C w²`` (``A, B, C`` in F_p4),
    ``z² = (3A² - 2Ā) + (3w³C² + 2B̄)w + (3B² - 2C̄)w²``; 9 F_p2 squarings instead of 12
    multiplications.  In the tower layout ``A = (a00, a11)``, ``B = (a10, a02)``,
    ``C = (a01, a12)``."""
    p0, p1, q0, q1, r0, r1, t = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6]
    inner = ws[7:]
    fp4_sqr(p0, p1, a[0, 0], a[1, 1], k, m, s, inner)  # A²
    fp4_sqr(q0, q1, a[1, 0], a[0, 2], k, m, s, inner)  # B²
    fp4_sqr(r0, r1, a[0, 1], a[1, 2], k, m, s, inner)  # C²
    mul_xi(r1, r1, k, m, inner[0])  # w³·C² = (ξ c1, c0)
    _triple_plus_twice(out[0, 0], p0, a[0, 0], -1, m, t)
    _triple_plus_twice(out[1, 1], p1, a[1, 1], 1, m, t)
    _triple_plus_twice(out[1, 0], r1, a[1, 0], 1, m, t)
    _triple_plus_twice(out[0, 2], r0, a[0, 2], -1, m, t)
    _triple_plus_twice(out[0, 1], q0, a[0, 1], -1, m, t)
    _triple_plus_twice(out[1, 2], q1, a[1, 2], 1, m, t)
