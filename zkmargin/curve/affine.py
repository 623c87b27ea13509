"""Batched affine additions: many independent sums sharing one field inversion.

An affine addition costs one inversion plus three multiplications; with Montgomery's trick the
inversions of a whole batch cost three multiplications each plus a single modular inverse, so
an addition is about six multiplications against eleven for a mixed Jacobian addition.
:func:`sum_lists` uses it to sum many lists of points at once (Pippenger's buckets): every round
adds adjacent pairs in every list, all in one batch, until each list holds one point.

Works over Fq (int/mpz) and Fq2 like :mod:`zkmargin.curve.jacobian`; infinity is ``None``.

>>> q = 7                              # y^2 = x^3 + 3 over F_7: (1, 2) has order 13
>>> sum_lists([[(1, 2), (1, 2)], [(1, 2), (1, 5)], [(1, 2)]], q)
[(6, 3), None, (1, 2)]
"""

from __future__ import annotations

from typing import Any

from zkmargin.curve.jacobian import Affine, invert


def batch_invert(values: list[Any], q: int) -> list[Any]:
    """``[1/v for v in values]`` with one inversion; every value must be non-zero."""
    if not values:
        return []
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
    denominators = []
    kinds = []  # 0: generic, 1: doubling, 2: result is infinity
    for (x1, y1), (x2, y2) in pairs:
        dx = (x2 - x1) % q
        if dx:
            denominators.append(dx)
            kinds.append(0)
        elif (y1 + y2) % q:
            denominators.append(2 * y1 % q)
            kinds.append(1)
        else:
            denominators.append(1)
            kinds.append(2)
    inverses = batch_invert(denominators, q)
    out: list[Affine] = []
    for ((x1, y1), (x2, y2)), kind, inv in zip(pairs, kinds, inverses, strict=True):
        if kind == 0:
            lam = (y2 - y1) * inv % q
        elif kind == 1:
            lam = 3 * x1 * x1 % q * inv % q
        else:
            out.append(None)
            continue
        x3 = (lam * lam - x1 - x2) % q
        out.append((x3, (lam * (x1 - x3) - y1) % q))
    return out


def sum_lists(lists: list[list[Any]], q: int) -> list[Affine]:
    """The sum of each list of finite affine points (``None`` for an empty list or a zero sum).

    Pairwise rounds: ``log2(longest list)`` batches, ``len(list) - 1`` additions per list.
    """
    work = [list(points) for points in lists]
    while True:
        pairs = []
        for points in work:
            for i in range(0, len(points) - 1, 2):
                pairs.append((points[i], points[i + 1]))
        if not pairs:
            break
        sums = iter(add_pairs(pairs, q))
        for j, points in enumerate(work):
            if len(points) < 2:
                continue
            merged = [s for s in (next(sums) for _ in range(len(points) // 2)) if s is not None]
            if len(points) % 2:
                merged.append(points[-1])
            work[j] = merged
    return [points[0] if points else None for points in work]
