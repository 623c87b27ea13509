"""Batched affine additions: many independent sums sharing one field inversion.

An affine addition costs one inversion plus three multiplications; with Montgomery's trick the
inversions of a whole batch cost three multiplications each plus a single modular inverse, so
an addition is about six multiplications against eleven for a mixed Jacobian addition.
:func:`sum_lists` uses it to sum many lists of points at once (Pippenger's buckets): every round
adds adjacent pairs in every list, all in one batch, until each list holds one point.
:func:`add_vectors` adds two vectors of points elementwise (Pippenger's running sums, one
element per window).

Works over Fq (int/mpz) and Fq2 like :mod:`zkmargin.curve.jacobian`; infinity is ``None``.

>>> q = 7                              # y^2 = x^3 + 3 over F_7: (1, 2) has order 13
>>> sum_lists([[(1, 2), (1, 2)], [(1, 2), (1, 5)], [(1, 2)]], q)
[(6, 3), None, (1, 2)]
"""

from __future__ import annotations

from typing import Any

from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.jacobian import Affine, invert


def batch_invert(values: list[Any], q: int) -> list[Any]:
    """``[1/v for v in values]`` with one inversion; every value must be non-zero."""
    if not values:
        return []
    if isinstance(values[0], Fq2):
        # 1/v = conj(v)/norm(v) with the norm in Fq: batch the (cheaper) base-field inverses.
        norms = [(v.c0 * v.c0 + v.c1 * v.c1) % q for v in values]
        return [
            Fq2(v.c0 * n % q, -v.c1 * n % q)
            for v, n in zip(values, batch_invert(norms, q), strict=True)
        ]
    prefix = [values[0]]
    for v in values[1:]:
        prefix.append(prefix[-1] * v % q)
    inv = invert(prefix[-1], q)
    out = [None] * len(values)
    for i in range(len(values) - 1, 0, -1):
        out[i] = inv * prefix[i - 1] % q
        inv = inv * values[i] % q
    out[0] = inv
    return out


def add_pairs(pairs: list[tuple[tuple[Any, Any], tuple[Any, Any]]], q: int) -> list[Affine]:
    """``[a + b for a, b in pairs]`` for finite affine points, one shared inversion.

    Equal points are doubled (``lambda = 3x^2 / 2y``); opposite points give ``None``.
    """
    denominators = [(b[0] - a[0]) % q for a, b in pairs]
    if not all(denominators):
        return _add_pairs_with_special_cases(pairs, denominators, q)
    out: list[Affine] = []
    for ((x1, y1), (x2, y2)), inv in zip(pairs, batch_invert(denominators, q), strict=True):
        lam = (y2 - y1) * inv % q
        x3 = (lam * lam - x1 - x2) % q
        out.append((x3, (lam * (x1 - x3) - y1) % q))
    return out


def _add_pairs_with_special_cases(
    pairs: list[tuple[tuple[Any, Any], tuple[Any, Any]]], denominators: list[Any], q: int
) -> list[Affine]:
    # Equal x: either the same point (double it) or opposite points (the sum is infinity).
    doubling = [False] * len(pairs)
    for i, ((_, y1), (_, y2)) in enumerate(pairs):
        if not denominators[i] and (y1 + y2) % q:
            denominators[i] = 2 * y1 % q
            doubling[i] = True
    nonzero = [d for d in denominators if d]
    inverses = iter(batch_invert(nonzero, q))
    out: list[Affine] = []
    for ((x1, y1), (x2, y2)), d, dbl in zip(pairs, denominators, doubling, strict=True):
        if not d:
            out.append(None)
            continue
        inv = next(inverses)
        lam = (3 * x1 * x1 % q if dbl else y2 - y1) * inv % q
        x3 = (lam * lam - x1 - x2) % q
        out.append((x3, (lam * (x1 - x3) - y1) % q))
    return out


def sum_lists(lists: list[list[Any]], q: int) -> list[Affine]:
    """The sum of each list of finite affine points (``None`` for an empty list or a zero sum).

    Pairwise rounds: ``log2(longest list)`` batches, ``len(list) - 1`` additions per list.
    """
    work = [points for points in lists]
    while True:
        pairs: list[tuple[tuple[Any, Any], tuple[Any, Any]]] = []
        for points in work:
            if len(points) > 1:
                pairs.extend(zip(points[0::2], points[1::2], strict=False))  # odd tail stays
        if not pairs:
            break
        sums = add_pairs(pairs, q)
        pos = 0
        for j, points in enumerate(work):
            n = len(points)
            if n < 2:
                continue
            merged = sums[pos : pos + n // 2]
            pos += n // 2
            if None in merged:
                merged = [s for s in merged if s is not None]
            if n % 2:
                merged.append(points[-1])
            work[j] = merged
    return [points[0] if points else None for points in work]


def add_vectors(xs: list[Affine], ys: list[Affine], q: int) -> list[Affine]:
    """``[x + y for x, y in zip(xs, ys)]`` with ``None`` as the identity, one shared inversion.

    >>> add_vectors([(1, 2), None, (1, 2)], [(1, 2), (1, 5), None], 7)
    [(6, 3), (1, 5), (1, 2)]
    """
    out = list(xs)
    pairs = []
    where = []
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if y is None:
            continue
        if x is None:
            out[i] = y
            continue
        pairs.append((x, y))
        where.append(i)
    for i, total in zip(where, add_pairs(pairs, q), strict=True):
        out[i] = total
    return out
