"""F_p6 and F_p12 kernels on the 64-bit F_p2 layer (:mod:`zkmargin.field.fast.fp2`).

``F_p6 = F_p2[v]/(v³ - ξ)`` with ``ξ = k + u`` (``k`` a small int, 9 on BN254, 1 on
BLS12-381), ``F_p12 = F_p6[w]/(w² - v)``.  An F_p6 element is a ``(3, 2, N)`` array (the
coefficients of ``1, v, v²``), an F_p12 element ``(2, 3, 2, N)`` (of ``1, w``), so
``f[j][i]`` is the coefficient of ``vⁱwʲ = w^(2i+j)``: the layout snarkjs writes.

Kernels write into ``out``, which may alias an input, and allocate nothing: ``s`` is F_p2
scratch (:func:`~zkmargin.field.fast.fp2.scratch2`) and ``ws`` a workspace of
:data:`WS_ROWS` F_p2 temporaries, shape ``(WS_ROWS, 2, N)`` (:func:`workspace`).  Each kernel
uses the rows from 0 up and passes the rows above its own to the kernels it calls.

>>> import numpy as np
>>> from zkmargin.field.fast.mont64 import Field64
>>> from zkmargin.field.fast.fp2 import scratch2
>>> f = Field64.of(101)
>>> a = np.zeros((2, 3, 2, f.n_limbs), dtype=np.uint64); a[1, 0, 0] = f.one  # a = w
>>> out = np.zeros_like(a)
>>> sqr12(out, a, 1, f.m, scratch2(f), workspace(f))  # w² = v
>>> [f.from_mont(out[j, i]) for j in range(2) for i in range(3)]
[[0, 0], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0]]
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.fp2 import add2, copy2, inverse2, mul2, neg2, sqr2, sub2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, copy, neg, sub
from zkmargin.field.fast.word import Modulus

WS_ROWS = 48


def workspace(field: Field64) -> np.ndarray:
    """A fresh ``ws`` for the kernels here (one per thread)."""
    return np.zeros((WS_ROWS, 2, field.n_limbs), dtype=np.uint64)


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


# --- F_p12 ------------------------------------------------------------------------------


@kernel
def copy12(out: np.ndarray, a: np.ndarray) -> None:
    """``out = a`` in F_p12."""
    copy6(out[0], a[0])
    copy6(out[1], a[1])


@kernel
def set_one12(out: np.ndarray, one: np.ndarray) -> None:
    """``out = 1`` (``one``: the Montgomery form of 1 in F_p)."""
    for j in range(2):
        for i in range(3):
            for c in range(2):
                for n in range(out.shape[3]):
                    out[j, i, c, n] = 0
    copy(out[0, 0, 0], one)


@kernel
def is_one12(a: np.ndarray, one: np.ndarray) -> bool:
    """Whether ``a == 1``."""
    for j in range(2):
        for i in range(3):
            for c in range(2):
                for n in range(a.shape[3]):
                    want = one[n] if j == 0 and i == 0 and c == 0 else 0
                    if a[j, i, c, n] != want:
                        return False
    return True


@kernel
def conj12(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = a0 - a1 w`` (the q⁶-power Frobenius; the inverse on the cyclotomic subgroup)."""
    copy6(out[0], a[0])
    neg6(out[1], a[1], m)


@kernel
def mul12(
    out: np.ndarray, a: np.ndarray, b: np.ndarray, k: int, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``out = a·b`` in F_p12 (Karatsuba over F_p6: 3 F_p6 products); ``ws``: 21 rows."""
    t0, t1, t2, t3 = ws[0:3], ws[3:6], ws[6:9], ws[9:12]
    inner = ws[12:]
    mul6(t0, a[0], b[0], k, m, s, inner)
    mul6(t1, a[1], b[1], k, m, s, inner)
    add6(t2, a[0], a[1], m)
    add6(t3, b[0], b[1], m)
    mul6(t2, t2, t3, k, m, s, inner)
    sub6(t2, t2, t0, m)
    sub6(t2, t2, t1, m)
    copy6(out[1], t2)
    mul6_by_v(t1, t1, k, m, inner)
    add6(out[0], t0, t1, m)


@kernel
def sqr12(
    out: np.ndarray, a: np.ndarray, k: int, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``out = a²``: ``(a0 + a1)(a0 + v a1) - t - v t + 2t w`` with ``t = a0 a1``."""
    t0, t1, t2 = ws[0:3], ws[3:6], ws[6:9]
    inner = ws[9:]
    mul6(t0, a[0], a[1], k, m, s, inner)
    mul6_by_v(t1, a[1], k, m, inner)
    add6(t1, t1, a[0], m)
    add6(t2, a[0], a[1], m)
    mul6(t2, t2, t1, k, m, s, inner)
    mul6_by_v(t1, t0, k, m, inner)
    sub6(t2, t2, t0, m)
    sub6(t2, t2, t1, m)
    add6(out[1], t0, t0, m)
    copy6(out[0], t2)


@kernel
def mul12_by_line(
    f: np.ndarray, line: np.ndarray, k: int, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``f = f·(L0 + L1 w)`` for a sparse line: ``line[j] = (b0, b1)`` means ``Lj = b0 + b1 v``.

    Both twists' lines have this shape (``D``: ``L0 = (c, 0)``, ``M``: ``L1 = (0, c)``), so one
    kernel serves both: 15 F_p2 multiplications instead of a full product's 18.
    """
    t0, t1, t2, e = ws[0:3], ws[3:6], ws[6:9], ws[9:11]
    inner = ws[11:]
    mul6_by_01(t0, f[0], line[0, 0], line[0, 1], k, m, s, inner)
    mul6_by_01(t1, f[1], line[1, 0], line[1, 1], k, m, s, inner)
    add6(t2, f[0], f[1], m)
    add2(e[0], line[0, 0], line[1, 0], m)
    add2(e[1], line[0, 1], line[1, 1], m)
    mul6_by_01(t2, t2, e[0], e[1], k, m, s, inner)
    sub6(t2, t2, t0, m)
    sub6(f[1], t2, t1, m)
    mul6_by_v(t1, t1, k, m, inner)
    add6(f[0], t0, t1, m)


@kernel
def inverse12(
    out: np.ndarray,
    a: np.ndarray,
    k: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out = a⁻¹ = (a0 - a1 w)/(a0² - v a1²)``."""
    t0, t1 = ws[0:3], ws[3:6]
    inner = ws[6:]
    mul6(t0, a[0], a[0], k, m, s, inner)
    mul6(t1, a[1], a[1], k, m, s, inner)
    mul6_by_v(t1, t1, k, m, inner)
    sub6(t0, t0, t1, m)
    inverse6(t0, t0, k, one, pm2, m, s, inner)
    mul6(out[0], a[0], t0, k, m, s, inner)
    mul6(t1, a[1], t0, k, m, s, inner)
    neg6(out[1], t1, m)


@kernel
def frobenius12(
    out: np.ndarray, a: np.ndarray, n: int, gamma: np.ndarray, m: Modulus, s: np.ndarray
) -> None:
    """``out = a^(qⁿ)`` for ``n`` in 1..3: conjugate each coefficient ``n`` times and multiply
    the coefficient of ``wʲ`` by ``gamma[n, j]`` (:attr:`.params.PairingParams.gamma`)."""
    for j in range(2):
        for i in range(3):
            c = out[j, i]
            if n % 2 == 1:
                conj2(c, a[j, i], m)
            else:
                copy2(c, a[j, i])
            mul2(c, c, gamma[n, 2 * i + j], m, s)


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
