"""numba kernels for ceremony arithmetic on whole point sections: scaling every point by its
own scalar, and the inverse FFT over G1/G2 that turns powers of tau into Lagrange points.

Points come and go in the files' layout: affine ``(n, 2, D, N)`` ``uint64`` (``D = 1`` for
G1, ``2`` for G2; G1 arrays ``(n, 2, N)`` are reshaped by the callers), Montgomery form,
all-zero rows for infinity. Inside, points are Jacobian ``(n, 3, D, N)``
(:mod:`zkmargin.curve.fast.jacobian`); results are normalised back to affine with one field
inversion per block of points (Montgomery's trick). Scalars are plain little-endian 64-bit
limbs ``(k, 4)``.

:func:`scale` multiplies each point by its own scalar, :func:`combine` computes sparse linear
combinations. A scalar multiplication is a fixed 4-bit window: a table of ``0..15 · P``, then
per window four doublings and one addition; in a combination the terms share the doublings
and each point's table (made affine, so the additions are mixed ones). Loops over points run in parallel (``prange``) in blocks,
each with its own scratch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import prange

from zkmargin.ceremony import glv
from zkmargin.curve.fast.jacobian import (
    WS_ROWS,
    jac_add,
    jac_add_affine,
    jac_copy,
    jac_double,
    set_infinity,
)
from zkmargin.field.fast.ext import e_copy, e_inverse, e_is_zero, e_mul, e_neg, e_set_one, e_sqr
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, mul
from zkmargin.field.fast.word import Modulus

BLOCK = 256
"""Points per parallel block (one inversion each when normalising)."""


@kernel
def _to_jacobian(out: np.ndarray, aff: np.ndarray, one: np.ndarray) -> None:
    """Affine (all-zero = infinity) to Jacobian."""
    for i in range(aff.shape[0]):
        if e_is_zero(aff[i, 0]) and e_is_zero(aff[i, 1]):
            set_infinity(out[i])
        else:
            e_copy(out[i, 0], aff[i, 0])
            e_copy(out[i, 1], aff[i, 1])
            e_set_one(out[i, 2], one)


@kernel
def _table(table: np.ndarray, p: np.ndarray, m: Modulus, s: np.ndarray, ws: np.ndarray) -> None:
    """``table[d] = d·p`` for ``d < 16`` (Jacobian)."""
    set_infinity(table[0])
    jac_copy(table[1], p)
    for k in range(2, 16):
        if k % 2 == 0:
            jac_double(table[k], table[k // 2], m, s, ws)
        else:
            jac_add(table[k], table[k - 1], p, m, s, ws)


WNAF_WIDTH = 5
"""Signed digits ``±1, ±3, .. ±15``: on average one nonzero digit in six."""
NAF_DIGITS = 130
"""Digits of a half scalar (``< 2^128``) in width-5 NAF, with room for the final carry."""


@kernel
def _wnaf(out: np.ndarray, lo: np.uint64, hi: np.uint64) -> int:
    """``out[i]``: the width-5 NAF digits of ``hi·2^64 + lo`` from the least significant;
    returns how many."""
    n = 0
    while lo != 0 or hi != 0:
        d = 0
        if lo & np.uint64(1):
            d = int(lo & np.uint64(31))
            if d >= 16:
                d -= 32
            if d > 0:
                new = lo - np.uint64(d)
                if new > lo:
                    hi -= np.uint64(1)
                lo = new
            else:
                new = lo + np.uint64(-d)
                if new < lo:
                    hi += np.uint64(1)
                lo = new
        out[n] = d
        n += 1
        lo = (lo >> np.uint64(1)) | (hi << np.uint64(63))
        hi >>= np.uint64(1)
    return n


@kernel
def _odd_table(table: np.ndarray, p: np.ndarray, m: Modulus, s: np.ndarray, ws: np.ndarray) -> None:
    """``table[i] = (2i + 1)·p`` for ``i < 8`` (Jacobian); ``table[8]`` holds ``2·p``."""
    jac_copy(table[0], p)
    jac_double(table[8], p, m, s, ws)
    for i in range(1, 8):
        jac_add(table[i], table[i - 1], table[8], m, s, ws)


@kernel
def _add_digit(
    out: np.ndarray,
    table: np.ndarray,
    d: int,
    t: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out += d·P`` for an odd digit ``d`` (``table`` from :func:`_odd_table`)."""
    if d > 0:
        jac_add(out, out, table[d >> 1], m, s, ws)
    else:
        jac_copy(t, table[(-d) >> 1])
        e_neg(t[1], t[1], m)
        jac_add(out, out, t, m, s, ws)


@kernel
def _glv_mul(
    out: np.ndarray,
    p: np.ndarray,
    k: np.ndarray,
    neg: np.ndarray,
    beta: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
    table: np.ndarray,
    table2: np.ndarray,
) -> None:
    """``out = k1·p + k2·φ(p)`` (Jacobian): ``k[h]`` the plain limbs of ``|k1|``, ``|k2|``
    (below ``2^128``), ``neg[h]`` their signs, ``beta`` Fq's cube root in Montgomery form
    (:mod:`.glv`). Both halves in width-5 NAF share one chain of doublings; ``table2`` is
    ``φ(table)``, one multiplication per entry."""
    _odd_table(table, p, m, s, ws)
    for d in range(8):
        jac_copy(table2[d], table[d])
        for c in range(p.shape[1]):
            mul(table2[d, 0, c], table2[d, 0, c], beta, m, s[0])  # φ(X, Y, Z) = (βX, Y, Z)
        if neg[0]:
            e_neg(table[d, 1], table[d, 1], m)
        if neg[1]:
            e_neg(table2[d, 1], table2[d, 1], m)
    naf = np.zeros((2, NAF_DIGITS), dtype=np.int64)
    n1 = _wnaf(naf[0], k[0, 0], k[0, 1])
    n2 = _wnaf(naf[1], k[1, 0], k[1, 1])
    t = table[15]  # scratch for a negated entry
    set_infinity(out)
    for i in range(max(n1, n2) - 1, -1, -1):
        jac_double(out, out, m, s, ws)
        if naf[0, i] != 0:
            _add_digit(out, table, naf[0, i], t, m, s, ws)
        if naf[1, i] != 0:
            _add_digit(out, table2, naf[1, i], t, m, s, ws)


@kernel
def _normalise(
    out: np.ndarray,
    jac: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    prefix: np.ndarray,
    tmp: np.ndarray,
) -> None:
    """Jacobian rows to affine rows with one inversion (infinity to all zeros)."""
    n = jac.shape[0]
    acc = tmp[0]
    e_set_one(acc, one)
    for i in range(n):
        e_copy(prefix[i], acc)
        if not e_is_zero(jac[i, 2]):
            e_mul(acc, acc, jac[i, 2], m, s)
    inv = tmp[1]
    e_inverse(inv, acc, one, pm2, m, s)
    zinv, z2 = tmp[2], tmp[3]
    for i in range(n - 1, -1, -1):
        if e_is_zero(jac[i, 2]):
            for k in range(2):
                for d in range(out.shape[2]):
                    out[i, k, d, :] = 0
            continue
        e_mul(zinv, inv, prefix[i], m, s)
        e_mul(inv, inv, jac[i, 2], m, s)
        e_sqr(z2, zinv, m, s)
        e_mul(out[i, 0], jac[i, 0], z2, m, s)
        e_mul(z2, z2, zinv, m, s)
        e_mul(out[i, 1], jac[i, 1], z2, m, s)


@kernel(parallel=True)
def _stage(
    jac: np.ndarray,
    half: int,
    tw: np.ndarray,
    tw_neg: np.ndarray,
    tws: np.ndarray,
    tws_neg: np.ndarray,
    stride: int,
    beta: np.ndarray,
    m: Modulus,
) -> None:
    """One radix-2 decimation-in-time stage: ``(a, b) -> (a + w·b, a - w·b)``, ``w`` the
    twiddle ``j·stride`` split as in :func:`_glv_mul`; in the first group ``(tws, tws_neg)``,
    the twiddles times ``1/n`` (see :func:`inverse_fft`)."""
    n, _, dd, nl = jac.shape
    pairs = n // 2
    blocks = (pairs + BLOCK - 1) // BLOCK
    for blk in prange(blocks):
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        ws = np.zeros((WS_ROWS, dd, nl), dtype=np.uint64)
        table = np.zeros((16, 3, dd, nl), dtype=np.uint64)
        table2 = np.zeros((16, 3, dd, nl), dtype=np.uint64)
        t = np.zeros((3, dd, nl), dtype=np.uint64)
        u = np.zeros((3, dd, nl), dtype=np.uint64)
        for q in range(blk * BLOCK, min(pairs, (blk + 1) * BLOCK)):
            group = q // half
            j = q % half
            a = group * 2 * half + j
            b = a + half
            w = j * stride
            if group == 0:
                _glv_mul(t, jac[b], tws[w], tws_neg[w], beta, m, s, ws, table, table2)
            elif j == 0:
                jac_copy(t, jac[b])
            else:
                _glv_mul(t, jac[b], tw[w], tw_neg[w], beta, m, s, ws, table, table2)
            jac_copy(u, jac[a])
            jac_add(jac[a], u, t, m, s, ws)
            e_neg(t[1], t[1], m)  # a - w·b
            jac_add(jac[b], u, t, m, s, ws)


@kernel(parallel=True)
def _normalise_all(
    out: np.ndarray, jac: np.ndarray, one: np.ndarray, pm2: np.ndarray, m: Modulus
) -> None:
    n, _, dd, nl = jac.shape
    blocks = (n + BLOCK - 1) // BLOCK
    for b in prange(blocks):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        prefix = np.zeros((hi - lo, dd, nl), dtype=np.uint64)
        tmp = np.zeros((4, dd, nl), dtype=np.uint64)
        _normalise(out[lo:hi], jac[lo:hi], one, pm2, m, s, prefix, tmp)


@kernel
def _scale_first(
    jac: np.ndarray, k: np.ndarray, neg: np.ndarray, beta: np.ndarray, m: Modulus
) -> None:
    """``jac[0] = (k1 + k2·λ)·jac[0]`` (as :func:`_glv_mul`)."""
    dd, nl = jac.shape[2], jac.shape[3]
    s = np.zeros((4, nl + 2), dtype=np.uint64)
    ws = np.zeros((WS_ROWS, dd, nl), dtype=np.uint64)
    table = np.zeros((16, 3, dd, nl), dtype=np.uint64)
    table2 = np.zeros((16, 3, dd, nl), dtype=np.uint64)
    p = np.zeros((3, dd, nl), dtype=np.uint64)
    jac_copy(p, jac[0])
    _glv_mul(jac[0], p, k, neg, beta, m, s, ws, table, table2)


@kernel
def _bit_reverse(jac: np.ndarray, aff: np.ndarray, one: np.ndarray, bits: int) -> None:
    n = aff.shape[0]
    for i in range(n):
        r = 0
        x = i
        for _ in range(bits):
            r = (r << 1) | (x & 1)
            x >>= 1
        if e_is_zero(aff[i, 0]) and e_is_zero(aff[i, 1]):
            set_infinity(jac[r])
        else:
            e_copy(jac[r, 0], aff[i, 0])
            e_copy(jac[r, 1], aff[i, 1])
            e_set_one(jac[r, 2], one)


def _group(points: np.ndarray) -> str:
    return "g1" if points.shape[2] == 1 else "g2"


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
    group = _group(points)
    beta = field.to_mont([glv.BETA])[0]
    tw, tw_neg = glv.split_limbs(list(twiddles), group)
    tws, tws_neg = glv.split_limbs([n_inv * w % glv.CURVE.r for w in twiddles], group)
    jac = np.zeros((n, 3, dd, nl), dtype=np.uint64)
    _bit_reverse(jac, points, field.one, bits)
    k, neg = glv.split_limbs([n_inv], group)
    _scale_first(jac, k[0], neg[0], beta, field.m)
    half = 1
    while half < n:
        _stage(jac, half, tw, tw_neg, tws, tws_neg, n // (2 * half), beta, field.m)
        half *= 2
    out = np.zeros_like(points)
    _normalise_all(out, jac, field.one, field.p_minus_2, field.m)
    return out


TABLE_BLOCK = 16
"""Points whose window tables are normalised with one inversion."""


@kernel(parallel=True)
def _affine_tables(
    points: np.ndarray, used: np.ndarray, one: np.ndarray, pm2: np.ndarray, m: Modulus
) -> np.ndarray:
    """``tables[i, d] = d·points[i]`` (affine, ``d = 1 .. 15``; row 0 and unused or infinite
    points all zeros)."""
    n, _, dd, nl = points.shape
    tables = np.zeros((n, 16, 2, dd, nl), dtype=np.uint64)
    for b in prange((n + TABLE_BLOCK - 1) // TABLE_BLOCK):
        lo = b * TABLE_BLOCK
        hi = min(n, lo + TABLE_BLOCK)
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        ws = np.zeros((WS_ROWS, dd, nl), dtype=np.uint64)
        jac = np.zeros(((hi - lo) * 16, 3, dd, nl), dtype=np.uint64)
        p = np.zeros((1, 3, dd, nl), dtype=np.uint64)
        for i in range(lo, hi):
            if used[i]:
                _to_jacobian(p, points[i : i + 1], one)
                _table(jac[(i - lo) * 16 : (i - lo + 1) * 16], p[0], m, s, ws)
        prefix = np.zeros(((hi - lo) * 16, dd, nl), dtype=np.uint64)
        tmp = np.zeros((4, dd, nl), dtype=np.uint64)
        _normalise(
            tables[lo:hi].reshape((hi - lo) * 16, 2, dd, nl), jac, one, pm2, m, s, prefix, tmp
        )
    return tables


@kernel(parallel=True)
def _combine_tables(
    tables: np.ndarray,
    finite: np.ndarray,
    starts: np.ndarray,
    cols: np.ndarray,
    scalars: np.ndarray,
    negate: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
) -> np.ndarray:
    n_out = starts.shape[0] - 1
    dd, nl = tables.shape[3], tables.shape[4]
    out = np.zeros((n_out, 2, dd, nl), dtype=np.uint64)
    for b in prange((n_out + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n_out, lo + BLOCK)
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        ws = np.zeros((WS_ROWS, dd, nl), dtype=np.uint64)
        jac = np.zeros((hi - lo, 3, dd, nl), dtype=np.uint64)
        y = np.zeros((dd, nl), dtype=np.uint64)
        for k in range(lo, hi):
            acc = jac[k - lo]
            set_infinity(acc)
            started = False
            for w in range(scalars.shape[1] * 16 - 1, -1, -1):
                shift = np.uint64(4 * (w & 15))
                if started:
                    for _ in range(4):
                        jac_double(acc, acc, m, s, ws)
                for t in range(starts[k], starts[k + 1]):
                    d = (scalars[t, w >> 4] >> shift) & np.uint64(15)
                    if d != 0 and finite[cols[t]]:
                        entry = tables[cols[t], d]
                        if negate[t]:
                            e_neg(y, entry[1], m)
                        else:
                            e_copy(y, entry[1])
                        jac_add_affine(acc, acc, entry[0], y, one, m, s, ws)
                        started = True
        prefix = np.zeros((hi - lo, dd, nl), dtype=np.uint64)
        tmp = np.zeros((4, dd, nl), dtype=np.uint64)
        _normalise(out[lo:hi], jac, one, pm2, m, s, prefix, tmp)
    return out


def combine(
    points: np.ndarray,
    starts: np.ndarray,
    cols: np.ndarray,
    scalars: np.ndarray,
    negate: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
) -> np.ndarray:
    """``out[k] = Σ ±scalars[t] · points[cols[t]]`` over the terms ``t`` in
    ``starts[k] .. starts[k+1]`` (``negate[t]``: subtract); affine in, affine out. Sparse
    combinations of Lagrange points (a circuit's A, B, C columns, whose coefficients are often
    full-size, each point in several terms): every point used gets one affine table of its
    4-bit window multiples, and the terms of an output share their doublings (Straus), so a
    term costs one mixed addition per window."""
    n = points.shape[0]
    flat = points.reshape(n, -1)
    finite = flat.any(axis=1)
    used = np.zeros(n, dtype=np.bool_)
    used[cols] = True
    tables = _affine_tables(points, used & finite, one, pm2, m)
    return _combine_tables(tables, finite, starts, cols, scalars, negate, one, pm2, m)


@kernel(parallel=True)
def _scale_each(
    points: np.ndarray,
    k: np.ndarray,
    neg: np.ndarray,
    beta: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
) -> np.ndarray:
    n, _, dd, nl = points.shape
    out = np.zeros_like(points)
    for b in prange((n + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        ws = np.zeros((WS_ROWS, dd, nl), dtype=np.uint64)
        table = np.zeros((16, 3, dd, nl), dtype=np.uint64)
        table2 = np.zeros((16, 3, dd, nl), dtype=np.uint64)
        jac = np.zeros((hi - lo, 3, dd, nl), dtype=np.uint64)
        p = np.zeros((1, 3, dd, nl), dtype=np.uint64)
        for i in range(lo, hi):
            _to_jacobian(p, points[i : i + 1], one)
            _glv_mul(jac[i - lo], p[0], k[i], neg[i], beta, m, s, ws, table, table2)
        prefix = np.zeros((hi - lo, dd, nl), dtype=np.uint64)
        tmp = np.zeros((4, dd, nl), dtype=np.uint64)
        _normalise(out[lo:hi], jac, one, pm2, m, s, prefix, tmp)
    return out


def scale(points: np.ndarray, scalars: Sequence[int], field: Field64) -> np.ndarray:
    """``scalars[i] · points[i]`` for affine ``(n, 2, D, N)`` points of order r (one scalar per
    point, or one for all); ``field`` is the base field's :class:`~.mont64.Field64`."""
    n = points.shape[0]
    k, neg = glv.split_limbs(list(scalars), _group(points))
    if k.shape[0] == 1:
        k, neg = np.repeat(k, n, axis=0), np.repeat(neg, n, axis=0)
    beta = field.to_mont([glv.BETA])[0]
    return _scale_each(np.ascontiguousarray(points), k, neg, beta, field.one, field.p_minus_2,
                       field.m)  # fmt: skip
