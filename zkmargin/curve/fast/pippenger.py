"""numba kernels for Pippenger's bucket method with signed digits, one thread per window.

Scalars are split into ``W`` signed ``c``-bit digits ``d`` with ``|d| <= 2^(c-1)`` (half the
buckets of unsigned digits; a negative digit adds the negated point, a free negation in affine
form).  Each window fills its own ``2^(c-1)`` Jacobian buckets with mixed additions and reduces
them with a running sum; windows run in parallel (``prange``) on shared, read-only point and
digit arrays, so nothing large is copied between threads.  The windows' sums are combined with
``c`` doublings each (Horner).
"""

from __future__ import annotations

import numpy as np
from numba import prange

from zkmargin.curve.fast.jacobian import WS_ROWS, jac_add, jac_add_affine, jac_double
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont import ext_neg, scratch

# Cost of one bucket of the running-sum reduction (two full Jacobian additions) in mixed
# additions, from the formulas' multiplication counts (11 vs 16 per addition).
_REDUCE_COST = 2 * 16 / 11


def window_size(n: int, bits: int) -> int:
    """The digit width ``c`` minimising ``W·(n + reduce·2^(c-1))`` mixed additions.

    >>> window_size(1 << 16, 254), window_size(1 << 12, 254)
    (13, 9)
    """
    if n <= 0 or bits <= 0:
        return 1
    best_c, best_cost = 1, float("inf")
    for c in range(1, 22):
        windows = (bits + c) // c  # ceil((bits + 1) / c): a signed top digit may carry out
        cost = windows * (n + _REDUCE_COST * (1 << (c - 1)))
        if cost < best_cost:
            best_c, best_cost = c, cost
    return best_c


def n_windows(bits: int, c: int) -> int:
    """Windows of ``c`` signed digits needed for ``bits``-bit scalars (one more bit for carry)."""
    return (bits + c) // c


@kernel
def signed_digits(k, c, windows, out):
    """``out[w, i]``: the ``w``-th signed ``c``-bit digit of scalar ``k[i]`` (32-bit limbs).

    ``k[i] == sum(out[w, i] << (c·w))`` with every digit in ``[-2^(c-1), 2^(c-1)]``; the
    caller provides enough windows for the final carry.
    """
    n_limbs = k.shape[1]
    half = 1 << (c - 1)
    full = 1 << c
    mask = np.uint64(full - 1)
    for i in range(k.shape[0]):
        carry = 0
        for w in range(windows):
            bit = w * c
            limb = bit // 32
            off = np.uint64(bit % 32)
            v = np.uint64(0)
            if limb < n_limbs:
                v = k[i, limb] >> off
                if bit % 32 + c > 32 and limb + 1 < n_limbs:
                    v |= k[i, limb + 1] << (np.uint64(32) - off)
            d = np.int64(v & mask) + carry
            if d > half:
                d -= full
                carry = 1
            else:
                carry = 0
            out[w, i] = d


@kernel(parallel=True)
def window_sums(points, digits, n_buckets, m, inv, one, out):
    """``out[w] = sum_i digits[w, i]·points[i]`` for every window, in parallel.

    ``points`` is ``(n, 2, D, N)`` affine (finite), ``digits`` is ``(W, n)``, ``out`` is
    ``(W, 3, D, N)`` Jacobian.
    """
    windows = digits.shape[0]
    dim = points.shape[2]
    n_limbs = m.shape[0]
    for w in prange(windows):
        buckets = np.zeros((n_buckets, 3, dim, n_limbs), dtype=np.uint64)
        t = scratch(m)
        ws = np.empty((WS_ROWS, dim, n_limbs), dtype=np.uint64)
        neg_y = np.empty((dim, n_limbs), dtype=np.uint64)
        for i in range(points.shape[0]):
            d = digits[w, i]
            if d > 0:
                b = buckets[d - 1]
                jac_add_affine(b, points[i, 0], points[i, 1], b, m, inv, one, t, ws)
            elif d < 0:
                b = buckets[-d - 1]
                ext_neg(points[i, 1], neg_y, m)
                jac_add_affine(b, points[i, 0], neg_y, b, m, inv, one, t, ws)
        # sum_j j·B_j as a running sum from the top bucket down.
        running = np.zeros((3, dim, n_limbs), dtype=np.uint64)
        acc = out[w]
        for k in range(3):
            acc[k, :, :] = 0
        for j in range(n_buckets - 1, -1, -1):
            jac_add(running, buckets[j], running, m, inv, t, ws)
            jac_add(acc, running, acc, m, inv, t, ws)


@kernel
def combine_windows(sums, c, m, inv, out):
    """``out = sum_w 2^(c·w)·sums[w]`` by Horner's rule (``c`` doublings per window)."""
    t = scratch(m)
    ws = np.empty((WS_ROWS, sums.shape[2], m.shape[0]), dtype=np.uint64)
    out[:, :, :] = 0
    for w in range(sums.shape[0] - 1, -1, -1):
        for _ in range(c):
            jac_double(out, out, m, inv, t, ws)
        jac_add(out, sums[w], out, m, inv, t, ws)
