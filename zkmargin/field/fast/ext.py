"""One set of field kernels for F_p and F_p2, so curve formulas exist once for G1 and G2.

An element is a ``(D, N)`` array: ``D = 1`` for F_p (a single row), ``D = 2`` for F_p2 (rows
``c0``, ``c1``, see :mod:`.fp2`).  Each kernel branches on ``D`` at run time (a predictable
branch, measured free next to a multiplication) and calls :mod:`.mont64` or :mod:`.fp2`.
All are inlined into their callers at numba's IR level (``inline=True``): the dispatch then
costs nothing (faster batch-affine bucket filling: ``docs/kernels.md``).  Arguments follow those
modules: ``out`` first (may alias an input), ``m`` is
:attr:`~.mont64.Field64.m`, ``s`` is scratch of shape ``(4, N + 2)`` (:func:`.fp2.scratch2`).

>>> import numpy as np
>>> from zkmargin.field.fast.fp2 import scratch2
>>> from zkmargin.field.fast.mont64 import Field64
>>> f = Field64.of(97)
>>> a = f.to_mont([5]).reshape(1, 1, -1)[0]  # one F_p element as a (1, N) array
>>> out = np.zeros_like(a)
>>> e_sqr(out, a, f.m, scratch2(f))
>>> f.from_mont(out)
[25]
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast import fp2, mont64
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus


@kernel(inline=True)
def e_mul(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus, s: np.ndarray) -> None:
    """``out = a·b``."""
    if a.shape[0] == 1:
        mont64.mul(out[0], a[0], b[0], m, s[0])
    else:
        fp2.mul2(out, a, b, m, s)


@kernel(inline=True)
def e_sqr(out: np.ndarray, a: np.ndarray, m: Modulus, s: np.ndarray) -> None:
    """``out = a²``."""
    if a.shape[0] == 1:
        mont64.mul(out[0], a[0], a[0], m, s[0])
    else:
        fp2.sqr2(out, a, m, s)


@kernel(inline=True)
def e_add(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a + b``."""
    for d in range(a.shape[0]):
        mont64.add(out[d], a[d], b[d], m)


@kernel(inline=True)
def e_sub(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a - b``."""
    for d in range(a.shape[0]):
        mont64.sub(out[d], a[d], b[d], m)


@kernel(inline=True)
def e_neg(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = -a``."""
    for d in range(a.shape[0]):
        mont64.neg(out[d], a[d], m)


@kernel(inline=True)
def e_copy(out: np.ndarray, a: np.ndarray) -> None:
    """``out = a``."""
    for d in range(a.shape[0]):
        mont64.copy(out[d], a[d])


@kernel(inline=True)
def e_set_zero(out: np.ndarray) -> None:
    """``out = 0``."""
    for d in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[d, j] = 0


@kernel(inline=True)
def e_set_one(out: np.ndarray, one: np.ndarray) -> None:
    """``out = 1`` (``one``: :attr:`~.mont64.Field64.one`, the base field's 1 in Montgomery form)."""
    e_set_zero(out)
    mont64.copy(out[0], one)


@kernel(inline=True)
def e_is_zero(a: np.ndarray) -> bool:
    """Whether ``a == 0``."""
    for d in range(a.shape[0]):  # noqa: SIM110 (numba: explicit loops, no generators)
        if not mont64.is_zero(a[d]):
            return False
    return True


@kernel(inline=True)
def e_equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a == b``."""
    for d in range(a.shape[0]):  # noqa: SIM110 (numba: explicit loops, no generators)
        if not mont64.equal(a[d], b[d]):
            return False
    return True


@kernel(inline=True)
def e_inverse(
    out: np.ndarray, a: np.ndarray, one: np.ndarray, pm2: np.ndarray, m: Modulus, s: np.ndarray
) -> None:
    """``out = a^-1`` (0 -> 0); ``pm2``: :attr:`~.mont64.Field64.p_minus_2`."""
    if a.shape[0] == 1:
        n = len(m) - 1
        mont64.inverse(out[0], a[0], one, pm2, m, s[0], s[1][:n])
    else:
        fp2.inverse2(out, a, one, pm2, m, s)
