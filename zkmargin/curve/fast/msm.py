"""Multi-scalar multiplication on the numba kernels: an array API and a public-tuple API.

:func:`msm_arrays` takes points exactly as snarkjs's ``.zkey`` sections hold them (Montgomery
affine coordinates, all-zero rows for infinity; BN254 R = 2^256, BLS12-381 R = 2^384, as
:class:`~zkmargin.field.fast.mont64.Field64`) and scalars as plain 64-bit limbs, so the
prover hands over key sections without converting them; :class:`FastMsm` serves the
list-of-tuples :class:`~zkmargin.curve.backends.MsmBackend` API on top of it.

>>> from zkmargin.curve import BN254
>>> msm = FastMsm(BN254)
>>> msm.g1([BN254.g1, BN254.g1, None], [2, 3, 9]) == BN254.g1_mul(BN254.g1, 5)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import numba
import numpy as np

from zkmargin.curve.fast.buckets import BATCH
from zkmargin.curve.fast.pippenger import (
    combine,
    is_one,
    max_bits,
    n_windows,
    ones_digits,
    signed_digits,
    task_sums,
    window_size,
)
from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.points import G1, G2, FiniteG1, FiniteG2
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve

P = TypeVar("P", FiniteG1, FiniteG2)

SCALAR_LIMBS = 4
"""64-bit limbs per scalar: both curves' group orders are below 2^256."""


def msm_arrays(curve_name: str, group: str, points: np.ndarray, scalars: np.ndarray) -> G1 | G2:
    """``sum(k_i · P_i)`` for points and scalars held in arrays.

    ``curve_name`` is ``"bn128"`` or ``"bls12381"`` (:attr:`Curve.name`), ``group`` ``"g1"`` or
    ``"g2"``; ``points`` is ``(n, 2, N)`` ``uint64`` for G1 (x, y) or ``(n, 2, 2, N)`` for G2
    ((x.c0, x.c1), (y.c0, y.c1)), Montgomery form, all-zero rows for infinity; ``scalars`` is
    ``(n, 4)`` ``uint64`` little-endian limbs, plain.  Points must be in the order-r subgroup.
    Returns the public point type (affine ints, ``None`` for infinity).

    >>> from zkmargin.curve import BN254
    >>> f = Field64.of(BN254.q)
    >>> pts = f.to_mont([*BN254.g1, 0, 0]).reshape(2, 2, -1)  # G and infinity
    >>> msm_arrays("bn128", "g1", pts, ints_to_limbs([7, 5], 4)) == BN254.g1_mul(BN254.g1, 7)
    True
    """
    from zkmargin.curve.curve import curve_by_name

    curve = curve_by_name(curve_name)
    if group not in ("g1", "g2"):
        raise ValueError(f"group must be 'g1' or 'g2', got {group!r}")
    dim = 1 if group == "g1" else 2
    field = Field64.of(curve.q)
    n = points.shape[0] if points.ndim else 0
    expected = (n, 2, *(() if dim == 1 else (2,)), field.n_limbs)
    if points.shape != expected or scalars.shape != (n, SCALAR_LIMBS):
        raise ValueError(
            f"{curve_name} {group}: points {points.shape} and scalars {scalars.shape}, "
            f"expected {expected} and {(n, SCALAR_LIMBS)}"
        )
    total = _jacobian_sum(field, points.reshape(n, 2, dim, field.n_limbs), scalars)
    if total is None:
        return None
    return _to_affine(field, dim, total)


class FastMsm:
    """MSMs on ``curve`` from and to public point tuples (points in the order-r subgroup).

    Scalars are reduced mod r; infinity (``None``) and zero scalars cost nothing.
    """

    def __init__(self, curve: Curve) -> None:
        self.curve = curve
        self.field = Field64.of(curve.q)

    def g1(self, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        """``sum(k_i · P_i)`` in G1."""
        kept, ks = self.terms(points, scalars)
        coords = [c for p in kept for c in p]
        return cast(G1, self._run(coords, ks, "g1"))  # a G1 sum for "g1"

    def g2(self, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        """``sum(k_i · Q_i)`` in G2."""
        kept, ks = self.terms(points, scalars)
        coords = [c for p in kept for pair in p for c in pair]
        return cast(G2, self._run(coords, ks, "g2"))  # a G2 sum for "g2"

    def terms(
        self, points: Sequence[P | None], scalars: Sequence[int]
    ) -> tuple[list[P], list[int]]:
        """The points and scalars (mod r) that contribute: no zero scalar, no infinity."""
        if len(points) != len(scalars):
            raise ValueError(f"{len(points)} points but {len(scalars)} scalars")
        r = self.curve.r
        kept: list[P] = []
        ks: list[int] = []
        for p, k in zip(points, scalars, strict=True):
            k = int(k) % r  # int-like scalars (numpy integers) too
            if k and p is not None:
                kept.append(p)
                ks.append(k)
        return kept, ks

    def _run(self, coords: list[int], ks: list[int], group: str) -> G1 | G2:
        n, limbs = len(ks), self.field.n_limbs
        shape = (n, 2, 2, limbs) if group == "g2" else (n, 2, limbs)
        pts = self.field.to_mont(coords).reshape(shape)
        return msm_arrays(self.curve.name, group, pts, ints_to_limbs(ks, SCALAR_LIMBS))


def _jacobian_sum(field: Field64, points: np.ndarray, scalars: np.ndarray) -> np.ndarray | None:
    """The sum as a Montgomery Jacobian ``(3, D, N)`` array, or None if no term counts."""
    n = points.shape[0]
    if n == 0:
        return None
    keep = scalars.any(axis=1) & points.reshape(n, -1).any(axis=1)
    if not keep.all():
        points, scalars = points[keep], scalars[keep]
        n = points.shape[0]
    if n == 0:
        return None
    points = np.ascontiguousarray(points, dtype=np.uint64)
    scalars = np.ascontiguousarray(scalars, dtype=np.uint64)
    ones = np.empty(n, dtype=np.bool_)
    is_one(scalars, ones)
    n_ones = int(ones.sum())
    bits = max_bits(scalars) if n_ones < n else 0
    c = window_size(n - n_ones, bits)
    windows = n_windows(bits, c) if bits else 0
    digits = np.empty((windows + (n_ones > 0), n), dtype=np.int64)
    if windows:
        signed_digits(scalars, ones, c, digits[:windows])
    if n_ones:
        ones_digits(ones, digits[windows])
    dim = points.shape[2]
    sums = np.empty((digits.shape[0], 3, dim, field.n_limbs), dtype=np.uint64)
    chunk = numba.set_parallel_chunksize(1)  # threads take one task at a time: balanced
    try:
        task_sums(
            points, digits, windows, 1 << (c - 1), BATCH, field.one, field.p_minus_2, field.m, sums
        )
    finally:
        numba.set_parallel_chunksize(chunk)
    total = np.empty((3, dim, field.n_limbs), dtype=np.uint64)
    combine(total, sums, windows, c, field.m)
    return total


def _to_affine(field: Field64, dim: int, total: np.ndarray) -> G1 | G2:
    q = field.p
    x, y, z = (field.from_mont(total[k]) for k in range(3))
    if dim == 1:
        if z[0] == 0:
            return None
        zi = pow(z[0], -1, q)
        zi2 = zi * zi % q
        return (x[0] * zi2 % q, y[0] * zi2 * zi % q)
    zz = Fq2(*z)
    if not zz % q:
        return None
    zinv = zz.inverse(q)
    zinv2 = (zinv * zinv) % q
    return ((Fq2(*x) * zinv2) % q).to_tuple(q), ((Fq2(*y) * zinv2 * zinv) % q).to_tuple(q)
