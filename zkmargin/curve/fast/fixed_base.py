"""Many multiples of one base point on the numba kernels: ``[k·B for k in scalars]``.

The fast counterpart of :mod:`zkmargin.curve.fixed_base` (the reference), for key setup.
Scalars are split into signed ``c``-bit digits (:func:`~.pippenger.signed_digits`,
``|d| <= 2^(c-1)``); a table holds ``d·2^(c·i)·B`` for every window ``i`` and digit
``1 <= d <= 2^(c-1)``; each multiple is the sum of one table entry (negated for a negative
digit) per window.  Every addition goes through :func:`~.buckets.fill_buckets` with one
accumulator per scalar as its "bucket": within one window each accumulator receives exactly
one point, so the additions of a whole window batch together (one inversion per
:data:`ADD_BATCH`), and the equal/opposite cases (doubling, cancelling to infinity) are
the buckets' own.  The table is built the same way, level by level: entries ``h+1 .. 2h``
are ``(d - h)·B_i + h·B_i`` (the last one a doubling), all windows in one batch.

Scalars are split into one slice per numba thread (``prange``); slices share the read-only
table and write disjoint accumulator rows.

Output is snarkjs's ``.zkey`` layout, as :func:`~.msm.msm_arrays` takes it: ``(n, 2, N)``
``uint64`` for G1, ``(n, 2, 2, N)`` for G2, Montgomery form, all-zero rows for infinity.

>>> from zkmargin.curve import BN254
>>> from zkmargin.curve.fixed_base import g1_multiples as reference
>>> g1_multiples(BN254, BN254.g1, [0, 1, 5, BN254.r - 1]) == reference(
...     BN254, BN254.g1, [0, 1, 5, BN254.r - 1])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numba
import numpy as np
from numba import prange

from zkmargin.curve.fast.buckets import fill_buckets
from zkmargin.curve.fast.msm import SCALAR_LIMBS
from zkmargin.curve.fast.pippenger import max_bits, n_windows, signed_digits
from zkmargin.curve.jacobian import multiply, to_affine
from zkmargin.curve.points import (
    G1,
    G2,
    FiniteG1,
    FiniteG2,
    g1_to_internal,
    g2_from_internal,
    g2_to_internal,
)
from zkmargin.field.bigint import big
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs, limbs_to_ints
from zkmargin.field.fast.ntt64 import scale_rows
from zkmargin.field.fast.word import Modulus

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve

ADD_BATCH = 1024
"""Additions sharing one inversion.  Larger than the MSM's :data:`~.buckets.BATCH`: here every
accumulator takes one addition per window, so a batch never fills with busy buckets (for 2^17
BN254 G1 multiples 1024 took less CPU than 256, and 4096 was within noise of 1024)."""

MAX_DIGIT_BITS = 16
"""Largest digit width: the table is ``windows · 2^(c-1)`` points (≈ 35 MB for BN254 G1 at 16)."""


def digit_bits(n: int, bits: int) -> int:
    """The digit width ``c`` minimising additions: ``windows · (n + 2^(c-1))`` (the scalars'
    additions plus the table's, per window).

    >>> digit_bits(1000, 254), digit_bits(1 << 20, 254)
    (8, 16)
    """
    return min(
        range(2, MAX_DIGIT_BITS + 1), key=lambda c: n_windows(bits, c) * (n + (1 << (c - 1)))
    )


def multiples_arrays(
    curve_name: str, group: str, base: G1 | G2, scalars: Sequence[int]
) -> np.ndarray:
    """``[k·base for k in scalars]`` (scalars mod r) as a zkey-layout Montgomery array.

    ``curve_name`` is ``"bn128"`` or ``"bls12381"``, ``group`` ``"g1"`` or ``"g2"``; ``base`` is a
    public point in the order-r subgroup (or ``None``: every multiple is infinity).  Returns
    ``(n, 2, N)`` ``uint64`` for G1, ``(n, 2, 2, N)`` for G2, all-zero rows for infinity.

    >>> from zkmargin.curve import BN254
    >>> arr = multiples_arrays("bn128", "g1", BN254.g1, [0, 2])
    >>> arr.shape, bool(arr[0].any()), Field64.of(BN254.q).from_mont(arr[1]) == list(
    ...     BN254.g1_mul(BN254.g1, 2))
    ((2, 2, 4), False, True)
    """
    from zkmargin.curve.curve import curve_by_name

    curve = curve_by_name(curve_name)
    if group not in ("g1", "g2"):
        raise ValueError(f"group must be 'g1' or 'g2', got {group!r}")
    dim = 1 if group == "g1" else 2
    field = Field64.of(curve.q)
    n = len(scalars)
    acc = np.zeros((n, 2, dim, field.n_limbs), dtype=np.uint64)
    r = curve.r
    limbs = ints_to_limbs([int(k) % r for k in scalars], SCALAR_LIMBS)
    bits = max_bits(limbs) if n else 0
    if base is not None and bits:
        c = digit_bits(n, bits)
        windows = n_windows(bits, c)
        digits = np.empty((windows, n), dtype=np.int64)
        signed_digits(limbs, np.zeros(n, dtype=np.bool_), c, digits)
        table = _table(curve, field, dim, base, windows, c)
        present = np.zeros(n, dtype=np.uint8)
        over = np.zeros((n, 3, dim, field.n_limbs), dtype=np.uint64)  # never written: see _add
        for i in range(windows):
            _add(field, acc, present, over, table[i], digits[i])
        acc[present == 0] = 0  # cancelled or never touched: infinity
    return acc.reshape((n, 2, field.n_limbs) if dim == 1 else (n, 2, 2, field.n_limbs))


def g1_multiples(curve: Curve, base: G1, scalars: Sequence[int]) -> list[G1]:
    """``[k·base for k in scalars]`` in G1 as public tuples (``None`` for infinity), like
    :func:`zkmargin.curve.fixed_base.g1_multiples`."""
    v = _plain_ints(Field64.of(curve.q), multiples_arrays(curve.name, "g1", base, scalars))
    return [None if not (x or y) else (x, y) for x, y in zip(v[0::2], v[1::2], strict=True)]


def g2_multiples(curve: Curve, base: G2, scalars: Sequence[int]) -> list[G2]:
    """``[k·base for k in scalars]`` in G2 as public tuples (``None`` for infinity), like
    :func:`zkmargin.curve.fixed_base.g2_multiples`."""
    v = _plain_ints(Field64.of(curve.q), multiples_arrays(curve.name, "g2", base, scalars))
    return [
        None if not any(v[i : i + 4]) else ((v[i], v[i + 1]), (v[i + 2], v[i + 3]))
        for i in range(0, len(v), 4)
    ]


def _plain_ints(field: Field64, arr: np.ndarray) -> list[int]:
    """The coordinates out of Montgomery form, flattened: one numba pass (a Montgomery
    product with plain 1) instead of a Python product per value."""
    flat = arr.reshape(1, -1, field.n_limbs).copy()
    scale_rows(flat, ints_to_limbs([1], field.n_limbs), field.m)
    return limbs_to_ints(flat, field.n_limbs)


def _table(
    curve: Curve, field: Field64, dim: int, base: G1 | G2, windows: int, c: int
) -> np.ndarray:
    """``table[i, d - 1] = d·2^(c·i)·base`` for ``1 <= d <= 2^(c-1)``: ``(W, H, 2, D, N)``."""
    half = 1 << (c - 1)
    table = np.empty((windows, half, 2, dim, field.n_limbs), dtype=np.uint64)
    # The window bases 2^(c·i)·base, each c doublings of the previous: few, so the reference
    # arithmetic is fine here.
    q = big(curve.q)
    # finite (the caller's check); dim says which group
    bases: list[Any] = [
        g1_to_internal(cast(FiniteG1, base)) if dim == 1 else g2_to_internal(cast(FiniteG2, base))
    ]
    for _ in range(windows - 1):
        bases.append(to_affine(multiply(bases[-1], 1 << c, q), q))
    if dim == 1:
        coords = [int(v) for a in bases for v in a]
    else:
        coords = [v for a in bases for pair in g2_from_internal(a, curve.q) for v in pair]
    table[:, 0] = field.to_mont(coords).reshape(windows, 2, dim, field.n_limbs)
    h = 1
    while h < half:
        # entries h+1 .. 2h of every window: (d - h)·B_i + h·B_i, one batch
        acc = table[:, :h].copy().reshape(windows * h, 2, dim, field.n_limbs)
        present = np.ones(windows * h, dtype=np.uint8)
        over = np.zeros((windows * h, 3, dim, field.n_limbs), dtype=np.uint64)
        source = table[:, h - 1].copy()  # copies: acc is written while source is read
        select = np.repeat(np.arange(1, windows + 1, dtype=np.int64), h)
        _add(field, acc, present, over, source, select)
        table[:, h : 2 * h] = acc.reshape(windows, h, 2, dim, field.n_limbs)
        h *= 2
    return table


def _add(
    field: Field64,
    acc: np.ndarray,
    present: np.ndarray,
    over: np.ndarray,
    source: np.ndarray,
    select: np.ndarray,
) -> None:
    """``acc[j] += ±source[|select[j]| - 1]`` (sign of ``select[j]``; 0 adds nothing), on
    every numba thread.  Each accumulator gets one addition, so ``over`` stays untouched."""
    threads = numba.get_num_threads()
    bounds = np.linspace(0, acc.shape[0], threads + 1).astype(np.int64)
    add_selected(
        acc, present, over, np.ascontiguousarray(source), select, bounds, ADD_BATCH, field.one,
        field.p_minus_2, field.m,
    )  # fmt: skip


@kernel(parallel=True)
def add_selected(
    acc: np.ndarray,
    present: np.ndarray,
    over: np.ndarray,
    source: np.ndarray,
    select: np.ndarray,
    bounds: np.ndarray,
    batch: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
) -> None:
    """``acc[j] += ±source[|select[j]| - 1]`` for the rows of each slice ``bounds[k]..[k+1]``
    (one slice per thread), as batch-affine additions (:func:`~.buckets.fill_buckets`)."""
    dim, n_limbs = acc.shape[2], acc.shape[3]
    for k in prange(bounds.shape[0] - 1):
        lo, hi = bounds[k], bounds[k + 1]
        points = np.empty((hi - lo, 2, dim, n_limbs), dtype=np.uint64)
        digits = np.zeros(hi - lo, dtype=np.int64)
        for j in range(hi - lo):
            d = select[lo + j]
            if d != 0:
                points[j] = source[abs(d) - 1]
                digits[j] = j + 1 if d > 0 else -(j + 1)
        s = np.zeros((4, n_limbs + 2), dtype=np.uint64)
        fill_buckets(points, digits, acc[lo:hi], present[lo:hi], over[lo:hi], batch, one, pm2, m, s)
