"""G1/G2 arithmetic against py_ecc, group laws, and point validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254, Curve, curve_by_name
from zkmargin.curve.pyecc import g1_from_pyecc, g2_from_pyecc

R = BN254.r
scalars = st.one_of(
    st.sampled_from([0, 1, 2, 3, R - 1, R, R + 1, BLS12_381.r - 1]),
    st.integers(min_value=0, max_value=2**256),
)


def test_curve_by_name_and_generators() -> None:
    assert curve_by_name("bn128") is BN254 and curve_by_name("BN254") is BN254
    assert curve_by_name("bls12381") is BLS12_381 and curve_by_name("bls12-381") is BLS12_381
    with pytest.raises(ValueError, match="unknown curve"):
        curve_by_name("secp256k1")
    assert BN254.g1 == (1, 2)
    assert BN254.fr.name == "bn128" and BLS12_381.fr.name == "bls12381"


@settings(max_examples=8)
@given(k=scalars)
def test_g1_mul_matches_pyecc(curve: Curve, k: int) -> None:
    m = curve.pyecc
    assert curve.g1_mul(curve.g1, k) == g1_from_pyecc(m, m.multiply(m.G1, k % curve.r))


@settings(max_examples=4)
@given(k=scalars)
def test_g2_mul_matches_pyecc(curve: Curve, k: int) -> None:
    m = curve.pyecc
    assert curve.g2_mul(curve.g2, k) == g2_from_pyecc(m, m.multiply(m.G2, k % curve.r))


@settings(max_examples=6)
@given(a=scalars, b=scalars)
def test_g1_group_laws(curve: Curve, a: int, b: int) -> None:
    g, r = curve.g1, curve.r
    pa, pb = curve.g1_mul(g, a), curve.g1_mul(g, b)
    total = curve.g1_mul(g, a + b)
    assert curve.g1_add(pa, pb) == total == curve.g1_add(pb, pa)
    assert curve.g1_add(pa, curve.g1_neg(pa)) is None
    assert curve.g1_add(pa, pa) == curve.g1_mul(g, 2 * a)  # equal points: the doubling path
    assert curve.g1_add(pa, None) == pa == curve.g1_add(None, pa)
    assert curve.g1_mul(pa, b) == curve.g1_mul(g, a * b)
    assert curve.g1_mul(pa, -1) == curve.g1_neg(pa)
    assert curve.g1_mul(pa, r) is None and curve.g1_mul(pa, r + 1) == pa
    assert curve.g1_eq(pa, curve.g1_mul(g, a + r))


@settings(max_examples=3)
@given(a=scalars, b=scalars)
def test_g2_group_laws(curve: Curve, a: int, b: int) -> None:
    g, r = curve.g2, curve.r
    qa, qb = curve.g2_mul(g, a), curve.g2_mul(g, b)
    assert curve.g2_add(qa, qb) == curve.g2_mul(g, a + b) == curve.g2_add(qb, qa)
    assert curve.g2_add(qa, curve.g2_neg(qa)) is None
    assert curve.g2_add(qa, qa) == curve.g2_mul(g, 2 * a)
    assert curve.g2_add(qa, None) == qa
    assert curve.g2_mul(qa, -1) == curve.g2_neg(qa)
    assert curve.g2_mul(qa, r) is None
    assert curve.g2_eq(qa, curve.g2_mul(g, a + r))


def test_infinity_and_eq(curve: Curve) -> None:
    assert curve.g1_neg(None) is None and curve.g2_neg(None) is None
    assert curve.g1_mul(None, 5) is None and curve.g2_mul(None, 5) is None
    assert curve.g1_add(None, None) is None and curve.g2_add(None, None) is None
    assert curve.g1_eq(None, None) and not curve.g1_eq(None, curve.g1)
    assert curve.g2_eq(None, None) and not curve.g2_eq(curve.g2, None)
    assert curve.g1_mul(curve.g1, 0) is None and curve.g2_mul(curve.g2, 0) is None


def test_generators_and_multiples_are_valid(curve: Curve) -> None:
    assert curve.g1_is_valid(curve.g1) and curve.g2_is_valid(curve.g2)
    assert curve.g1_is_valid(None) and curve.g2_is_valid(None)
    assert curve.g1_is_valid(curve.g1_mul(curve.g1, 2**200 + 7))
    assert curve.g2_is_valid(curve.g2_mul(curve.g2, 2**200 + 7))


def test_g1_validation_rejects_malformed_and_off_curve(curve: Curve) -> None:
    x, y = curve.g1_mul(curve.g1, 12345)
    q = curve.q
    assert not curve.g1_is_valid((x, (y + 1) % q))  # off the curve
    assert not curve.g1_is_valid((x + q, y))  # satisfies the equation mod q, but x >= q
    assert not curve.g1_is_valid((x, y + q))
    assert not curve.g1_is_valid((x - q, y))  # negative coordinate
    assert curve.g1_is_valid([x, y])  # a JSON list is accepted like a tuple
    for bad in [(x,), (x, y, 1), "ab", (float(x), y), (True, 2), (x, str(y)), 0]:
        assert not curve.g1_is_valid(bad), bad


def test_g2_validation_rejects_malformed_and_off_curve(curve: Curve) -> None:
    (x0, x1), (y0, y1) = curve.g2_mul(curve.g2, 12345)
    q = curve.q
    assert not curve.g2_is_valid(((x0, x1), (y0, (y1 + 1) % q)))
    assert not curve.g2_is_valid(((x0 + q, x1), (y0, y1)))
    assert not curve.g2_is_valid(((x0, x1 + q), (y0, y1)))
    assert not curve.g2_is_valid(((x0, x1), (y0, y1 - q)))
    assert not curve.g2_is_valid(((x1, x0), (y0, y1)))  # coefficients swapped
    for bad in [((x0, x1),), ((x0, x1), (y0,)), (x0, y0), ((x0, x1), (y0, 1.5)), "g2"]:
        assert not curve.g2_is_valid(bad), bad


def test_points_outside_the_subgroup_are_rejected(curve: Curve, outside) -> None:
    m = curve.pyecc
    from zkmargin.curve.pyecc import g1_to_pyecc, g2_to_pyecc

    # G2: on the twist (py_ecc agrees) but r·Q != O, so not in G2.
    qq = g2_to_pyecc(m, outside.g2)
    assert m.is_on_curve(qq, m.b2) and not m.is_inf(m.multiply(qq, curve.r))
    assert curve.g2_is_on_curve(outside.g2)
    assert not curve.g2_is_valid(outside.g2)
    assert curve.g2_is_valid(outside.g2_cleared)  # its cofactor multiple is in G2
    if outside.g1 is None:
        # BN254's G1 has cofactor 1: every curve point is in the subgroup.
        assert curve.g1_is_valid(outside.g1_cleared)
        return
    pp = g1_to_pyecc(m, outside.g1)
    assert m.is_on_curve(pp, m.b) and not m.is_inf(m.multiply(pp, curve.r))
    assert curve.g1_is_on_curve(outside.g1)
    assert not curve.g1_is_valid(outside.g1)
    assert curve.g1_is_valid(outside.g1_cleared)
