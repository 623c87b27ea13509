"""Field elements held in registers: F_p on 4 limbs and F_p2 = F_p[u]/(u² + 1) over it, as
numba tuples of words instead of array rows.

An F_p element is a tuple of 4 little-endian ``uint64`` limbs in Montgomery form, fully reduced
(so zero is all-zero limbs); an F_p2 element ``c0 + c1·u`` the 8 limbs of ``c0`` then ``c1``
(flat: numba's parallel loops take flat tuples, not nested ones). The functions take
and return values: nothing is stored, so a chain of them (a point doubling, an addition) stays
in registers, where the array kernels of :mod:`.mont64` and :mod:`.fp2` load and store every
limb through memory (about 1.5x slower on a doubling: ``docs/decisions.md``). ``m`` is
:attr:`~.mont64.Field64.m` for a 4-limb modulus with a spare top bit.

The ``f_*`` names serve both fields: each is an ``overload`` that picks the F_p or F_p2 body from
its argument's type, so curve formulas are written once for G1 and G2. Kernels choose the field
by the *zero* they are given (:func:`zero_of`), and move values to and from ``(D, 4)`` array
rows with :func:`f_load` and :func:`f_store`.

>>> import numpy as np
>>> from zkmargin.field.fast.jit import kernel
>>> from zkmargin.field.fast.mont64 import Field64
>>> f = Field64.of(2**255 - 19)
>>> @kernel
... def square(row, zero, m):
...     f_store(row, f_mul(f_load(row, zero), f_load(row, zero), m))
>>> a = f.to_mont([1, 2]).copy()  # 1 + 2u as a (2, 4) row
>>> square(a, zero_of(2), f.m)
>>> [x - f.p if x > f.p // 2 else x for x in f.from_mont(a)]  # (1 + 2u)² = -3 + 4u
[-3, 4]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import types
from numba.extending import overload

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus, adc, mac, sbb

Z = np.uint64(0)
Fp = tuple[np.uint64, np.uint64, np.uint64, np.uint64]


def zero_of(d: int) -> Any:
    """The zero of F_p (``d = 1``) or F_p2 (``d = 2``) as the kernels take it."""
    return (Z,) * (4 * d)


def one_of(one: np.ndarray, d: int) -> Any:
    """The one of F_p or F_p2 from F_p's one in Montgomery form (:attr:`~.mont64.Field64.one`)."""
    return tuple(np.uint64(w) for w in one) + (Z,) * (4 * d - 4)


def fp_of(row: np.ndarray) -> Fp:
    """An F_p element's 4 limbs as the kernels take it."""
    w = [np.uint64(x) for x in row]
    return (w[0], w[1], w[2], w[3])


@kernel(inline=True)
def _round(t: Any, a: Fp, bi: np.uint64, m: Modulus) -> Any:
    """One CIOS step: ``(t + a·bi + k·p) / 2^64`` with ``k`` clearing the low word."""
    t0, t1, t2, t3, t4 = t
    t0, c = mac(a[0], bi, t0, Z)
    t1, c = mac(a[1], bi, t1, c)
    t2, c = mac(a[2], bi, t2, c)
    t3, c = mac(a[3], bi, t3, c)
    t4, top = adc(t4, c, Z)
    k = t0 * m[4]
    _, c = mac(k, m[0], t0, Z)
    t0, c = mac(k, m[1], t1, c)
    t1, c = mac(k, m[2], t2, c)
    t2, c = mac(k, m[3], t3, c)
    t3, c = adc(t4, c, Z)
    return (t0, t1, t2, t3, top + c)


@kernel(inline=True)
def _reduce(t0: Any, t1: Any, t2: Any, t3: Any, t4: Any, m: Modulus) -> Fp:
    """``t - p`` if ``t >= p`` else ``t`` (``t`` the 5-word value ``< 2p``)."""
    d0, br = sbb(t0, m[0], Z)
    d1, br = sbb(t1, m[1], br)
    d2, br = sbb(t2, m[2], br)
    d3, br = sbb(t3, m[3], br)
    if t4 != Z or br == Z:
        return (d0, d1, d2, d3)
    return (t0, t1, t2, t3)


@kernel(inline=True)
def mul1(a: Fp, b: Fp, m: Modulus) -> Fp:
    """``a·b·R^-1 mod p`` (CIOS)."""
    t = (Z, Z, Z, Z, Z)
    t = _round(t, a, b[0], m)
    t = _round(t, a, b[1], m)
    t = _round(t, a, b[2], m)
    t0, t1, t2, t3, t4 = _round(t, a, b[3], m)
    out: Fp = _reduce(t0, t1, t2, t3, t4, m)
    return out


@kernel(inline=True)
def add1(a: Fp, b: Fp, m: Modulus) -> Fp:
    """``a + b mod p`` (no carry out: ``p < 2^255``)."""
    s0, c = adc(a[0], b[0], Z)
    s1, c = adc(a[1], b[1], c)
    s2, c = adc(a[2], b[2], c)
    s3, _ = adc(a[3], b[3], c)
    out: Fp = _reduce(s0, s1, s2, s3, Z, m)
    return out


@kernel(inline=True)
def sub1(a: Fp, b: Fp, m: Modulus) -> Fp:
    """``a - b mod p``."""
    d0, br = sbb(a[0], b[0], Z)
    d1, br = sbb(a[1], b[1], br)
    d2, br = sbb(a[2], b[2], br)
    d3, br = sbb(a[3], b[3], br)
    if br == Z:
        return (d0, d1, d2, d3)
    d0, c = adc(d0, m[0], Z)
    d1, c = adc(d1, m[1], c)
    d2, c = adc(d2, m[2], c)
    d3, _ = adc(d3, m[3], c)
    return (d0, d1, d2, d3)


@kernel(inline=True)
def neg1(a: Fp, m: Modulus) -> Fp:
    """``-a mod p``."""
    if (a[0] | a[1] | a[2] | a[3]) == Z:
        return a
    d0, br = sbb(m[0], a[0], Z)
    d1, br = sbb(m[1], a[1], br)
    d2, br = sbb(m[2], a[2], br)
    d3, _ = sbb(m[3], a[3], br)
    return (d0, d1, d2, d3)


@kernel(inline=True)
def c0(a: Any) -> Fp:
    """An F_p2 element's ``c0``."""
    return (a[0], a[1], a[2], a[3])


@kernel(inline=True)
def c1(a: Any) -> Fp:
    """An F_p2 element's ``c1``."""
    return (a[4], a[5], a[6], a[7])


@kernel(inline=True)
def fp2(x: Fp, y: Fp) -> Any:
    """``x + y·u``."""
    return (x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3])


@kernel
def mul2(a: Any, b: Any, m: Modulus) -> Any:
    """Karatsuba: ``(a0 b0 - a1 b1) + ((a0 + a1)(b0 + b1) - a0 b0 - a1 b1)·u``."""
    a0, a1, b0, b1 = c0(a), c1(a), c0(b), c1(b)
    v0 = mul1(a0, b0, m)
    v1 = mul1(a1, b1, m)
    w = mul1(add1(a0, a1, m), add1(b0, b1, m), m)
    return fp2(sub1(v0, v1, m), sub1(sub1(w, v0, m), v1, m))


@kernel
def sqr2(a: Any, m: Modulus) -> Any:
    """``(a0 + a1)(a0 - a1) + 2 a0 a1·u``."""
    a0, a1 = c0(a), c1(a)
    t = mul1(a0, a1, m)
    return fp2(mul1(add1(a0, a1, m), sub1(a0, a1, m), m), add1(t, t, m))


@kernel
def inv1(a: Fp, pm2: np.ndarray, one: Fp, m: Modulus) -> Fp:
    """``a^-1 = a^(p-2)`` (0 -> 0); ``pm2``: :attr:`~.mont64.Field64.p_minus_2`."""
    acc = one
    for i in range(64 * pm2.shape[0] - 1, -1, -1):
        acc = mul1(acc, acc, m)
        if (pm2[i >> 6] >> np.uint64(i & 63)) & np.uint64(1):
            acc = mul1(acc, a, m)
    return acc


@kernel
def inv2(a: Any, pm2: np.ndarray, one: Fp, m: Modulus) -> Any:
    """``a^-1 = conj(a) / (a0² + a1²)`` (0 -> 0)."""
    a0, a1 = c0(a), c1(a)
    d = inv1(add1(mul1(a0, a0, m), mul1(a1, a1, m), m), pm2, one, m)
    return fp2(mul1(a0, d, m), neg1(mul1(a1, d, m), m))


def _is_fp2(a: Any) -> bool:
    return isinstance(a, types.UniTuple) and a.count == 8


def f_mul(a: Any, b: Any, m: Modulus) -> Any:
    """``a·b`` (F_p or F_p2)."""
    raise NotImplementedError("numba only")


def f_sqr(a: Any, m: Modulus) -> Any:
    """``a²``."""
    raise NotImplementedError("numba only")


def f_add(a: Any, b: Any, m: Modulus) -> Any:
    """``a + b``."""
    raise NotImplementedError("numba only")


def f_sub(a: Any, b: Any, m: Modulus) -> Any:
    """``a - b``."""
    raise NotImplementedError("numba only")


def f_neg(a: Any, m: Modulus) -> Any:
    """``-a``."""
    raise NotImplementedError("numba only")


def f_scale(a: Any, k: Fp, m: Modulus) -> Any:
    """``a·k`` for ``k`` in F_p."""
    raise NotImplementedError("numba only")


def f_inv(a: Any, pm2: np.ndarray, one: Any, m: Modulus) -> Any:
    """``a^-1`` (0 -> 0); ``one``: the field's 1, ``pm2``: :attr:`~.mont64.Field64.p_minus_2`."""
    raise NotImplementedError("numba only")


def f_is_zero(a: Any) -> bool:
    """Whether ``a == 0``."""
    raise NotImplementedError("numba only")


def f_load(row: np.ndarray, zero: Any) -> Any:
    """The element in the ``(D, 4)`` row (``zero`` says which field)."""
    raise NotImplementedError("numba only")


def f_store(row: np.ndarray, a: Any) -> None:
    """Write ``a`` into the ``(D, 4)`` row."""
    raise NotImplementedError("numba only")


@overload(f_mul, strict=False)
def _ol_mul(a: Any, b: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, b, m: mul2(a, b, m)
    return lambda a, b, m: mul1(a, b, m)


@overload(f_sqr, strict=False)
def _ol_sqr(a: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, m: sqr2(a, m)
    return lambda a, m: mul1(a, a, m)


@overload(f_scale, strict=False)
def _ol_scale(a: Any, k: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, k, m: fp2(mul1(c0(a), k, m), mul1(c1(a), k, m))
    return lambda a, k, m: mul1(a, k, m)


@overload(f_inv, strict=False)
def _ol_inv(a: Any, pm2: Any, one: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, pm2, one, m: inv2(a, pm2, c0(one), m)
    return lambda a, pm2, one, m: inv1(a, pm2, one, m)


@overload(f_add, strict=False)
def _ol_add(a: Any, b: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, b, m: fp2(add1(c0(a), c0(b), m), add1(c1(a), c1(b), m))
    return lambda a, b, m: add1(a, b, m)


@overload(f_sub, strict=False)
def _ol_sub(a: Any, b: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, b, m: fp2(sub1(c0(a), c0(b), m), sub1(c1(a), c1(b), m))
    return lambda a, b, m: sub1(a, b, m)


@overload(f_neg, strict=False)
def _ol_neg(a: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, m: fp2(neg1(c0(a), m), neg1(c1(a), m))
    return lambda a, m: neg1(a, m)


@overload(f_is_zero, strict=False)
def _ol_is_zero(a: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a: (a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) == Z
    return lambda a: (a[0] | a[1] | a[2] | a[3]) == Z


@overload(f_load, strict=False)
def _ol_load(row: Any, zero: Any) -> Any:  # numba: any argument types
    if _is_fp2(zero):
        return lambda row, zero: (
            row[0, 0],
            row[0, 1],
            row[0, 2],
            row[0, 3],
            row[1, 0],
            row[1, 1],
            row[1, 2],
            row[1, 3],
        )
    return lambda row, zero: (row[0, 0], row[0, 1], row[0, 2], row[0, 3])


@kernel(inline=True)
def _store1(out: np.ndarray, a: Fp) -> None:
    out[0] = a[0]
    out[1] = a[1]
    out[2] = a[2]
    out[3] = a[3]


@overload(f_store, strict=False)
def _ol_store(row: Any, a: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):

        def store2(row: np.ndarray, a: Any) -> None:
            _store1(row[0], c0(a))
            _store1(row[1], c1(a))

        return store2
    return lambda row, a: _store1(row[0], a)
