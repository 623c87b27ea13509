"""Pippenger's bucket method for multi-scalar multiplication, in pure Python.

Works for G1 and G2 alike (see :mod:`zkmargin.curve.jacobian`).  Tuned for prover witnesses,
where most scalars are 0 or 1 (range-check bits):

* zero scalars and points at infinity are dropped;
* scalar-one points are summed directly, with no digit decomposition;
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

from zkmargin.curve.jacobian import Affine, Jacobian, add, add_affine, double

# Relative cost of a full Jacobian addition (bucket reduction) to a mixed one (bucket fill).
_ADD_OVER_MADD = 1.4


def window_size(n: int, bits: int) -> int:
    """The digit width ``c`` minimising the estimated cost for ``n`` scalars of ``bits`` bits.

    Per window: ``n`` mixed additions into ``2^(c-1)`` buckets, then about ``2·2^(c-1)`` full
    additions to reduce them, plus ``c`` doublings to shift the accumulator.
    """
    if n <= 0 or bits <= 0:
        return 1
    best_c, best_cost = 1, float("inf")
    for c in range(1, 24):
        windows = (bits + 1 + c - 1) // c  # +1: a signed top digit may carry out
        cost = windows * (n + _ADD_OVER_MADD * 2 * (1 << (c - 1)) + c)
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
    ``r`` for the reduction mod ``r`` to be sound.
    """
    if len(points) != len(scalars):
        raise ValueError(f"{len(points)} points but {len(scalars)} scalars")
    ones: Jacobian = None
    rest_points: list[tuple] = []
    rest_scalars: list[int] = []
    for point, k in zip(points, scalars, strict=True):
        k %= r
        if k == 0 or point is None:
            continue
        if k == 1:
            ones = add_affine(ones, point, q)
        else:
            rest_points.append(point)
            rest_scalars.append(k)
    if not rest_points:
        return ones

    bits = max(rest_scalars).bit_length()
    c = window_size(len(rest_points), bits)
    windows = (bits + 1 + c - 1) // c
    digits = [signed_digits(k, c, windows) for k in rest_scalars]
    negated = [(x, -y % q) for x, y in rest_points]
    n_buckets = 1 << (c - 1)

    acc: Jacobian = None
    for w in range(windows - 1, -1, -1):
        for _ in range(c):
            acc = double(acc, q)
        buckets: list[Jacobian] = [None] * (n_buckets + 1)
        for i, ds in enumerate(digits):
            d = ds[w]
            if d > 0:
                buckets[d] = add_affine(buckets[d], rest_points[i], q)
            elif d < 0:
                buckets[-d] = add_affine(buckets[-d], negated[i], q)
        # sum_j j·B_j as a running sum from the top bucket down.
        running: Jacobian = None
        window_sum: Jacobian = None
        for j in range(n_buckets, 0, -1):
            if buckets[j] is not None:
                running = add(running, buckets[j], q)
            window_sum = add(window_sum, running, q)
        acc = add(acc, window_sum, q)
    return add(acc, ones, q)
