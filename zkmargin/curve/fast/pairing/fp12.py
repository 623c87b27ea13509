"""F_p12 kernels on the F_p6 layer (:mod:`.fp6`): ``F_p12 = F_p6[w]/(w² - v)``.

An F_p12 element is a ``(2, 3, 2, N)`` array (the F_p6 coefficients of ``1, w``), so
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

from zkmargin.curve.fast.pairing.fp6 import (
    add6,
    conj2,
    copy6,
    inverse6,
    mul6,
    mul6_by_01,
    mul6_by_v,
    neg6,
    sub6,
)
from zkmargin.field.fast.fp2 import add2, copy2, mul2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, copy
from zkmargin.field.fast.word import Modulus

WS_ROWS = 48


def workspace(field: Field64) -> np.ndarray:
    """A fresh ``ws`` for the pairing kernels (one per thread)."""
    return np.zeros((WS_ROWS, 2, field.n_limbs), dtype=np.uint64)


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
