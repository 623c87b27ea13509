"""pairing_check: bilinearity, non-degeneracy, infinity, and rejection of off-curve input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import Curve


@settings(max_examples=2)
@given(a=st.integers(1, 2**128), b=st.integers(1, 2**128))
def test_bilinearity(curve: Curve, a: int, b: int) -> None:
    g1, g2 = curve.g1, curve.g2
    # e(aP, bQ) · e(-abP, Q) == 1, and moving the scalar to the other side changes nothing.
    assert curve.pairing_check(
        [(curve.g1_mul(g1, a), curve.g2_mul(g2, b)), (curve.g1_neg(curve.g1_mul(g1, a * b)), g2)]
    )
    assert curve.pairing_check(
        [(curve.g1_mul(g1, a * b), g2), (curve.g1_neg(g1), curve.g2_mul(g2, a * b))]
    )


def test_wrong_relations_fail(curve: Curve) -> None:
    g1, g2 = curve.g1, curve.g2
    assert not curve.pairing_check([(g1, g2)])  # non-degenerate
    assert not curve.pairing_check(
        [(curve.g1_mul(g1, 6), g2), (curve.g1_neg(g1), curve.g2_mul(g2, 5))]
    )


def test_three_pairs_one_final_exponentiation(curve: Curve) -> None:
    # A Groth16-shaped equation: e(A, B) = e(alpha, beta) · e(C, delta) with A = 2+3·4, B = 1.
    g1, g2 = curve.g1, curve.g2
    pairs = [
        (curve.g1_neg(curve.g1_mul(g1, 14)), g2),
        (curve.g1_mul(g1, 2), g2),
        (curve.g1_mul(g1, 3), curve.g2_mul(g2, 4)),
    ]
    assert curve.pairing_check(pairs)
    pairs[2] = (curve.g1_mul(g1, 3), curve.g2_mul(g2, 5))
    assert not curve.pairing_check(pairs)


def test_infinity_contributes_one(curve: Curve) -> None:
    assert curve.pairing_check([])
    assert curve.pairing_check([(None, curve.g2), (curve.g1, None)])
    assert not curve.pairing_check([(None, curve.g2), (curve.g1, curve.g2)])


def test_off_curve_points_raise(curve: Curve) -> None:
    x, y = curve.g1
    with pytest.raises(ValueError, match="G1 point not on"):
        curve.pairing_check([((x, y + 1), curve.g2)])
    (x0, x1), (y0, y1) = curve.g2
    with pytest.raises(ValueError, match="G2 point not on"):
        curve.pairing_check([(curve.g1, ((x0, x1), (y0, y1 + 1)))])


def test_final_exponentiation_equals_pyecc(curve: Curve) -> None:
    from zkmargin.curve.pyecc import final_exponentiate, g1_to_pyecc, g2_to_pyecc

    m = curve.pyecc
    p, q = curve.g1_mul(curve.g1, 2**100 + 3), curve.g2_mul(curve.g2, 2**90 + 5)
    f = m.pairing(g2_to_pyecc(m, q), g1_to_pyecc(m, p), final_exponentiate=False)
    assert final_exponentiate(m, f) == m.final_exponentiate(f)


def test_pairs_sharing_a_g2_point_share_one_miller_loop(curve: Curve, monkeypatch) -> None:
    # Three Groth16-shaped equations e(A_i, B) = e(alpha, beta)·e(C_i, delta), batched with
    # weights: 3 distinct G2 points, so 3 Miller loops instead of 9.
    m = curve.pyecc
    calls = []
    real_pairing = m.pairing

    def counting(q, p, final_exponentiate=True):
        calls.append(1)
        return real_pairing(q, p, final_exponentiate=final_exponentiate)

    monkeypatch.setattr(m, "pairing", counting)
    g1, g2 = curve.g1, curve.g2
    beta, delta, b = curve.g2_mul(g2, 7), curve.g2_mul(g2, 11), curve.g2_mul(g2, 5)
    pairs = []
    for i, weight in enumerate((1, 3, 9)):
        a, c = 2 + i, 4 + i  # alpha solves 5·a = 7·alpha + 11·c (mod r)
        alpha = (a * 5 - c * 11) * pow(7, -1, curve.r)
        pairs += [
            (curve.g1_mul(g1, weight * a), b),
            (curve.g1_mul(g1, -weight * alpha), beta),
            (curve.g1_mul(g1, -weight * c), delta),
        ]
    assert curve.pairing_check(pairs)
    assert len(calls) == 3
    pairs[0] = (curve.g1_mul(g1, 3), b)
    assert not curve.pairing_check(pairs)


def test_json_shaped_points_are_accepted(curve: Curve) -> None:
    p = list(curve.g1_mul(curve.g1, 3))
    q = [list(c) for c in curve.g2]
    assert curve.pairing_check([(p, q), (list(curve.g1_neg(curve.g1)), curve.g2_mul(curve.g2, 3))])
