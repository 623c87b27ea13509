"""F_p2 = F_p[u]/(u² + 1) on the 64-bit Montgomery kernels of :mod:`.mont64`.

Both BN254 and BLS12-381 build their quadratic extension with ``u² = -1``.  An element is a
``(2, N)`` array (rows ``c0``, ``c1`` for ``c0 + c1·u``), usually a slice of a bigger array;
``m`` is :attr:`~.mont64.Field64.m` of the base field.  Kernels write into ``out``, which may
alias an input, and take caller-owned scratch ``s`` of shape ``(4, N + 2)``
(:func:`scratch2`): no allocation in loops, one ``s`` per thread.

Multiplication is Karatsuba (3 base multiplications), squaring the complex method (2).

>>> import numpy as np
>>> from zkmargin.field.fast.mont64 import Field64
>>> f = Field64.of(2**255 - 19)
>>> a = f.to_mont([1, 2])  # 1 + 2u
>>> b = f.to_mont([3, 4])  # 3 + 4u
>>> out = np.zeros_like(a)
>>> mul2(out, a, b, f.m, scratch2(f))
>>> [x - f.p if x > f.p // 2 else x for x in f.from_mont(out)]  # (1+2u)(3+4u) = -5 + 10u
[-5, 10]
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast import mont64
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, copy, mul, neg, sub
from zkmargin.field.fast.word import Modulus


def scratch2(field: Field64) -> np.ndarray:
    """Fresh scratch ``s`` for the kernels here (one per thread)."""
    return np.zeros((4, field.n_limbs + 2), dtype=np.uint64)


@kernel
def add2(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a + b``."""
    add(out[0], a[0], b[0], m)
    add(out[1], a[1], b[1], m)


@kernel
def sub2(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a - b``."""
    sub(out[0], a[0], b[0], m)
    sub(out[1], a[1], b[1], m)


@kernel
def neg2(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = -a``."""
    neg(out[0], a[0], m)
    neg(out[1], a[1], m)


@kernel
def copy2(out: np.ndarray, a: np.ndarray) -> None:
    """``out = a``."""
    copy(out[0], a[0])
    copy(out[1], a[1])


@kernel
def is_zero2(a: np.ndarray) -> bool:
    """Whether ``a`` is zero."""
    return bool(mont64.is_zero(a[0]) and mont64.is_zero(a[1]))


@kernel
def equal2(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a == b``."""
    return bool(mont64.equal(a[0], b[0]) and mont64.equal(a[1], b[1]))


@kernel
def mul2(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus, s: np.ndarray) -> None:
    """``out = a·b``: ``(a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1)·u``."""
    n = len(m) - 1
    t, v0, v1, w = s[0], s[1][:n], s[2][:n], s[3][:n]
    mul(v0, a[0], b[0], m, t)
    mul(v1, a[1], b[1], m, t)
    add(w, a[0], a[1], m)
    add(out[1], b[0], b[1], m)  # out[1] is free: a and b are already read into v0, v1, w
    mul(out[1], out[1], w, m, t)
    sub(out[1], out[1], v0, m)
    sub(out[1], out[1], v1, m)
    sub(out[0], v0, v1, m)


@kernel
def sqr2(out: np.ndarray, a: np.ndarray, m: Modulus, s: np.ndarray) -> None:
    """``out = a²``: ``(a0 + a1)(a0 - a1) + 2 a0 a1·u``."""
    n = len(m) - 1
    t, v0, v1 = s[0], s[1][:n], s[2][:n]
    add(v0, a[0], a[1], m)
    sub(v1, a[0], a[1], m)
    mul(out[1], a[0], a[1], m, t)
    add(out[1], out[1], out[1], m)
    mul(out[0], v0, v1, m, t)


@kernel
def mul2_by_fp(out: np.ndarray, a: np.ndarray, k: int, m: Modulus, s: np.ndarray) -> None:
    """``out = a·k`` for ``k`` in F_p (an ``N``-limb row)."""
    mul(out[0], a[0], k, m, s[0])
    mul(out[1], a[1], k, m, s[0])


@kernel
def inverse2(
    out: np.ndarray, a: np.ndarray, one: np.ndarray, pm2: np.ndarray, m: Modulus, s: np.ndarray
) -> None:
    """``out = a^-1 = conj(a) / (a0² + a1²)``; 0 -> 0."""
    n = len(m) - 1
    t, d, e, acc = s[0], s[1][:n], s[2][:n], s[3][:n]
    mul(d, a[0], a[0], m, t)
    mul(e, a[1], a[1], m, t)
    add(d, d, e, m)
    mont64.inverse(d, d, one, pm2, m, t, acc)
    mul(out[0], a[0], d, m, t)
    mul(e, a[1], d, m, t)
    neg(out[1], e, m)
