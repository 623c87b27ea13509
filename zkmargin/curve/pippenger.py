"""Pippenger's bucket method for multi-scalar multiplication, in pure Python.

Works for G1 and G2 alike (see :mod:`zkmargin.curve.jacobian`).  Tuned for prover witnesses,
where most scalars are 0 or 1 (range-check bits):

* zero scalars and points at infinity are dropped;
* scalar-one points are summed directly, with no digit decomposition;
* buckets are filled with batched affine additions (one inversion per round for all buckets
  of all windows), which costs about half a mixed Jacobian addition per point;
* the remaining scalars are split into signed ``c``-bit digits (``|d| <= 2^(c-1)``, so half the
  buckets of unsigned digits; a negative digit adds the negated point, which is free in affine
  form), with as many windows as the *largest remaining scalar* needs, not the field size.

>>> from zkmargin.curve.jacobian import multiply, to_affine
>>> q, r, g = 7, 13, (1, 2)          # y^2 = x^3 + 3 over F_7 has 13 points: a toy group
>>> expected = to_affine(multiply(g, 2 + 5, q), q)
>>> to_affine(msm([g, g], [2, 5], r, q), q) == expected
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zkmargin.curve.affine import add_vectors, sum_lists
from zkmargin.curve.jacobian import Affine, Jacobian, add_affine, double

# Costs in mixed Jacobian additions, measured with bench-style runs: a point into a bucket by
# batched affine addition, and one bucket of the running-sum reduction (a mixed and a full add).
_FILL_COST = 0.5
_REDUCE_COST = 2.4


def window_size(n: int, bits: int) -> int:
    """The digit width ``c`` minimising the estimated cost for ``n`` scalars of ``bits`` bits.

    Per window: ``n`` batched affine additions into ``2^(c-1)`` buckets, then a running sum
    over the buckets (two additions each), plus ``c`` doublings to shift the accumulator.
    """
    if n <= 0 or bits <= 0:
        return 1
    best_c, best_cost = 1, float("inf")
    for c in range(1, 24):
        windows = (bits + 1 + c - 1) // c  # +1: a signed top digit may carry out
        cost = windows * (_FILL_COST * n + _REDUCE_COST * (1 << (c - 1)) + c)
        if cost < best_cost:
            best_c, best_cost = c, cost
    return best_c


def signed_digits(k: int, c: int, windows: int) -> list[int]:
    """``k`` as ``windows`` digits ``d_i`` in ``[-2^(c-1), 2^(c-1)]``, least significant first,
    with ``k == sum(d_i << (c*i))``.
    """
    half = 1 << (c - 1)
    full = 1 << c
    mask = full - 1
    digits = []
    carry = 0
    for _ in range(windows):
        d = (k & mask) + carry
        k >>= c
        if d > half:
            d -= full
            carry = 1
        else:
            carry = 0
        digits.append(d)
    if carry or k:
        raise ValueError("too few windows for the scalar")
    return digits


def msm(points: Sequence[Affine], scalars: Sequence[int], r: int, q: int) -> Jacobian:
    """``sum(k_i · P_i)`` for affine points over Fq or Fq2 (modulus ``q``), scalars taken mod ``r``.

    Returns a Jacobian point (``None`` for infinity).  Points must be in the group of order
    ``r`` for the reduction mod ``r`` to be sound.  Buckets of every window are filled with
    batched affine additions (:func:`~zkmargin.curve.affine.sum_lists`), and the windows'
    ``sum_j j·B_j`` running sums advance together, also batched
    (:func:`~zkmargin.curve.affine.add_vectors`).
    """
    if len(points) != len(scalars):
        raise ValueError(f"{len(points)} points but {len(scalars)} scalars")
    ones: list[tuple[Any, Any]] = []
    rest_points: list[tuple[Any, Any]] = []
    rest_scalars: list[int] = []
    for point, k in zip(points, scalars, strict=True):
        k = int(k) % r  # numpy integers and other int-likes become plain ints
        if k == 0 or point is None:
            continue
        if k == 1:
            ones.append(point)
        else:
            rest_points.append(point)
            rest_scalars.append(k)
    if not rest_points:
        (total,) = sum_lists([ones], q)
        return None if total is None else (total[0], total[1], 1)

    bits = max(rest_scalars).bit_length()
    c = window_size(len(rest_points), bits)
    windows = (bits + 1 + c - 1) // c
    n_buckets = 1 << (c - 1)
    # lists[w * (n_buckets + 1) + j] collects the points whose digit in window w is ±j.
    stride = n_buckets + 1
    lists: list[list[tuple[Any, Any]]] = [[] for _ in range(windows * stride)]
    for point, k in zip(rest_points, rest_scalars, strict=True):
        negated = None
        for w, d in enumerate(signed_digits(k, c, windows)):
            if d > 0:
                lists[w * stride + d].append(point)
            elif d < 0:
                if negated is None:
                    negated = (point[0], -point[1] % q)
                lists[w * stride - d].append(negated)
    lists.append(ones)
    sums = sum_lists(lists, q)

    # sum_j j·B_j for every window at once: running sums from the top bucket down, each step
    # one batched affine addition across the windows.
    running: list[Affine] = [None] * windows
    window_sums: list[Affine] = [None] * windows
    for j in range(n_buckets, 0, -1):
        running = add_vectors(running, [sums[w * stride + j] for w in range(windows)], q)
        window_sums = add_vectors(window_sums, running, q)

    acc: Jacobian = None
    for w in range(windows - 1, -1, -1):
        for _ in range(c):
            acc = double(acc, q)
        window_sum = window_sums[w]
        if window_sum is not None:
            acc = add_affine(acc, window_sum, q)
    if sums[-1] is not None:
        acc = add_affine(acc, sums[-1], q)
    return acc
