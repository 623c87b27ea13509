"""Multi-scalar multiplication on the numba kernels, from and to public point tuples.

>>> from zkmargin.curve import BN254
>>> msm = FastMsm(BN254.q, BN254.r)
>>> msm.g1([BN254.g1, BN254.g1, None], [2, 3, 9]) == BN254.g1_mul(BN254.g1, 5)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from zkmargin.curve.fast.pippenger import (
    combine_windows,
    n_windows,
    signed_digits,
    window_size,
    window_sums,
)
from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.points import G1, G2
from zkmargin.field.fast.convert import converter
from zkmargin.field.fast.limbs import ints_to_limbs


class FastMsm:
    """MSMs over the curve with base field modulus ``q`` and group order ``r``.

    Points must lie in the order-``r`` subgroup (scalars are reduced mod ``r``); infinity
    (``None``) and zero scalars are skipped before the kernels run.
    """

    def __init__(self, q: int, r: int) -> None:
        self.q = q
        self.r = r
        self.conv = converter(q)
        self.scalar_limbs = (r.bit_length() + 31) // 32

    def g1(self, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        """``sum(k_i · P_i)`` in G1."""
        kept, ks = self.terms(points, scalars)
        coords = [c for p in kept for c in p]
        out = self._run(coords, ks, dim=1)
        if out is None:
            return None
        x, y, z = out
        q = self.q
        if z == 0:
            return None
        zi = pow(z, -1, q)
        zi2 = zi * zi % q
        return (x * zi2 % q, y * zi2 * zi % q)

    def g2(self, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        """``sum(k_i · Q_i)`` in G2."""
        kept, ks = self.terms(points, scalars)
        coords = [c for p in kept for pair in p for c in pair]
        out = self._run(coords, ks, dim=2)
        if out is None:
            return None
        x0, x1, y0, y1, z0, z1 = out
        q = self.q
        z = Fq2(z0, z1)
        if not z % q:
            return None
        zi = z.inverse(q)
        zi2 = (zi * zi) % q
        x = (Fq2(x0, x1) * zi2) % q
        y = (Fq2(y0, y1) * zi2 * zi) % q
        return (x.to_tuple(q), y.to_tuple(q))

    def terms(self, points: Sequence, scalars: Sequence[int]) -> tuple[list, list[int]]:
        """The points and scalars (mod r) that contribute: no zero scalar, no infinity."""
        if len(points) != len(scalars):
            raise ValueError(f"{len(points)} points but {len(scalars)} scalars")
        r = self.r
        kept, ks = [], []
        for p, k in zip(points, scalars, strict=True):
            k %= r
            if k and p is not None:
                kept.append(p)
                ks.append(k)
        return kept, ks

    # --- internals --------------------------------------------------------------------------
    def _run(self, coords: list[int], ks: list[int], dim: int) -> list[int] | None:
        """The Jacobian sum as plain ints ``[X.., Y.., Z..]``, or None if there are no terms."""
        if not ks:
            return None
        mod = self.conv.mod
        pts = self.conv.to_mont(coords).reshape(len(ks), 2, dim, mod.n_limbs)
        bits = max(ks).bit_length()
        c = window_size(len(ks), bits)
        windows = n_windows(bits, c)
        digits = np.empty((windows, len(ks)), dtype=np.int32)
        signed_digits(ints_to_limbs(ks, self.scalar_limbs), c, windows, digits)
        sums = np.empty((windows, 3, dim, mod.n_limbs), dtype=np.uint64)
        window_sums(pts, digits, 1 << (c - 1), mod.limbs, mod.inv, mod.one, sums)
        total = np.empty((3, dim, mod.n_limbs), dtype=np.uint64)
        combine_windows(sums, c, mod.limbs, mod.inv, total)
        return self.conv.from_mont(total)
