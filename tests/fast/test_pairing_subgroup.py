"""G2 membership by ``ψ(Q) = [λ]Q`` against the definition ``[r]Q = O``, on points inside and
outside the subgroup, both curves; and the argument that makes the test sound."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254
from zkmargin.curve import jacobian as jac
from zkmargin.curve.fast.pairing.params import fp2_mul
from zkmargin.curve.fast.pairing.subgroup import G2Membership, g2_in_subgroup
from zkmargin.curve.points import g2_from_jacobian, g2_to_internal
from zkmargin.field.bigint import big

CURVES = [BN254, BLS12_381]
IDS = ["bn254", "bls12_381"]


def _sqrt_fp2(a, q):
    """A square root in F_q2 (q ≡ 3 mod 4) or None: via the norm, then one F_q square root."""
    a0, a1 = a
    norm = (a0 * a0 + a1 * a1) % q
    s = pow(norm, (q + 1) // 4, q)
    if s * s % q != norm:
        return None
    for sign in (1, -1):
        half = (a0 + sign * s) * pow(2, -1, q) % q
        x0 = pow(half, (q + 1) // 4, q)
        if x0 * x0 % q != half:
            continue
        if x0 == 0:
            return None
        x1 = a1 * pow(2 * x0, -1, q) % q
        if fp2_mul((x0, x1), (x0, x1), q) == (a0 % q, a1 % q):
            return (x0, x1)
    return None


def _times(curve, point, k):
    """``k·point`` for any ``k >= 0`` (``Curve.g2_mul`` reduces ``k`` mod ``r``)."""
    return g2_from_jacobian(jac.multiply(g2_to_internal(point), k, big(curve.q)), curve.q)


def _twist_point(curve, rng):
    """A uniformly random point of the whole twist group (almost never in G2)."""
    q = curve.q
    while True:
        x = (rng.randrange(q), rng.randrange(q))
        rhs = fp2_mul(fp2_mul(x, x, q), x, q)
        rhs = ((rhs[0] + curve.b2[0]) % q, (rhs[1] + curve.b2[1]) % q)
        y = _sqrt_fp2(rhs, q)
        if y is not None:
            point = (x, y)
            assert curve.g2_is_on_curve(point)
            return point


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
def test_soundness_argument(curve):
    # ψ² - tψ + q = 0 on the twist, with t = q + 1 - #E(F_q) = q + 1 - r (cofactor-one G1 on
    # BN254; BLS12's t = x + 1 likewise); a point with ψ(Q) = [λ]Q has order dividing
    # λ² - tλ + q, which must be 0 mod r and coprime to the cofactor.
    check = G2Membership.of(curve)
    p = check.params
    t = p.x + 1 if p.family == "bls12" else p.q + 1 - p.r
    lam = check.multiplier
    assert (lam - p.q) % p.r == 0
    assert (lam * lam - t * lam + p.q) % p.r == 0
    assert math.gcd(lam * lam - t * lam + p.q, check.cofactor) == 1
    # and the cofactor is right: with r it annihilates a random twist point
    point = _twist_point(curve, random.Random(1))
    assert _times(curve, point, check.cofactor * p.r) is None
    assert _times(curve, point, check.cofactor) is not None


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@settings(max_examples=5)
@given(seed=st.integers(0, 2**32))
def test_agrees_with_the_definition(curve, seed):
    rng = random.Random(seed)
    inside = curve.g2_mul(curve.g2, rng.randrange(1, curve.r))
    assert g2_in_subgroup(curve, inside)
    outside = _twist_point(curve, rng)
    reference = curve.with_backend("reference")  # the [r]Q = O definition
    assert not reference.g2_is_valid(outside)
    assert not g2_in_subgroup(curve, outside)
    assert not curve.g2_is_valid(outside)  # the default (fast) path uses psi
    # cleared of its cofactor the same point is in G2
    cleared = _times(curve, outside, G2Membership.of(curve).cofactor)
    assert reference.g2_is_valid(cleared) and g2_in_subgroup(curve, cleared)


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
def test_small_order_component_is_caught(curve):
    # G2 point plus a point of small order (from the cofactor part): not in G2.
    check = G2Membership.of(curve)
    torsion = _times(curve, _twist_point(curve, random.Random(2)), curve.r)
    assert torsion is not None and not check(torsion)
    assert not check(curve.g2_add(curve.g2, torsion))
    assert check(curve.g2) and check(None)
    assert check.psi(curve.g2) == curve.g2_mul(curve.g2, check.multiplier)


def test_psi_constants_are_frobenius_constants():
    p = G2Membership.of(BN254).params
    assert G2Membership.of(BN254).psi_constants == (p.gamma[1][2], p.gamma[1][3])
    bls = G2Membership.of(BLS12_381)
    cx, cy = bls.psi_constants
    gx, gy = bls.params.gamma[1][2], bls.params.gamma[1][3]
    assert fp2_mul(cx, gx, bls.params.q) == (1, 0) and fp2_mul(cy, gy, bls.params.q) == (1, 0)
