"""F_p on 4 limbs and F_p2 = F_p[u]/(u² + 1) over it as numba tuples of words: the bodies
behind :mod:`.regs`'s ``f_*`` names.

An F_p element is 4 little-endian ``uint64`` limbs in Montgomery form, fully reduced; an F_p2
element the 8 limbs of ``c0`` then ``c1``. Every function returns its result, fully reduced;
``m`` is :attr:`~.mont64.Field64.m` for a 4-limb modulus with two spare top bits
(``p < 2^254``, as BN254's base and scalar fields): ``4p < 2^256`` is the headroom that lets
products skip a fifth word, take operands below ``2p`` and reduce F_p2 products lazily.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zkmargin.field.fast.fp_wide import Wide, mul_wide, sub_wide
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus, adc, mac, sbb

Z = np.uint64(0)
Fp = tuple[np.uint64, np.uint64, np.uint64, np.uint64]


@kernel(inline=True)
def _select(keep: np.uint64, a: Fp, b: Fp) -> Fp:
    """``a`` where ``keep`` is all ones, ``b`` where it is zero: no branch to mispredict."""
    return (
        b[0] ^ ((a[0] ^ b[0]) & keep),
        b[1] ^ ((a[1] ^ b[1]) & keep),
        b[2] ^ ((a[2] ^ b[2]) & keep),
        b[3] ^ ((a[3] ^ b[3]) & keep),
    )


@kernel(inline=True)
def _reduce(t: Fp, m: Modulus) -> Fp:
    """``t - p`` if ``t >= p`` else ``t``, for ``t < 2p``."""
    d0, br = sbb(t[0], m[0], Z)
    d1, br = sbb(t[1], m[1], br)
    d2, br = sbb(t[2], m[2], br)
    d3, br = sbb(t[3], m[3], br)
    out: Fp = _select(Z - br, t, (d0, d1, d2, d3))
    return out


@kernel(inline=True)
def _reduce_product(t: Fp, m: Modulus) -> Fp:
    """:func:`_reduce` for a Montgomery product, with a branch: the sum it gets is below
    ``a·b / 2^256 + p``, so at least ``p`` only a few times in a hundred for BN254 (where
    ``p / 2^256 < 0.19``); the predicted branch keeps the selection off the product's chain
    (faster: ``docs/decisions.md``). Sums and differences, ``p`` or more half the time, take
    the branch-free :func:`_reduce`."""
    d0, br = sbb(t[0], m[0], Z)
    d1, br = sbb(t[1], m[1], br)
    d2, br = sbb(t[2], m[2], br)
    d3, br = sbb(t[3], m[3], br)
    if br == Z:
        return (d0, d1, d2, d3)
    return t


@kernel(inline=True)
def _round(t: Fp, a: Fp, bi: np.uint64, m: Modulus) -> Fp:
    """One CIOS step, ``(t + a·bi + k·p) / 2^64`` with ``k`` clearing the low word.

    "No-carry" form: the sum never needs a fifth word. From ``t < a + p`` the step keeps
    ``t < a + p`` (``(a + p + (2^64 - 1)(a + p)) / 2^64``), which is below ``2^256`` for
    ``a < 2p`` and ``p < 2^254``, so the top word's two carries add without overflow.
    """
    t0, ca = mac(a[0], bi, t[0], Z)
    k = t0 * m[4]
    _, cm = mac(k, m[0], t0, Z)
    t1, ca = mac(a[1], bi, t[1], ca)
    t0, cm = mac(k, m[1], t1, cm)
    t2, ca = mac(a[2], bi, t[2], ca)
    t1, cm = mac(k, m[2], t2, cm)
    t3, ca = mac(a[3], bi, t[3], ca)
    t2, cm = mac(k, m[3], t3, cm)
    return (t0, t1, t2, ca + cm)


@kernel(inline=True)
def mul1(a: Fp, b: Fp, m: Modulus) -> Fp:
    """``a·b·R^-1 mod p``, fully reduced, for ``a, b < 2p`` (CIOS).

    The result before the last subtraction is below ``a·b / 2^256 + p < 2p`` (``4p < 2^256``),
    so operands may be the unreduced sums of :func:`add_lazy1`. Also F_p's squaring: a
    dedicated one (the 6 cross products once, doubled, plus the 4 squares, then
    :func:`_redc`) was no faster in a chain of squarings or in G1 doublings.
    """
    t = (Z, Z, Z, Z)
    t = _round(t, a, b[0], m)
    t = _round(t, a, b[1], m)
    t = _round(t, a, b[2], m)
    t = _round(t, a, b[3], m)
    out: Fp = _reduce_product(t, m)
    return out


@kernel(inline=True)
def add_lazy1(a: Fp, b: Fp) -> Fp:
    """``a + b`` unreduced: below ``2p`` for ``a, b < p`` (4 words: ``2p < 2^255``), an operand
    for :func:`mul1` and the F_p2 products."""
    s0, c = adc(a[0], b[0], Z)
    s1, c = adc(a[1], b[1], c)
    s2, c = adc(a[2], b[2], c)
    s3, _ = adc(a[3], b[3], c)
    return (s0, s1, s2, s3)


@kernel(inline=True)
def add1(a: Fp, b: Fp, m: Modulus) -> Fp:
    """``a + b mod p``."""
    out: Fp = _reduce(add_lazy1(a, b), m)
    return out


@kernel(inline=True)
def sub1(a: Fp, b: Fp, m: Modulus) -> Fp:
    """``a - b mod p`` (``p`` added back under a mask when the difference borrows)."""
    d0, br = sbb(a[0], b[0], Z)
    d1, br = sbb(a[1], b[1], br)
    d2, br = sbb(a[2], b[2], br)
    d3, br = sbb(a[3], b[3], br)
    back = Z - br
    d0, c = adc(d0, m[0] & back, Z)
    d1, c = adc(d1, m[1] & back, c)
    d2, c = adc(d2, m[2] & back, c)
    d3, _ = adc(d3, m[3] & back, c)
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


@kernel(inline=True)
def _redc(t: Wide, m: Modulus) -> Fp:
    """``t·2^-256 mod p``, fully reduced, for ``t < p·2^256`` (Montgomery reduction).

    Each of the 4 steps adds ``k·p`` at its word to clear it, its carry out going one word up
    with the previous step's (``e``). The sum is ``(t + K·p) / 2^256 < 2p`` (``K < 2^256``):
    4 words, nothing carried out of the top, and one conditional subtraction.
    """
    t0, t1, t2, t3, t4, t5, t6, t7 = t
    k = t0 * m[4]
    _, c = mac(k, m[0], t0, Z)
    t1, c = mac(k, m[1], t1, c)
    t2, c = mac(k, m[2], t2, c)
    t3, c = mac(k, m[3], t3, c)
    t4, e = adc(t4, c, Z)
    k = t1 * m[4]
    _, c = mac(k, m[0], t1, Z)
    t2, c = mac(k, m[1], t2, c)
    t3, c = mac(k, m[2], t3, c)
    t4, c = mac(k, m[3], t4, c)
    t5, e = adc(t5, c, e)
    k = t2 * m[4]
    _, c = mac(k, m[0], t2, Z)
    t3, c = mac(k, m[1], t3, c)
    t4, c = mac(k, m[2], t4, c)
    t5, c = mac(k, m[3], t5, c)
    t6, e = adc(t6, c, e)
    k = t3 * m[4]
    _, c = mac(k, m[0], t3, Z)
    s0, c = mac(k, m[1], t4, c)
    s1, c = mac(k, m[2], t5, c)
    s2, c = mac(k, m[3], t6, c)
    s3, _ = adc(t7, c, e)
    out: Fp = _reduce_product((s0, s1, s2, s3), m)
    return out


@kernel
def mul2(a: Any, b: Any, m: Modulus) -> Any:
    """Karatsuba with lazy reduction: the three products ``v0 = a0 b0``, ``v1 = a1 b1`` and
    ``w = (a0 + a1)(b0 + b1)`` on 8 words, one Montgomery reduction per coefficient.

    ``c1 = w - v0 - v1 = a0 b1 + a1 b0`` lies in ``[0, 2p²)`` (no borrow), and ``c0 = v0 - v1``
    in ``(-p², p²)`` gets ``p·2^256`` added when negative: both below ``p·2^256``, what
    :func:`_redc` takes. The sums stay unreduced (``< 2p``, so ``w < 4p² < 2^512``).
    """
    a0, a1, b0, b1 = c0(a), c1(a), c0(b), c1(b)
    v0 = mul_wide(a0, b0)
    v1 = mul_wide(a1, b1)
    w = mul_wide(add_lazy1(a0, a1), add_lazy1(b0, b1))
    d, br = sub_wide(v0, v1)
    back = Z - br
    h0, c = adc(d[4], m[0] & back, Z)
    h1, c = adc(d[5], m[1] & back, c)
    h2, c = adc(d[6], m[2] & back, c)
    h3, _ = adc(d[7], m[3] & back, c)  # the carry out cancels the borrow: mod 2^512
    e, _ = sub_wide(w, v0)
    e, _ = sub_wide(e, v1)
    return fp2(_redc((d[0], d[1], d[2], d[3], h0, h1, h2, h3), m), _redc(e, m))


@kernel
def sqr2(a: Any, m: Modulus) -> Any:
    """``(a0 + a1)(a0 - a1) + 2 a0 a1·u``: two products, their doubled and summed operands
    left unreduced (``< 2p``, which :func:`mul1` takes)."""
    a0, a1 = c0(a), c1(a)
    return fp2(mul1(add_lazy1(a0, a1), sub1(a0, a1, m), m), mul1(add_lazy1(a0, a0), a1, m))


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
