"""The fast pairing (numba kernels) against py_ecc, both curves: constants, tower arithmetic,
pairing values, bilinearity and the multi-pairing check."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254, pyecc
from zkmargin.curve.fast.pairing import FastPairing, cyclotomic, fp6, fp12, params_for
from zkmargin.curve.fast.pairing.params import _params, fp2_pow
from zkmargin.groth16.gt import _PY_ECC

CURVES = [BN254, BLS12_381]
IDS = ["bn254", "bls12_381"]


# --- constants ------------------------------------------------------------------------------
@pytest.mark.parametrize("curve", CURVES, ids=IDS)
def test_hard_part_is_a_unit_multiple_of_the_true_exponent(curve):
    p = params_for(curve)
    phi = p.q**4 - p.q**2 + 1
    assert phi % p.r == 0
    assert p.hard_exponent == p.hard_multiple * (phi // p.r)
    assert math.gcd(p.hard_multiple, p.r) == 1  # so e^m is still a non-degenerate pairing


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
def test_tower_constants(curve):
    p = params_for(curve)
    q, xi = p.q, (p.k, 1)
    one = (1, 0)
    # v³ = ξ and w² = v define fields only if ξ is neither a square nor a cube in F_q2.
    assert fp2_pow(xi, (q * q - 1) // 2, q) != one
    assert fp2_pow(xi, (q * q - 1) // 3, q) != one
    for n in range(4):
        assert p.gamma[n][0] == one
        assert p.gamma[n][1] == fp2_pow(xi, (q**n - 1) // 6, q)
        for j in range(6):
            assert p.gamma[n][j] == fp2_pow(p.gamma[n][1], j, q)


def test_loop_lengths_satisfy_the_optimal_ate_relations():
    bn, bls = params_for(BN254), params_for(BLS12_381)
    # BN: 6x + 2 + q - q² + q³ ≡ 0 (mod r), which is what the two Frobenius lines complete.
    assert (bn.loop + bn.q - bn.q**2 + bn.q**3) % bn.r == 0
    # BLS12: q ≡ x (mod r), so the loop over x alone is an optimal pairing.
    assert (bls.q - bls.x) % bls.r == 0 and bls.conjugate_end and not bn.conjugate_end
    assert (bn.mtype, bls.mtype) == (False, True)


def test_wrong_twist_is_refused():
    with pytest.raises(ValueError, match="neither b/ξ nor b·ξ"):
        _params("bn128", BN254.q, BN254.r, BN254.b, (3, 0))
    with pytest.raises(ValueError, match="family"):
        _params("bls12381", BN254.q, BN254.r, BN254.b, tuple(BN254.b2))


# --- tower arithmetic against py_ecc's FQ12 -----------------------------------------------
def _to_pyecc(curve, gt):
    """Our tower layout (snarkjs's) as py_ecc's flat FQ12 (inverse of groth16.gt's map)."""
    lib, k, _ = _PY_ECC[curve.name]
    c = [0] * 12
    for j in range(2):
        for i in range(3):
            a, b = gt[j][i]
            c[j + 2 * i + 6] = b
            c[j + 2 * i] = (a - k * b) % curve.q
    return lib.FQ12(c)


def _from_pyecc(curve, x):
    _, k, _ = _PY_ECC[curve.name]
    c = [int(v) % curve.q for v in x.coeffs]
    return [
        [[(c[j + 2 * i] + k * c[j + 2 * i + 6]) % curve.q, c[j + 2 * i + 6]] for i in range(3)]
        for j in range(2)
    ]


def _random_gt(rng: random.Random, q: int) -> list:
    """A random Fq12 element as ``gt[j][i] = [c0, c1]`` (not necessarily in GT)."""
    return [[[rng.randrange(q) for _ in range(2)] for _ in range(3)] for _ in range(2)]


def _array(e, gt):
    flat = [v for j in range(2) for i in range(3) for v in gt[j][i]]
    return e.field.to_mont(flat).reshape(2, 3, 2, -1)


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@settings(max_examples=10)
@given(rng=st.randoms(use_true_random=False))
def test_tower_ops_match_pyecc(curve, rng):
    e = FastPairing.of(curve)
    gts = [_random_gt(rng, curve.q)]
    gts.append([[[0, 0], [1, 0], [0, 0]], [[0, 0], [0, 0], [rng.randrange(curve.q), 0]]])
    a, b = (_array(e, g) for g in gts)
    pa, pb = (_to_pyecc(curve, g) for g in gts)
    k, m, s, ws = e.params.k, e.field.m, e._scratch, e._ws
    out = np.empty_like(a)
    fp12.mul12(out, a, b, k, m, s, ws)
    assert e.to_ints(out) == _from_pyecc(curve, pa * pb)
    fp12.sqr12(out, a, k, m, s, ws)
    assert e.to_ints(out) == _from_pyecc(curve, pa * pa)
    fp12.inverse12(out, a, k, e.field.one, e.field.p_minus_2, m, s, ws)
    assert e.to_ints(out) == _from_pyecc(curve, pa.inv())
    for n in (1, 2, 3):
        fp12.frobenius12(out, a, n, e._gamma, m, s)
        want = pa
        for _ in range(n):
            want = pyecc.frobenius(curve.pyecc, want)
        assert e.to_ints(out) == _from_pyecc(curve, want)
    c = a.copy()
    fp12.mul12(c, c, c, k, m, s, ws)  # output aliasing both inputs
    assert e.to_ints(c) == _from_pyecc(curve, pa * pa)


# --- the pairing ----------------------------------------------------------------------------
def _pyecc_pairing(curve, p, q):
    lib, _, exponent = _PY_ECC[curve.name]
    value = lib.pairing(pyecc.g2_to_pyecc(lib, q), pyecc.g1_to_pyecc(lib, p))
    return _from_pyecc(curve, value ** (exponent % curve.r))


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@settings(max_examples=3)
@given(a=st.integers(1, 2**256), b=st.integers(1, 2**256))
def test_pairing_is_pyecc_to_the_documented_power(curve, a, b):
    # py_ecc's value raised to m (and inverted on BLS12-381): groth16.gt's exponent, which is
    # also what snarkjs's vk_alphabeta_12 holds.
    p, q = curve.g1_mul(curve.g1, a), curve.g2_mul(curve.g2, b)
    assert FastPairing.of(curve).pairing(p, q) == _pyecc_pairing(curve, p, q)


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@settings(max_examples=3)
@given(a=st.integers(1, 2**128), b=st.integers(1, 2**128))
def test_bilinear_and_non_degenerate(curve, a, b):
    e = FastPairing.of(curve)
    g1, g2 = curve.g1, curve.g2
    base = e.pairing(g1, g2)
    assert base != e.to_ints(e.one())
    ab = e.pairing(curve.g1_mul(g1, a * b), g2)
    assert e.pairing(curve.g1_mul(g1, a), curve.g2_mul(g2, b)) == ab
    assert e.pairing(g1, curve.g2_mul(g2, a * b)) == ab
    # e(P, Q)^r = 1: e(rP, Q) with rP computed as (r-1)P + P stays the identity.
    assert e.product_is_one([(curve.g1_mul(g1, curve.r - 1), g2), (g1, g2)])


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
def test_multi_pairing_check(curve):
    e = FastPairing.of(curve)
    g1, g2, r = curve.g1, curve.g2, curve.r
    rng = random.Random(3)
    ks = [rng.randrange(1, r) for _ in range(3)]
    qs = [curve.g2_mul(g2, k) for k in ks]
    # sum_i e(k_i'·G1, k_i·G2) with the G1 scalars chosen so the exponents cancel
    ps = [curve.g1_mul(g1, 5), curve.g1_mul(g1, 7)]
    last = -(5 * ks[0] + 7 * ks[1]) * pow(ks[2], -1, r) % r
    pairs = [(ps[0], qs[0]), (ps[1], e.prepare(qs[1])), (curve.g1_mul(g1, last), qs[2])]
    assert e.product_is_one(pairs)
    assert e.product_is_one([*pairs, (None, g2), (g1, None)])  # infinities contribute 1
    assert not e.product_is_one(pairs[:2])
    assert not e.product_is_one([*pairs[:2], (curve.g1_mul(g1, last + 1), qs[2])])
    assert e.product_is_one([])
    fixed = e.precompute(pairs[:2])
    assert e.product_is_one(pairs[2:], fixed)
    assert not e.product_is_one([(g1, g2)], fixed)


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@settings(max_examples=5)
@given(ks=st.lists(st.integers(0, 2**300), min_size=1, max_size=4))
def test_g1_mul_many_matches_the_curve(curve, ks):
    from zkmargin.curve.fast.pairing.scalar import g1_mul_many

    points = [curve.g1_mul(curve.g1, 1 + i) for i in range(len(ks))]
    assert g1_mul_many(curve, points, ks) == [
        curve.g1_mul(p, k) for p, k in zip(points, ks, strict=True)
    ]
    # edge cases: zero scalar, the point at infinity, k = r - 1 (gives -P), k = r (gives O)
    g = curve.g1
    edge = g1_mul_many(curve, [g, None, g, g, g], [0, 5, curve.r - 1, curve.r, 2])
    assert edge == [None, None, curve.g1_neg(g), None, curve.g1_add(g, g)]


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
def test_small_multiples_and_xi(curve):
    # ξ·a by additions (k·a0 - a1, a0 + k·a1) for the k of both towers and others
    e = FastPairing.of(curve)
    q, f = curve.q, e.field
    a = (q - 3, 2**200 + 7)
    arr = f.to_mont(list(a))
    for k in (1, 2, 3, 9, 16, 17):
        out = np.zeros_like(arr)
        fp6.mul_small(out[0], arr[0], k, f.m)
        assert f.from_mont(out[0]) == [k * a[0] % q]
        fp6.mul_xi(out, arr, k, f.m, np.zeros_like(arr))
        assert f.from_mont(out) == [(k * a[0] - a[1]) % q, (a[0] + k * a[1]) % q]


@pytest.mark.parametrize("curve", CURVES, ids=IDS)
@settings(max_examples=5)
@given(rng=st.randoms(use_true_random=False))
def test_cyclotomic_squaring_matches_squaring_on_the_subgroup(curve, rng):
    e = FastPairing.of(curve)
    k, m, s, ws = e.params.k, e.field.m, e._scratch, e._ws
    x = _array(e, _random_gt(rng, curve.q))
    # x^((q⁶ - 1)(q² + 1)) is in the cyclotomic subgroup
    inv, g = np.empty_like(x), np.empty_like(x)
    fp12.inverse12(inv, x, k, e.field.one, e.field.p_minus_2, m, s, ws)
    fp12.conj12(g, x, m)
    fp12.mul12(g, g, inv, k, m, s, ws)
    fp12.frobenius12(inv, g, 2, e._gamma, m, s)
    fp12.mul12(g, inv, g, k, m, s, ws)
    want, got = np.empty_like(x), np.empty_like(x)
    fp12.sqr12(want, g, k, m, s, ws)
    cyclotomic.cyclotomic_sqr12(got, g, k, m, s, ws)
    assert e.to_ints(got) == e.to_ints(want)
    cyclotomic.cyclotomic_sqr12(g, g, k, m, s, ws)  # in place
    assert e.to_ints(g) == e.to_ints(want)
