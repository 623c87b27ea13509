"""Fixtures for the curve tests: both curves, point pools with known discrete logs, and points
on the curve (or twist) but outside the order-r subgroup, built by lifting an x coordinate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from zkmargin.curve import BLS12_381, BN254, G1, G2, Curve
from zkmargin.curve.fq2 import Fq2

CURVES = [BN254, BLS12_381]


@dataclass(frozen=True)
class Pool:
    """Points ``logs[i]·G`` so any MSM's expected value is ``(sum k_i·logs[i] mod r)·G``."""

    logs: list[int]
    g1: list[G1]
    g2: list[G2]


@pytest.fixture(scope="session", params=CURVES, ids=lambda c: c.name)
def curve(request: pytest.FixtureRequest) -> Curve:
    return request.param


@pytest.fixture(scope="session")
def pool(curve: Curve) -> Pool:
    rng = random.Random(f"pool-{curve.name}")
    logs = [rng.randrange(1, curve.r) for _ in range(24)]
    return Pool(
        logs=logs,
        g1=[curve.g1_mul(curve.g1, a) for a in logs],
        g2=[curve.g2_mul(curve.g2, a) for a in logs],
    )


def sqrt_fq(a: int, q: int) -> int | None:
    """A square root mod ``q`` (both base primes are 3 mod 4), or None."""
    a %= q
    root = pow(a, (q + 1) // 4, q)
    return root if root * root % q == a else None


def sqrt_fq2(a: Fq2, q: int) -> Fq2 | None:
    """A square root in Fq[u]/(u^2+1) via the norm: x0^2 = (a0 ± |a|)/2, x1 = a1/(2·x0)."""
    a0, a1 = a.c0 % q, a.c1 % q
    norm_root = sqrt_fq(a0 * a0 + a1 * a1, q)
    if norm_root is None:
        return None
    half = pow(2, -1, q)
    for delta in ((a0 + norm_root) * half, (a0 - norm_root) * half):
        x0 = sqrt_fq(delta, q)
        if x0:
            root = Fq2(x0, a1 * pow(2 * x0, -1, q) % q)
            if (root * root) % q == a % q:
                return root
    if a1 == 0:  # a0 a non-residue: sqrt is purely imaginary
        x1 = sqrt_fq(-a0, q)
        if x1 is not None:
            return Fq2(0, x1)
    return None


def lift_g1(curve: Curve, x: int) -> G1:
    """A curve point with abscissa >= ``x`` (the first x whose x^3 + b is a square)."""
    while True:
        y = sqrt_fq(x**3 + curve.b, curve.q)
        if y is not None:
            return (x, y)
        x += 1


def lift_g2(curve: Curve, x0: int) -> G2:
    """A twist point with abscissa ``(x0', 1)`` for the first ``x0' >= x0`` that works."""
    b2 = Fq2(*curve.b2)
    while True:
        x = Fq2(x0, 1)
        y = sqrt_fq2(x * x * x + b2, curve.q)
        if y is not None:
            return (x.to_tuple(curve.q), y.to_tuple(curve.q))
        x0 += 1


# G2 cofactors #E'(Fq2)/r: BN254's is 2q - r; BLS12-381's is the published h2.
G2_COFACTOR = {
    "bn128": 2 * BN254.q - BN254.r,
    "bls12381": 0x5D543A95414E7F1091D50792876A202CD91DE4547085ABAA68A205B2E5A7DDFA628F1CB4D9E82EF21537E293A6691AE1616EC6E786F0C70CF1C38E31C7238E5,
}
# BLS12-381's G1 cofactor (x - 1)^2 / 3 for x = -0xd201000000010000; BN254's is 1.
G1_COFACTOR = {"bn128": 1, "bls12381": 0x396C8C005555E1568C00AAAB0000AAAB}


@dataclass(frozen=True)
class Outside:
    """Points on the curve / twist that are not in the order-r subgroup, and their cofactor
    multiples (which are)."""

    g1: G1  # None for BN254, whose G1 has cofactor 1
    g2: G2
    g1_cleared: G1
    g2_cleared: G2


@pytest.fixture(scope="session")
def outside(curve: Curve) -> Outside:
    m = curve.pyecc
    from zkmargin.curve.pyecc import g1_from_pyecc, g1_to_pyecc, g2_from_pyecc, g2_to_pyecc

    g2 = lift_g2(curve, 3)
    g2_cleared = g2_from_pyecc(m, m.multiply(g2_to_pyecc(m, g2), G2_COFACTOR[curve.name]))
    if G1_COFACTOR[curve.name] == 1:
        return Outside(g1=None, g2=g2, g1_cleared=lift_g1(curve, 5), g2_cleared=g2_cleared)
    g1 = lift_g1(curve, 5)
    g1_cleared = g1_from_pyecc(m, m.multiply(g1_to_pyecc(m, g1), G1_COFACTOR[curve.name]))
    return Outside(g1=g1, g2=g2, g1_cleared=g1_cleared, g2_cleared=g2_cleared)
