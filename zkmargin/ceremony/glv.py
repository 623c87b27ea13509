"""GLV scalar splitting for the ceremony's point multiplications on BN254.

The map ``φ(x, y) = (β·x, y)``, ``β`` a cube root of unity in Fq, sends a curve point to another
(``(βx)^3 = x^3``) and acts on the order-``r`` subgroups of G1 and G2 as multiplication by a
cube root of unity ``λ`` in Fr; which of the two roots depends on the group, so each gets its
own, found once by comparing ``φ(G)`` with ``λ·G``. Then ``k·P = k1·P + k2·φ(P)`` for any
``k1 + k2·λ ≡ k (mod r)``, and a short lattice basis of ``{(a, b): a + b·λ ≡ 0}`` gives ``k1``,
``k2`` of about half ``r``'s 254 bits: one shared chain of 127 doublings instead of 254.

Only points of order ``r`` behave so: the inputs here are points of a ptau or zkey, which
come from the generators by scalar multiplications.
"""

from __future__ import annotations

from functools import cache
from math import isqrt

import numpy as np

from zkmargin.curve import BN254

CURVE = BN254
HALF_LIMBS = 2
"""64-bit limbs per half scalar (``|k1|, |k2| < 2^128``)."""


def _cube_root(p: int) -> int:
    for g in range(2, 100):
        c = pow(g, (p - 1) // 3, p)
        if c != 1:
            return c
    raise AssertionError("no cube root of unity found")


BETA = _cube_root(CURVE.q)
"""A primitive cube root of unity in Fq (plain integer)."""


@cache
def eigenvalue(group: str) -> int:
    """``λ`` with ``φ(P) = λ·P`` on ``group`` (``"g1"`` or ``"g2"``)."""
    lam = _cube_root(CURVE.r)
    q = CURVE.q
    for cand in (lam, lam * lam % CURVE.r):
        if group == "g1":
            x, y = CURVE.g1
            if CURVE.g1_eq(CURVE.g1_mul(CURVE.g1, cand), (BETA * x % q, y)):
                return cand
        else:
            (x0, x1), y = CURVE.g2
            if CURVE.g2_eq(CURVE.g2_mul(CURVE.g2, cand), ((BETA * x0 % q, BETA * x1 % q), y)):
                return cand
    raise AssertionError(f"φ is not a multiplication on {group}")


@cache
def _basis(lam: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two short vectors ``(a, b)`` with ``a + b·λ ≡ 0 (mod r)`` (extended Euclid stopped at
    ``√r``)."""
    n = CURVE.r
    bound = isqrt(n)
    r0, r1, t0, t1 = n, lam, 0, 1
    while r1 >= bound:
        q = r0 // r1
        r0, r1, t0, t1 = r1, r0 - q * r1, t1, t0 - q * t1
    v1 = (r1, -t1)
    q = r0 // r1
    r2, t2 = r0 - q * r1, t0 - q * t1
    v2 = min((r0, -t0), (r2, -t2), key=lambda v: v[0] ** 2 + v[1] ** 2)
    return v1, v2


def _nearest(a: int, d: int) -> int:
    if d < 0:
        a, d = -a, -d
    return (2 * a + d) // (2 * d)


def split(k: int, lam: int) -> tuple[int, int]:
    """``(k1, k2)`` with ``k1 + k2·λ ≡ k (mod r)``, both of absolute value below ``2^128``."""
    n = CURVE.r
    (a1, b1), (a2, b2) = _basis(lam)
    det = a1 * b2 - a2 * b1  # ±r
    c1 = _nearest(b2 * k, det)  # k's coordinates in the basis, rounded
    c2 = _nearest(-b1 * k, det)
    k1 = k - c1 * a1 - c2 * a2
    k2 = -c1 * b1 - c2 * b2
    assert (k1 + k2 * lam - k) % n == 0 and max(abs(k1), abs(k2)) < 1 << 128
    return k1, k2


def split_limbs(scalars: list[int], group: str) -> tuple[np.ndarray, np.ndarray]:
    """The halves of each scalar as ``(n, 2, HALF_LIMBS)`` plain limbs of ``|k1|, |k2|`` and
    their signs ``(n, 2)`` (``True``: negative)."""
    lam = eigenvalue(group)
    mags = np.zeros((len(scalars), 2, HALF_LIMBS), dtype=np.uint64)
    neg = np.zeros((len(scalars), 2), dtype=np.bool_)
    mask = (1 << 64) - 1
    for i, k in enumerate(scalars):
        for h, v in enumerate(split(k, lam)):
            neg[i, h] = v < 0
            v = abs(v)
            mags[i, h, 0] = v & mask
            mags[i, h, 1] = v >> 64
    return mags, neg
