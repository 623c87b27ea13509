"""The inverse FFT over G1/G2 that turns powers of tau into Lagrange points.

Radix-2 decimation in time on Jacobian rows ``(n, 3, D, N)``: bit-reversed input, then one
parallel pass per stage whose butterflies ``(a, b) -> (a + w·b, a - w·b)`` multiply by the
twiddle with :func:`~.scalar_mul.mul_rows` on register points, then one normalisation back to
the files' affine rows (:mod:`.affine`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import prange

from zkmargin.ceremony import glv
from zkmargin.ceremony.affine import BLOCK, normalise_all
from zkmargin.ceremony.scalar_mul import endo_of, group_name, mul_rows
from zkmargin.curve.fast.jacobian_regs import p_add, p_load, p_load_affine, p_neg, p_store
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.regs import one_of, zero_of
from zkmargin.field.fast.word import Modulus


@kernel
def _butterflies(
    jac: np.ndarray, lo: int, hi: int, half: int, tw: np.ndarray, tw_neg: np.ndarray,
    tws: np.ndarray, tws_neg: np.ndarray, stride: int, endo: np.ndarray, pm2: np.ndarray, m: Modulus,
    one: Any, zero: Any,
) -> None:  # fmt: skip
    """Butterflies ``lo .. hi`` of :func:`_stage`: their ``b`` points multiplied as one block
    (:func:`~.scalar_mul.mul_rows`), then combined with their ``a`` points."""
    n, dd, nl = hi - lo, jac.shape[2], jac.shape[3]
    rows = np.empty((n, 3, dd, nl), dtype=np.uint64)
    k = np.zeros((n, tw.shape[1], tw.shape[2]), dtype=np.uint64)
    neg = np.zeros((n, tw.shape[1]), dtype=np.bool_)
    skip = np.zeros(n, dtype=np.bool_)
    for q in range(lo, hi):
        group, j = q // half, q % half
        w = j * stride
        rows[q - lo] = jac[group * 2 * half + j + half]
        if group == 0:
            k[q - lo], neg[q - lo] = tws[w], tws_neg[w]
        elif j == 0:
            skip[q - lo] = True
        else:
            k[q - lo], neg[q - lo] = tw[w], tw_neg[w]
    mul_rows(rows, k, neg, skip, endo, pm2, m, one, zero)
    for q in range(lo, hi):
        a = (q // half) * 2 * half + q % half
        t = p_load(rows[q - lo], zero)
        u = p_load(jac[a], zero)
        p_store(jac[a], p_add(u, t, m))
        p_store(jac[a + half], p_add(u, p_neg(t, m), m))


@kernel(parallel=True)
def _stage(
    jac: np.ndarray, half: int, tw: np.ndarray, tw_neg: np.ndarray, tws: np.ndarray,
    tws_neg: np.ndarray, stride: int, endo: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any,
    zero: Any,
) -> None:  # fmt: skip
    """One stage: ``(a, b) -> (a + w·b, a - w·b)``, ``w`` the twiddle ``j·stride`` split as
    :func:`~.glv.split_limbs` does; in the first group ``(tws, tws_neg)``, the twiddles times
    ``1/n`` (see :func:`inverse_fft`)."""
    pairs = jac.shape[0] // 2
    for blk in prange((pairs + BLOCK - 1) // BLOCK):
        lo = blk * BLOCK
        _butterflies(jac, lo, min(pairs, lo + BLOCK), half, tw, tw_neg, tws, tws_neg, stride,
                     endo, pm2, m, one, zero)  # fmt: skip


@kernel
def _bit_reverse(
    jac: np.ndarray, aff: np.ndarray, bits: int, k: np.ndarray, neg: np.ndarray, endo: np.ndarray,
    pm2: np.ndarray, m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """``jac[rev(i)] = aff[i]`` (Jacobian), the first point times the scalar ``(k, neg)``."""
    for i in range(aff.shape[0]):
        r = 0
        x = i
        for _ in range(bits):
            r = (r << 1) | (x & 1)
            x >>= 1
        p_store(jac[r], p_load_affine(aff[i], one, zero))
    mul_rows(jac[:1], k, neg, np.zeros(1, dtype=np.bool_), endo, pm2, m, one, zero)


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
    dd, nl = points.shape[2], points.shape[3]
    group = group_name(points)
    endo, one, zero = endo_of(field, dd), one_of(field.one, dd), zero_of(dd)
    tw, tw_neg = glv.split_limbs(list(twiddles), group)
    tws, tws_neg = glv.split_limbs([n_inv * w % glv.CURVE.r for w in twiddles], group)
    k, neg = glv.split_limbs([n_inv], group)
    jac = np.zeros((n, 3, dd, nl), dtype=np.uint64)
    pm2, m = field.p_minus_2, field.m
    _bit_reverse(jac, points, bits, k, neg, endo, pm2, m, one, zero)
    half = 1
    while half < n:
        _stage(jac, half, tw, tw_neg, tws, tws_neg, n // (2 * half), endo, pm2, m, one, zero)
        half *= 2
    out = np.zeros_like(points)
    normalise_all(out, jac, pm2, m, one, zero)
    return out
