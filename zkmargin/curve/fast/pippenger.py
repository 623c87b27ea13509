"""Pippenger's bucket method on the 64-bit kernels: signed digits, both cores.

Scalars (``(n, 4)`` ``uint64`` limbs, little-endian) are split into ``W`` signed ``c``-bit
digits with ``|d| <= 2^(c-1)`` (half the buckets of unsigned digits; a negative digit adds the
negated point, a free negation in affine form).  Each window is one *task*: fill its
``2^(c-1)`` buckets (:func:`~.buckets.fill_buckets`, batch-affine) and reduce them with a
running sum.  Points whose scalar is 1 (most wires of a margin circuit are bits) skip the
windows: one more task sums them plainly, spread over ``ONES_BUCKETS`` accumulators so their
additions batch too.  Tasks run in parallel (``prange``) on shared read-only arrays; the
windows' sums are combined by Horner's rule (``c`` doublings per window).
"""

from __future__ import annotations

import numpy as np
from numba import prange

from zkmargin.curve.fast.buckets import fill_buckets, plain_sum, weighted_sum
from zkmargin.curve.fast.jacobian import WS_ROWS, jac_add, jac_double, set_infinity
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus

ONES_BUCKETS = 1024
"""Accumulators for the scalar-one points (a batch of additions never meets itself)."""

# Multiplications per bucket addition (batch-affine) and per bucket of the running-sum
# reduction (a mixed and a full Jacobian addition), for the window-size cost model.
_ADD_COST = 6.5
_REDUCE_COST = 27


def window_size(n: int, bits: int) -> int:
    """The digit width ``c`` minimising ``W·(6.5·n + 27·2^(c-1))`` multiplications.

    >>> window_size(1 << 16, 254), window_size(1 << 12, 254)
    (12, 8)
    """
    if n <= 0 or bits <= 0:
        return 1
    best_c, best_cost = 1, float("inf")
    for c in range(1, 20):
        cost = n_windows(bits, c) * (_ADD_COST * n + _REDUCE_COST * (1 << (c - 1)))
        if cost < best_cost:
            best_c, best_cost = c, cost
    return best_c


def n_windows(bits: int, c: int) -> int:
    """Windows of ``c``-bit signed digits for ``bits``-bit scalars (one more bit for carry).

    >>> n_windows(254, 12)
    22
    """
    return (bits + c) // c


@kernel
def max_bits(scalars: np.ndarray) -> int:
    """The bit length of the largest scalar (``(n, L)`` limbs)."""
    best = 0
    for i in range(scalars.shape[0]):
        for j in range(scalars.shape[1] - 1, -1, -1):
            v = scalars[i, j]
            if v != 0:
                bits = 64 * j
                while v != 0:
                    v >>= np.uint64(1)
                    bits += 1
                best = max(best, bits)
                break
    return best


@kernel
def is_one(scalars: np.ndarray, out: np.ndarray) -> None:
    """``out[i]``: whether scalar ``i`` equals 1."""
    for i in range(scalars.shape[0]):
        one = scalars[i, 0] == 1
        for j in range(1, scalars.shape[1]):
            one = one and scalars[i, j] == 0
        out[i] = one


@kernel
def signed_digits(scalars: np.ndarray, skip: np.ndarray, c: int, out: np.ndarray) -> None:
    """``out[w, i]``: the ``w``-th signed ``c``-bit digit of ``scalars[i]`` (0 where ``skip``).

    ``scalars[i] == sum(out[w, i] << (c·w))`` with every digit in ``[-2^(c-1), 2^(c-1)]``;
    the caller provides enough windows for the final carry (:func:`n_windows`).
    """
    n_limbs = scalars.shape[1]
    windows = out.shape[0]
    half = 1 << (c - 1)
    full = 1 << c
    mask = np.uint64(full - 1)
    for i in range(scalars.shape[0]):
        carry = 0
        for w in range(windows):
            if skip[i]:
                out[w, i] = 0
                continue
            bit = w * c
            limb = bit // 64
            off = bit % 64
            v = np.uint64(0)
            if limb < n_limbs:
                v = scalars[i, limb] >> np.uint64(off)
                if off + c > 64 and limb + 1 < n_limbs:
                    v |= scalars[i, limb + 1] << np.uint64(64 - off)
            d = np.int64(v & mask) + carry
            if d > half:
                d -= full
                carry = 1
            else:
                carry = 0
            out[w, i] = d


@kernel
def ones_digits(ones: np.ndarray, out: np.ndarray) -> None:
    """``out[i]``: bucket number (1-based, round robin) of each scalar-one point, else 0."""
    k = 0
    for i in range(ones.shape[0]):
        if ones[i]:
            out[i] = k % ONES_BUCKETS + 1
            k += 1
        else:
            out[i] = 0


@kernel(parallel=True)
def task_sums(
    points: np.ndarray,
    digits: np.ndarray,
    n_weighted: int,
    buckets: int,
    batch: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    out: np.ndarray,
) -> None:
    """``out[t]``: task ``t``'s sum; tasks below ``n_weighted`` are windows (weighted bucket
    sums over ``buckets`` buckets), the rest plain sums over ``ONES_BUCKETS`` accumulators."""
    dim, n_limbs = points.shape[2], points.shape[3]
    tasks = digits.shape[0]
    # the ones task (the largest, if any) first; the caller sets numba's chunk size to 1
    # (numba.set_parallel_chunksize, not callable here without losing the cache) so the
    # threads take one task at a time
    for k in prange(tasks):
        t = tasks - 1 - k
        size = buckets if t < n_weighted else ONES_BUCKETS
        aff = np.empty((size, 2, dim, n_limbs), dtype=np.uint64)
        over = np.zeros((size, 3, dim, n_limbs), dtype=np.uint64)
        present = np.zeros(size, dtype=np.uint8)
        s = np.zeros((4, n_limbs + 2), dtype=np.uint64)
        fill_buckets(points, digits[t], aff, present, over, batch, one, pm2, m, s)
        if t < n_weighted:
            weighted_sum(out[t], aff, present, over, one, m, s)
        else:
            plain_sum(out[t], aff, present, over, one, m, s)


@kernel
def combine(out: np.ndarray, sums: np.ndarray, n_weighted: int, c: int, m: Modulus) -> None:
    """``out = sum_w 2^(c·w)·sums[w]`` (Horner) plus the plain sums after ``n_weighted``."""
    dim, n_limbs = sums.shape[2], sums.shape[3]
    s = np.zeros((4, n_limbs + 2), dtype=np.uint64)
    ws = np.empty((WS_ROWS, dim, n_limbs), dtype=np.uint64)
    set_infinity(out)
    for w in range(n_weighted - 1, -1, -1):
        for _ in range(c):
            jac_double(out, out, m, s, ws)
        jac_add(out, out, sums[w], m, s, ws)
    for t in range(n_weighted, sums.shape[0]):
        jac_add(out, out, sums[t], m, s, ws)
