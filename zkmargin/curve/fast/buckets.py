"""Pippenger buckets filled with batch-affine additions (one field inversion per batch).

An affine addition ``(x1, y1) + (x2, y2)`` needs ``1/(x2 - x1)``; collecting up to ``batch``
additions into *distinct* buckets and inverting all their denominators together
(Montgomery's trick: 3 multiplications each plus one inversion per batch) makes an addition
cost about 6 multiplications, against 11 for a mixed Jacobian addition.  A point whose bucket
already has an addition pending in the current batch cannot join it (it would need the
pending result): it goes into the bucket's Jacobian *overflow* instead (a mixed addition), so
the cost stays bounded whatever the digits are (e.g. every point in one bucket).

Layouts (all ``uint64``, Montgomery form; ``D = 1`` for G1, ``2`` for G2):

* ``points`` ``(n, 2, D, N)`` affine, finite; ``digits`` ``(n,)`` signed bucket numbers
  (``d > 0``: add point to bucket ``d - 1``; ``d < 0``: add its negation to bucket ``-d - 1``;
  ``0``: skip);
* ``aff`` ``(B, 2, D, N)`` affine buckets with ``present`` ``(B,)`` flags, ``over``
  ``(B, 3, D, N)`` Jacobian overflow (zero = infinity): bucket ``b`` holds
  ``aff[b] (if present) + over[b]``.

Equal points are doubled (``lambda = 3x²/2y``), opposite points empty the bucket; no point of
odd prime order has ``y = 0``, so every denominator is non-zero.
"""

from __future__ import annotations

import numpy as np

from zkmargin.curve.fast.jacobian import (
    WS_ROWS,
    jac_add,
    jac_add_affine,
    set_infinity,
)
from zkmargin.field.fast.ext import (
    e_add,
    e_copy,
    e_equal,
    e_inverse,
    e_is_zero,
    e_mul,
    e_neg,
    e_set_one,
    e_sqr,
    e_sub,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus

# Kinds of a pending addition.
_ADD, _DOUBLE, _CANCEL = 0, 1, 2

BATCH = 256
"""Additions sharing one inversion (measured: see ``docs/kernels.md``)."""


@kernel
def fill_buckets(
    points: np.ndarray,
    digits: np.ndarray,
    aff: np.ndarray,
    present: np.ndarray,
    over: np.ndarray,
    batch: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
) -> None:
    """Add every ``digits[i]``-selected point into its bucket (see the module docstring)."""
    n_buckets = present.shape[0]
    dim, n_limbs = points.shape[2], points.shape[3]
    size = min(batch, n_buckets)  # at most one pending addition per bucket
    num = np.empty((size, dim, n_limbs), dtype=np.uint64)
    den = np.empty((size, dim, n_limbs), dtype=np.uint64)
    pre = np.empty((size, dim, n_limbs), dtype=np.uint64)
    bucket = np.empty(size, dtype=np.int64)
    point = np.empty(size, dtype=np.int64)
    kind = np.empty(size, dtype=np.int8)
    mark = np.full(n_buckets, -1, dtype=np.int64)  # batch number of a bucket's pending addition
    ws = np.empty((WS_ROWS + 2, dim, n_limbs), dtype=np.uint64)
    qy = ws[WS_ROWS]
    epoch = 0
    count = 0
    for i in range(points.shape[0]):
        d = digits[i]
        if d == 0:
            continue
        b = d - 1 if d > 0 else -d - 1
        if d > 0:
            e_copy(qy, points[i, 1])
        else:
            e_neg(qy, points[i, 1], m)
        if mark[b] == epoch:  # an addition into b is pending: overflow
            jac_add_affine(over[b], over[b], points[i, 0], qy, one, m, s, ws)
            continue
        if not present[b]:
            e_copy(aff[b, 0], points[i, 0])
            e_copy(aff[b, 1], qy)
            present[b] = 1
            continue
        x1, y1 = aff[b, 0], aff[b, 1]
        mark[b] = epoch
        bucket[count] = b
        point[count] = i
        if not e_equal(x1, points[i, 0]):
            kind[count] = _ADD
            e_sub(num[count], qy, y1, m)
            e_sub(den[count], points[i, 0], x1, m)
        elif e_equal(y1, qy):
            kind[count] = _DOUBLE
            e_sqr(num[count], x1, m, s)
            e_add(den[count], num[count], num[count], m)
            e_add(num[count], den[count], num[count], m)  # 3x²
            e_add(den[count], y1, y1, m)  # 2y
        else:
            kind[count] = _CANCEL
            e_set_one(den[count], one)
        count += 1
        if count == size:
            _apply(
                points, aff, present, num, den, pre, bucket, point, kind, count, one, pm2, m, s, ws
            )
            count = 0
            epoch += 1
    if count:
        _apply(points, aff, present, num, den, pre, bucket, point, kind, count, one, pm2, m, s, ws)


@kernel
def _apply(
    points: np.ndarray,
    aff: np.ndarray,
    present: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    pre: np.ndarray,
    bucket: np.ndarray,
    point: np.ndarray,
    kind: np.ndarray,
    count: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """Finish the pending additions: one inversion for all denominators, then 3 mul each."""
    e_copy(pre[0], den[0])
    for k in range(1, count):
        e_mul(pre[k], pre[k - 1], den[k], m, s)
    inv, lam, x3 = ws[0], ws[1], ws[2]
    e_inverse(inv, pre[count - 1], one, pm2, m, s)
    for k in range(count - 1, -1, -1):
        # inv = 1/(den[0]···den[k]); lam = 1/den[k]
        if k > 0:
            e_mul(lam, inv, pre[k - 1], m, s)
            e_mul(inv, inv, den[k], m, s)
        else:
            e_copy(lam, inv)
        b = bucket[k]
        if kind[k] == _CANCEL:
            present[b] = 0
            continue
        e_mul(lam, lam, num[k], m, s)
        x1, y1 = aff[b, 0], aff[b, 1]
        e_sqr(x3, lam, m, s)
        e_sub(x3, x3, x1, m)
        e_sub(x3, x3, points[point[k], 0], m)  # x3 = lam² - x1 - x2 (x2 = x1 when doubling)
        e_sub(x1, x1, x3, m)
        e_mul(x1, lam, x1, m, s)
        e_sub(y1, x1, y1, m)  # y3 = lam(x1 - x3) - y1
        e_copy(x1, x3)


@kernel
def bucket_into(
    out: np.ndarray,
    aff: np.ndarray,
    present: np.ndarray,
    over: np.ndarray,
    b: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out += bucket b`` (Jacobian ``out``)."""
    if present[b]:
        jac_add_affine(out, out, aff[b, 0], aff[b, 1], one, m, s, ws)
    if not e_is_zero(over[b, 2]):
        jac_add(out, out, over[b], m, s, ws)


@kernel
def weighted_sum(
    out: np.ndarray,
    aff: np.ndarray,
    present: np.ndarray,
    over: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
) -> None:
    """``out = sum_b (b + 1)·bucket_b`` by a running sum from the top bucket down."""
    dim, n_limbs = aff.shape[2], aff.shape[3]
    ws = np.empty((WS_ROWS, dim, n_limbs), dtype=np.uint64)
    running = np.zeros((3, dim, n_limbs), dtype=np.uint64)
    set_infinity(out)
    for b in range(present.shape[0] - 1, -1, -1):
        bucket_into(running, aff, present, over, b, one, m, s, ws)
        jac_add(out, out, running, m, s, ws)


@kernel
def plain_sum(
    out: np.ndarray,
    aff: np.ndarray,
    present: np.ndarray,
    over: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
) -> None:
    """``out = sum_b bucket_b``."""
    dim, n_limbs = aff.shape[2], aff.shape[3]
    ws = np.empty((WS_ROWS, dim, n_limbs), dtype=np.uint64)
    set_infinity(out)
    for b in range(present.shape[0]):
        bucket_into(out, aff, present, over, b, one, m, s, ws)
