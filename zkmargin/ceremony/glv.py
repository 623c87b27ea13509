"""GLV scalar splitting for the ceremony's point multiplications on BN254.

The map ``φ(x, y) = (β·x, y)``, ``β`` a cube root of unity in Fq, sends a curve point to another
(``(βx)^3 = x^3``) and acts on the order-``r`` subgroups of G1 and G2 as multiplication by a
cube root of unity ``λ`` in Fr; which of the two roots depends on the group, so each gets its
own, found once by comparing ``φ(G)`` with ``λ·G``. Then ``k·P = k1·P + k2·φ(P)`` for any
``k1 + k2·λ ≡ k (mod r)``, and a short lattice basis of ``{(a, b): a + b·λ ≡ 0}`` gives ``k1``,
``k2`` of about half ``r``'s 254 bits: one shared chain of 127 doublings instead of 254.

G2 has a second map, ``ψ`` (:mod:`.endomorphism`), multiplication by ``μ``: with
``1, φ, ψ, ψφ`` a scalar splits as ``k ≡ k1 + k2·λ + k3·μ + k4·λμ`` into four parts below
``2^64`` (an LLL-reduced basis of the relations lattice and Babai rounding), so G2's chain has
64 doublings. G1 keeps its two parts.

Only points of order ``r`` behave so: the inputs here are points of a ptau or zkey, which
come from the generators by scalar multiplications.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from math import isqrt

import numpy as np

from zkmargin.ceremony import endomorphism
from zkmargin.curve import BN254

CURVE = BN254
PART_LIMBS = 2
"""64-bit limbs per part of a split scalar (G1's two parts are below ``2^128``)."""
PARTS = {"g1": 2, "g2": 4}
"""Parts a scalar splits into, per group."""


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


def _lll(basis: list[list[int]]) -> list[list[int]]:
    """An LLL-reduced (``δ = 99/100``) basis of the lattice the rows span; exact arithmetic
    (run once, on 4 rows)."""
    b = [list(v) for v in basis]
    n = len(b)

    def dot(u: list, v: list) -> Fraction:
        return sum((Fraction(x) * y for x, y in zip(u, v, strict=True)), Fraction(0))

    def orthogonalised() -> tuple[list[list[Fraction]], list[list[Fraction]]]:
        star: list[list[Fraction]] = []
        coef = [[Fraction(0)] * n for _ in range(n)]
        for i in range(n):
            v = [Fraction(x) for x in b[i]]
            for j in range(i):
                coef[i][j] = dot(b[i], star[j]) / dot(star[j], star[j])
                v = [x - coef[i][j] * y for x, y in zip(v, star[j], strict=True)]
            star.append(v)
        return star, coef

    star, coef = orthogonalised()
    k = 1
    while k < n:
        for j in range(k - 1, -1, -1):
            c = round(coef[k][j])
            if c:
                b[k] = [x - c * y for x, y in zip(b[k], b[j], strict=True)]
                star, coef = orthogonalised()
        if dot(star[k], star[k]) >= (Fraction(99, 100) - coef[k][k - 1] ** 2) * dot(
            star[k - 1], star[k - 1]
        ):
            k += 1
        else:
            b[k], b[k - 1] = b[k - 1], b[k]
            star, coef = orthogonalised()
            k = max(k - 1, 1)
    return b


def _inverse_first_row(b: list[list[int]]) -> list[int]:
    """``a`` with ``a / r`` the first row of ``b``'s inverse (Gauss-Jordan, exact): the
    lattice has index ``r`` in ``Z^4``, so ``r·b^-1`` is an integer matrix."""
    n = len(b)
    m = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)]
         for i, row in enumerate(b)]  # fmt: skip
    for c in range(n):
        p = next(i for i in range(c, n) if m[i][c] != 0)
        m[c], m[p] = m[p], m[c]
        m[c] = [x / m[c][c] for x in m[c]]
        for i in range(n):
            if i != c and m[i][c] != 0:
                m[i] = [x - m[i][c] * y for x, y in zip(m[i], m[c], strict=True)]
    row = [x * CURVE.r for x in m[0][n:]]
    assert all(x.denominator == 1 for x in row)
    return [int(x) for x in row]


@cache
def _basis4() -> tuple[list[tuple[int, ...]], list[int], tuple[int, int, int, int]]:
    """For G2's ``λ``, ``μ``: the columns of a reduced basis of the lattice
    ``{v: v0 + v1·λ + v2·μ + v3·λμ ≡ 0 (mod r)}``, ``a`` with ``a / r`` the first row of the
    basis' inverse, and the weights ``(1, λ, μ, λμ)``."""
    n, lam, mu = CURVE.r, eigenvalue("g2"), endomorphism.eigenvalue()
    weights = (1, lam, mu, lam * mu % n)
    b = _lll([[n, 0, 0, 0], [-lam, 1, 0, 0], [-mu, 0, 1, 0], [-weights[3], 0, 0, 1]])
    for v in b:
        assert sum(x * w for x, w in zip(v, weights, strict=True)) % n == 0
    # Babai rounding leaves (k, 0, 0, 0) minus a lattice vector: Σ f_j·b_j with |f_j| <= 1/2,
    # so part i is at most half the column sum of |b_j[i]|, below 2^64.
    columns = list(zip(*b, strict=True))
    assert all(sum(abs(x) for x in col) < 1 << 65 for col in columns)
    return columns, _inverse_first_row(b), weights


def split4(k: int) -> tuple[int, int, int, int]:
    """``(k1, k2, k3, k4)`` with ``k1 + k2·λ + k3·μ + k4·λμ ≡ k (mod r)`` on G2, each of
    absolute value below ``2^64``."""
    columns, a, (_, lam, mu, lmu) = _basis4()
    n = CURVE.r
    c0, c1, c2, c3 = ((2 * k * aj + n) // (2 * n) for aj in a)  # k's coordinates, rounded
    k1, k2, k3, k4 = (-(c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3) for x0, x1, x2, x3 in columns)
    k1 += k
    assert (k1 + k2 * lam + k3 * mu + k4 * lmu - k) % n == 0
    assert max(abs(k1), abs(k2), abs(k3), abs(k4)) < 1 << 64
    return k1, k2, k3, k4


def split_limbs(scalars: list[int], group: str) -> tuple[np.ndarray, np.ndarray]:
    """The parts of each scalar (two for G1, :func:`split`; four for G2, :func:`split4`) as
    ``(n, PARTS[group], PART_LIMBS)`` plain limbs of their absolute values and their signs
    ``(n, PARTS[group])`` (``True``: negative)."""
    lam, d = eigenvalue(group), PARTS[group]
    parts = [v for k in scalars for v in (split(k, lam) if d == 2 else split4(k))]
    mask = (1 << 64) - 1
    limbs = [w for v in parts for w in (abs(v) & mask, abs(v) >> 64)]
    mags = np.array(limbs, dtype=np.uint64).reshape(len(scalars), d, PART_LIMBS)
    neg = np.array([v < 0 for v in parts], dtype=np.bool_).reshape(len(scalars), d)
    return mags, neg
