"""The inverse FFT over G1/G2 that turns powers of tau into Lagrange points.

Radix-2 decimation in time on affine rows ``(n, 2, D, N)``: bit-reversed input, then one
parallel pass per stage whose butterflies ``(a, b) -> (a + w·b, a - w·b)`` multiply a block's
``b`` points by their twiddles with :func:`~.scalar_mul.mul_rows` and combine them with their
``a`` points affine: ``a + t`` and ``a - t`` share the denominator ``x_t - x_a``, so a
butterfly's two additions cost one batch inversion's share (:mod:`.affine`), 2 × (2M + 1S).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import get_num_threads, prange

from zkmargin.ceremony import glv
from zkmargin.ceremony.affine import BLOCK, chord, invert_rows, tangent_slope_numerator
from zkmargin.ceremony.scalar_mul import endo_of, group_name, mul_rows
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.regs import (
    f_add,
    f_is_zero,
    f_load,
    f_mul,
    f_neg,
    f_store,
    f_sub,
    one_of,
    zero_of,
)
from zkmargin.field.fast.word import Modulus

MIN_BLOCK = 16
"""The smallest block of butterflies a stage is cut into."""

# How the two points of a butterfly meet (see _combine).
_CHORD, _T_INFINITE, _A_INFINITE, _EQUAL, _OPPOSITE = 0, 1, 2, 3, 4


@kernel(inline=True)
def _is_infinity(row: np.ndarray, zero: Any) -> bool:
    return f_is_zero(f_load(row[0], zero)) and f_is_zero(f_load(row[1], zero))


@kernel
def _combine(
    aff: np.ndarray, t: np.ndarray, lo: int, hi: int, half: int, pm2: np.ndarray, m: Modulus,
    one: Any, zero: Any,
) -> None:  # fmt: skip
    """Butterflies ``lo .. hi`` of a stage: ``(a, b) -> (a + t, a - t)`` with ``t[q - lo]`` the
    twiddled ``b``; every special case handled (an infinite operand, ``a = ±t``: such inputs
    occur, e.g. in a ptau whose ``τ`` is still 1)."""
    n, dd, nl = hi - lo, aff.shape[2], aff.shape[3]
    den = np.zeros((n, dd, nl), dtype=np.uint64)
    case = np.empty(n, dtype=np.int8)
    for q in range(lo, hi):
        a = (q // half) * 2 * half + q % half
        ax, ay = f_load(aff[a, 0], zero), f_load(aff[a, 1], zero)
        tx, ty = f_load(t[q - lo, 0], zero), f_load(t[q - lo, 1], zero)
        dx = f_sub(tx, ax, m)
        if _is_infinity(t[q - lo], zero):
            case[q - lo] = _T_INFINITE
        elif _is_infinity(aff[a], zero):
            case[q - lo] = _A_INFINITE
        elif not f_is_zero(dx):
            case[q - lo] = _CHORD
            f_store(den[q - lo], dx)
        else:  # a = ±t: the nonzero sum is 2a, the tangent's denominator is 2y_a ≠ 0
            case[q - lo] = _EQUAL if f_is_zero(f_sub(ty, ay, m)) else _OPPOSITE
            f_store(den[q - lo], f_add(ay, ay, m))
    invert_rows(den, pm2, m, one, zero)
    for q in range(lo, hi):
        a = (q // half) * 2 * half + q % half
        c = case[q - lo]
        if c == _T_INFINITE:
            aff[a + half] = aff[a]
            continue
        ax, ay = f_load(aff[a, 0], zero), f_load(aff[a, 1], zero)
        tx, ty = f_load(t[q - lo, 0], zero), f_load(t[q - lo, 1], zero)
        inv = f_load(den[q - lo], zero)
        if c == _A_INFINITE:
            aff[a] = t[q - lo]
            f_store(aff[a + half, 0], tx)
            f_store(aff[a + half, 1], f_neg(ty, m))
        elif c == _CHORD:
            sx, sy = chord(ax, ay, tx, f_mul(f_sub(ty, ay, m), inv, m), m)
            dx, dy = chord(ax, ay, tx, f_neg(f_mul(f_add(ty, ay, m), inv, m), m), m)
            f_store(aff[a, 0], sx)
            f_store(aff[a, 1], sy)
            f_store(aff[a + half, 0], dx)
            f_store(aff[a + half, 1], dy)
        else:
            lam = f_mul(tangent_slope_numerator(ax, m), inv, m)
            x2, y2 = chord(ax, ay, ax, lam, m)
            dbl, inf = (a, a + half) if c == _EQUAL else (a + half, a)
            f_store(aff[dbl, 0], x2)
            f_store(aff[dbl, 1], y2)
            aff[inf] = 0


@kernel
def _butterflies(
    aff: np.ndarray, lo: int, hi: int, half: int, tw: np.ndarray, tw_neg: np.ndarray,
    tws: np.ndarray, tws_neg: np.ndarray, stride: int, endo: np.ndarray, pm2: np.ndarray,
    m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """Butterflies ``lo .. hi`` of :func:`_stage`: their ``b`` points multiplied as one block
    (:func:`~.scalar_mul.mul_rows`), then combined with their ``a`` points."""
    n, dd, nl = hi - lo, aff.shape[2], aff.shape[3]
    t = np.empty((n, 2, dd, nl), dtype=np.uint64)
    k = np.zeros((n, tw.shape[1], tw.shape[2]), dtype=np.uint64)
    neg = np.zeros((n, tw.shape[1]), dtype=np.bool_)
    skip = np.zeros(n, dtype=np.bool_)
    for q in range(lo, hi):
        group, j = q // half, q % half
        w = j * stride
        t[q - lo] = aff[group * 2 * half + j + half]
        if group == 0:
            k[q - lo], neg[q - lo] = tws[w], tws_neg[w]
        elif j == 0:
            skip[q - lo] = True
        else:
            k[q - lo], neg[q - lo] = tw[w], tw_neg[w]
    mul_rows(t, t, k, neg, skip, endo, pm2, m, one, zero)
    _combine(aff, t, lo, hi, half, pm2, m, one, zero)


@kernel(parallel=True)
def _stage(
    aff: np.ndarray, half: int, tw: np.ndarray, tw_neg: np.ndarray, tws: np.ndarray,
    tws_neg: np.ndarray, stride: int, size: int, endo: np.ndarray, pm2: np.ndarray,
    m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """One stage in blocks of ``size`` butterflies: ``(a, b) -> (a + w·b, a - w·b)``, ``w`` the
    twiddle ``j·stride`` split as :func:`~.glv.split_limbs` does; in the first group
    ``(tws, tws_neg)``, the twiddles times ``1/n`` (see :func:`inverse_fft`)."""
    pairs = aff.shape[0] // 2
    for blk in prange((pairs + size - 1) // size):
        lo = blk * size
        _butterflies(aff, lo, min(pairs, lo + size), half, tw, tw_neg, tws, tws_neg, stride,
                     endo, pm2, m, one, zero)  # fmt: skip


@kernel
def _bit_reverse(
    out: np.ndarray, aff: np.ndarray, bits: int, k: np.ndarray, neg: np.ndarray,
    endo: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """``out[rev(i)] = aff[i]``, the first point times the scalar ``(k, neg)``."""
    for i in range(aff.shape[0]):
        r = 0
        x = i
        for _ in range(bits):
            r = (r << 1) | (x & 1)
            x >>= 1
        out[r] = aff[i]
    mul_rows(out[:1], out[:1], k, neg, np.zeros(1, dtype=np.bool_), endo, pm2, m, one, zero)


def inverse_fft(
    points: np.ndarray, twiddles: Sequence[int], n_inv: int, field: Field64
) -> np.ndarray:
    """The inverse DFT of ``n = 2^k`` affine points: ``out[i] = (1/n) Σ_j ω^(-ij) · points[j]``.

    ``twiddles[j] = ω^(-j)`` for ``j < n/2`` (``ω`` the domain's generator), ``n_inv = 1/n``
    (mod r); ``field`` is the base field's :class:`~zkmargin.field.fast.mont64.Field64`.

    The factor ``1/n`` costs ``k + 1`` multiplications, not ``n``: a stage's first group
    combines the (scaled) first group of the stage before with an unscaled one, so
    multiplying the latter by ``w/n`` instead of ``w`` scales the whole group; only the
    first input point is scaled up front.
    """
    n = points.shape[0]
    bits = n.bit_length() - 1
    dd = points.shape[2]
    group = group_name(points)
    endo, one, zero = endo_of(field, dd), one_of(field.one, dd), zero_of(dd)
    tw, tw_neg = glv.split_limbs(list(twiddles), group)
    tws, tws_neg = glv.split_limbs([n_inv * w % glv.CURVE.r for w in twiddles], group)
    k, neg = glv.split_limbs([n_inv], group)
    out = np.zeros_like(points)
    pm2, m = field.p_minus_2, field.m
    _bit_reverse(out, points, bits, k, neg, endo, pm2, m, one, zero)
    # small transforms in smaller blocks, so that every thread has one (a block's inversions
    # then weigh more, but only where the whole transform is cheap)
    size = min(BLOCK, max(MIN_BLOCK, -(-n // (2 * get_num_threads()))))
    half = 1
    while half < n:
        _stage(out, half, tw, tw_neg, tws, tws_neg, n // (2 * half), size, endo, pm2, m, one,
               zero)  # fmt: skip
        half *= 2
    return out
