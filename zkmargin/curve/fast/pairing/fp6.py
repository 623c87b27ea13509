"""F_p6 kernels on the 64-bit F_p2 layer (:mod:`zkmargin.field.fast.fp2`), and the F_p2
helpers the tower needs: multiplying by ``ξ`` and conjugating.

``F_p6 = F_p2[v]/(v³ - ξ)`` with ``ξ = k + u`` (``k`` a small int, 9 on BN254, 1 on
BLS12-381).  An F_p6 element is a ``(3, 2, N)`` array, the coefficients of ``1, v, v²``.

Kernels write into ``out``, which may alias an input, and allocate nothing: ``s`` is F_p2
scratch (:func:`~zkmargin.field.fast.fp2.scratch2`) and ``ws`` F_p2 temporaries (the rows of
:func:`.fp12.workspace`).  Each kernel uses the rows from 0 up and passes the rows above its
own to the kernels it calls.
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.fp2 import add2, copy2, inverse2, mul2, neg2, sqr2, sub2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import add, copy, neg, sub
from zkmargin.field.fast.word import Modulus

# --- F_p2 helpers -----------------------------------------------------------------------


@kernel
def mul_small(out: np.ndarray, a: np.ndarray, k: int, m: Modulus) -> None:
    """``out = k·a`` in F_p for a small int ``k >= 1`` by doubling and adding (``out`` must
    not alias ``a``): 9a in 4 additions."""
    copy(out, a)
    top = 0
    while (k >> (top + 1)) > 0:
        top += 1
    for i in range(top - 1, -1, -1):
        add(out, out, out, m)
        if (k >> i) & 1:
            add(out, out, a, m)


@kernel
def mul_xi(out: np.ndarray, a: np.ndarray, k: int, m: Modulus, t: np.ndarray) -> None:
    """``out = ξ·a = (k a0 - a1) + (a0 + k a1)u`` by additions; ``t``: one F_p2 temporary."""
    mul_small(t[0], a[0], k, m)
    sub(t[0], t[0], a[1], m)
    mul_small(t[1], a[1], k, m)
    add(t[1], t[1], a[0], m)
    copy2(out, t)


@kernel
def conj2(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = ā = a0 - a1·u`` (the q-power Frobenius on F_p2)."""
    copy(out[0], a[0])
    neg(out[1], a[1], m)


# --- F_p6 -------------------------------------------------------------------------------


@kernel
def add6(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a + b`` in F_p6."""
    for i in range(3):
        add2(out[i], a[i], b[i], m)


@kernel
def sub6(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a - b`` in F_p6."""
    for i in range(3):
        sub2(out[i], a[i], b[i], m)


@kernel
def neg6(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = -a`` in F_p6."""
    for i in range(3):
        neg2(out[i], a[i], m)


@kernel
def copy6(out: np.ndarray, a: np.ndarray) -> None:
    """``out = a`` in F_p6."""
    for i in range(3):
        copy2(out[i], a[i])


@kernel
def mul6(
    out: np.ndarray, a: np.ndarray, b: np.ndarray, k: int, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``out = a·b`` in F_p6 (Karatsuba, 6 F_p2 multiplications); ``ws``: 7 rows."""
    v0, v1, v2, x, y, z, t = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6]
    mul2(v0, a[0], b[0], m, s)
    mul2(v1, a[1], b[1], m, s)
    mul2(v2, a[2], b[2], m, s)
    # c0 = v0 + ξ((a1 + a2)(b1 + b2) - v1 - v2)
    add2(x, a[1], a[2], m)
    add2(y, b[1], b[2], m)
    mul2(x, x, y, m, s)
    sub2(x, x, v1, m)
    sub2(x, x, v2, m)
    mul_xi(x, x, k, m, t)
    add2(x, x, v0, m)
    # c1 = (a0 + a1)(b0 + b1) - v0 - v1 + ξ v2
    add2(y, a[0], a[1], m)
    add2(z, b[0], b[1], m)
    mul2(y, y, z, m, s)
    sub2(y, y, v0, m)
    sub2(y, y, v1, m)
    mul_xi(z, v2, k, m, t)
    add2(y, y, z, m)
    # c2 = (a0 + a2)(b0 + b2) - v0 + v1 - v2
    add2(z, a[0], a[2], m)
    add2(t, b[0], b[2], m)
    mul2(z, z, t, m, s)
    sub2(z, z, v0, m)
    add2(z, z, v1, m)
    sub2(z, z, v2, m)
    copy2(out[0], x)
    copy2(out[1], y)
    copy2(out[2], z)


@kernel
def mul6_by_01(
    out: np.ndarray,
    a: np.ndarray,
    b0: np.ndarray,
    b1: np.ndarray,
    k: int,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out = a·(b0 + b1 v)`` in F_p6 (5 F_p2 multiplications); ``ws``: 5 rows."""
    v0, v1, x, y, t = ws[0], ws[1], ws[2], ws[3], ws[4]
    mul2(v0, a[0], b0, m, s)
    mul2(v1, a[1], b1, m, s)
    # c1 = (a0 + a1)(b0 + b1) - v0 - v1
    add2(x, a[0], a[1], m)
    add2(y, b0, b1, m)
    mul2(x, x, y, m, s)
    sub2(x, x, v0, m)
    sub2(x, x, v1, m)
    # c0 = v0 + ξ a2 b1
    mul2(y, a[2], b1, m, s)
    mul_xi(y, y, k, m, t)
    add2(y, y, v0, m)
    # c2 = a2 b0 + v1
    mul2(v0, a[2], b0, m, s)
    add2(out[2], v0, v1, m)
    copy2(out[0], y)
    copy2(out[1], x)


@kernel
def mul6_by_v(out: np.ndarray, a: np.ndarray, k: int, m: Modulus, ws: np.ndarray) -> None:
    """``out = v·a = (ξ a2, a0, a1)``; ``ws``: 2 rows."""
    x = ws[0]
    mul_xi(x, a[2], k, m, ws[1])
    copy2(out[2], a[1])
    copy2(out[1], a[0])
    copy2(out[0], x)


@kernel
def inverse6(
    out: np.ndarray,
    a: np.ndarray,
    k: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out = a⁻¹`` in F_p6 (via the norm to F_p2); ``ws``: 6 rows."""
    t0, t1, t2, x, d, t = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5]
    sqr2(t0, a[0], m, s)  # t0 = a0² - ξ a1 a2
    mul2(x, a[1], a[2], m, s)
    mul_xi(x, x, k, m, t)
    sub2(t0, t0, x, m)
    sqr2(t1, a[2], m, s)  # t1 = ξ a2² - a0 a1
    mul_xi(t1, t1, k, m, t)
    mul2(x, a[0], a[1], m, s)
    sub2(t1, t1, x, m)
    sqr2(t2, a[1], m, s)  # t2 = a1² - a0 a2
    mul2(x, a[0], a[2], m, s)
    sub2(t2, t2, x, m)
    mul2(d, a[2], t1, m, s)  # d = a0 t0 + ξ(a2 t1 + a1 t2)
    mul2(x, a[1], t2, m, s)
    add2(d, d, x, m)
    mul_xi(d, d, k, m, t)
    mul2(x, a[0], t0, m, s)
    add2(d, d, x, m)
    inverse2(d, d, one, pm2, m, s)
    mul2(out[0], t0, d, m, s)
    mul2(out[1], t1, d, m, s)
    mul2(out[2], t2, d, m, s)
