"""F_p on 4 limbs and F_p2 = F_p[u]/(u² + 1) over it as numba tuples of words: the bodies
behind :mod:`.regs`'s ``f_*`` names.

An F_p element is 4 little-endian ``uint64`` limbs in Montgomery form, fully reduced; an F_p2
element the 8 limbs of ``c0`` then ``c1``. Every function returns its result; ``m`` is
:attr:`~.mont64.Field64.m` for a 4-limb modulus with a spare top bit (``p < 2^255``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus, adc, mac, sbb

Z = np.uint64(0)
Fp = tuple[np.uint64, np.uint64, np.uint64, np.uint64]


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
