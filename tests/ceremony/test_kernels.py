"""The ceremony's point arithmetic: the GLV splits (two parts on G1, four on G2 with ``ψ``),
GLV-split multiplications against plain double-and-add, and the batch G2 subgroup check against points whose part outside G2 has the cofactor's
smallest prime order (the case one random combination misses once in 10069)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.ceremony import endomorphism, glv
from zkmargin.ceremony.group_fft import inverse_fft
from zkmargin.ceremony.keys import CURVE
from zkmargin.ceremony.scalar_mul import ODD, _tables, endo_of, scale
from zkmargin.ceremony.subgroup import BATCH_FROM, first_outside_g2, smallest_cofactor_prime
from zkmargin.curve import jacobian as jac
from zkmargin.curve.fast.pairing.subgroup import G2Membership
from zkmargin.curve.points import g2_from_jacobian, g2_to_internal
from zkmargin.field.bigint import big
from zkmargin.field.fast.regs import zero_of
from zkmargin.field.roots import roots_of_unity
from zkmargin.formats.ptau import FQ, g1_bytes, g1_point, g2_bytes, g2_point

R, Q = CURVE.r, CURVE.q
LAM, MU = glv.eigenvalue("g2"), endomorphism.eigenvalue()
EDGES = [0, 1, 2, R - 1, R - 2, (R - 1) // 2, glv.eigenvalue("g1"), LAM, MU, LAM * MU % R]


def as_array(points, g2: bool) -> np.ndarray:
    raw = b"".join(g2_bytes(p) if g2 else g1_bytes(p) for p in points)
    return np.frombuffer(raw, dtype="<u8").reshape(len(points), 2, 2 if g2 else 1, 4).copy()


def test_split_recombines_into_short_halves() -> None:
    rng = random.Random(1)
    for group in ("g1", "g2"):
        lam = glv.eigenvalue(group)
        for k in EDGES + [rng.randrange(R) for _ in range(200)]:
            k1, k2 = glv.split(k, lam)
            assert (k1 + k2 * lam - k) % R == 0
            assert max(abs(k1), abs(k2)) < 1 << 127
    assert glv.eigenvalue("g1") != glv.eigenvalue("g2")  # each group has its own root


def _split4_edges() -> list[int]:
    """Scalars at the corners of the 4-dimensional split: the basis vectors' first coordinates
    and their multiples, and the scalars where Babai's rounding of a coordinate turns."""
    columns, inv, _ = glv._basis4()
    out = [c * x % R for x in columns[0] for c in (1, 3, -7)]
    for a in inv:  # coordinate j of k is k·a/r: it rounds up from k ≈ r/(2a) on
        k = R // (2 * abs(a))
        out += [k % R, (k + 1) % R, (-k) % R, (-k - 1) % R]
    return out


def _check_split4(k: int) -> None:
    k1, k2, k3, k4 = glv.split4(k)
    assert (k1 + k2 * LAM + k3 * MU + k4 * LAM * MU - k) % R == 0
    assert max(abs(k1), abs(k2), abs(k3), abs(k4)) < 1 << 64


def test_split4_recombines_into_64_bit_parts_at_the_edges() -> None:
    for k in EDGES + _split4_edges():
        _check_split4(k)
    assert glv.split4(LAM) == (0, 1, 0, 0) and glv.split4(MU) == (0, 0, 1, 0)
    assert glv.split4(LAM * MU % R) == (0, 0, 0, 1)
    assert glv.split4(0) == (0, 0, 0, 0) and glv.split4(R - 1) == (-1, 0, 0, 0)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=R - 1))
def test_split4_recombines_into_64_bit_parts(k: int) -> None:
    _check_split4(k)


def test_split_limbs_gives_two_parts_on_g1_and_four_on_g2() -> None:
    k = R - 12345
    for group, parts in (("g1", glv.split(k, glv.eigenvalue("g1"))), ("g2", glv.split4(k))):
        mags, neg = glv.split_limbs([k], group)
        assert mags.shape == (1, len(parts), glv.PART_LIMBS) and neg.shape == (1, len(parts))
        signs = [-1 if s else 1 for s in neg[0]]
        values = [int(lo) + (int(hi) << 64) for lo, hi in mags[0]]
        got = [s * v for s, v in zip(signs, values, strict=True)]
        assert got == list(parts)


def test_psi_is_multiplication_by_mu_on_g2() -> None:
    rng = random.Random(4)
    for s in [1, 2, R - 1] + [rng.randrange(1, R) for _ in range(3)]:
        p = CURVE.g2_mul(CURVE.g2, s)
        assert CURVE.g2_eq(endomorphism.psi_point(p), CURVE.g2_mul(p, MU))
        assert not CURVE.g2_eq(endomorphism.psi_point(p), p)  # control: ψ is not the identity
    assert endomorphism.psi_point(None) is None
    assert MU not in (1, LAM, LAM * LAM % R)  # a map independent of φ: four parts, not two


def test_register_maps_match_the_reference_maps() -> None:
    """The kernels' tables of ``P, φ(P), ψ(P), ψφ(P)`` against ``λ``, ``μ``, ``λμ`` times ``P``."""
    rng = random.Random(5)
    pts = [CURVE.g2_mul(CURVE.g2, rng.randrange(1, R)) for _ in range(ODD)]
    tab = np.empty((4, ODD, 2, 2, 4), dtype=np.uint64)
    _tables(tab, as_array(pts, True), endo_of(FQ, 2), FQ.m, zero_of(2))
    for h, factor in enumerate((1, LAM, MU, LAM * MU % R)):
        for j, p in enumerate(pts):
            assert CURVE.g2_eq(g2_point(tab[h, j].tobytes()), CURVE.g2_mul(p, factor)), (h, j)


def test_g2_scale_of_distinct_points_matches_plain_multiplication() -> None:
    rng = random.Random(6)
    scalars = EDGES + _split4_edges()[:8] + [rng.randrange(R) for _ in range(6)]
    pts = [CURVE.g2_mul(CURVE.g2, rng.randrange(1, R)) for _ in scalars]
    pts[3] = None  # infinity times anything: infinity
    scalars += [0, MU]
    pts += [CURVE.g2, CURVE.g2]
    out = scale(as_array(pts, True), scalars, FQ)
    for i, (p, k) in enumerate(zip(pts, scalars, strict=True)):
        want = None if p is None else CURVE.g2_mul(p, k)
        assert g2_point(out[i].tobytes()) == want, (i, k)


@pytest.mark.parametrize("g2", [False, True], ids=["g1", "g2"])
def test_scale_matches_plain_multiplication(g2: bool) -> None:
    rng = random.Random(2)
    base = [CURVE.g2_mul(CURVE.g2, 5), None] if g2 else [CURVE.g1_mul(CURVE.g1, 5), None]
    scalars = EDGES + [rng.randrange(R) for _ in range(8)]
    pts = [base[0]] * len(scalars) + [base[1]]
    scalars.append(7)  # infinity stays infinity
    out = scale(as_array(pts, g2), scalars, FQ)
    mul, decode = (CURVE.g2_mul, g2_point) if g2 else (CURVE.g1_mul, g1_point)
    for i, (p, k) in enumerate(zip(pts, scalars, strict=True)):
        want = None if p is None else mul(p, k)
        assert decode(out[i].tobytes()) == want, (i, k)
    one = scale(as_array(pts[:3], g2), [R - 3], FQ)  # one scalar for every point
    assert decode(one[0].tobytes()) == mul(base[0], R - 3)


def _plain_inverse_dft(points: list, g2: bool) -> list:
    """``(1/n) Σ_j ω^(-ij)·points[j]`` with the reference curve, one term at a time."""
    n = len(points)
    w_inv = pow(roots_of_unity(CURVE.fr)[n.bit_length() - 1], -1, R)
    n_inv = pow(n, -1, R)
    mul, add = (CURVE.g2_mul, CURVE.g2_add) if g2 else (CURVE.g1_mul, CURVE.g1_add)
    out = []
    for i in range(n):
        acc = None
        for j, p in enumerate(points):
            if p is not None:
                acc = add(acc, mul(p, n_inv * pow(w_inv, i * j, R) % R))
        out.append(acc)
    return out


@pytest.mark.parametrize("g2", [False, True], ids=["g1", "g2"])
@pytest.mark.parametrize("shape", ["equal", "opposite", "infinite", "random"])
def test_inverse_fft_matches_the_plain_transform(g2: bool, shape: str) -> None:
    """The affine butterflies' special cases: inputs that make ``a = t``, ``a = -t`` or an
    infinite operand in some butterfly (all equal points: the ptau of ``τ = 1``; a point and
    its negation; infinities), and a random control."""
    rng = random.Random(shape)
    gen, mul, neg = (
        (CURVE.g2, CURVE.g2_mul, CURVE.g2_neg) if g2 else (CURVE.g1, CURVE.g1_mul, CURVE.g1_neg)
    )
    p = mul(gen, rng.randrange(1, R))
    pts = {
        "equal": [p] * 8,
        "opposite": [p] * 4 + [neg(p)] * 4,
        "infinite": [None, p, None, None, mul(p, 3), None, p, None],
        "random": [mul(gen, rng.randrange(1, R)) for _ in range(8)],
    }[shape]
    n = len(pts)
    w_inv = pow(roots_of_unity(CURVE.fr)[n.bit_length() - 1], -1, R)
    out = inverse_fft(as_array(pts, g2), [pow(w_inv, j, R) for j in range(n // 2)],
                      pow(n, -1, R), FQ)  # fmt: skip
    decode = g2_point if g2 else g1_point
    assert [decode(o.tobytes()) for o in out] == _plain_inverse_dft(pts, g2)


def _with_small_order_part() -> tuple:
    """A G2 point plus a twist point of order ℓ (the cofactor's smallest prime)."""
    ell, h = smallest_cofactor_prime(), G2Membership.of(CURVE).cofactor
    x = 1
    while True:
        x += 1
        y2 = ((x**3 + CURVE.b2[0]) % Q, CURVE.b2[1])  # x in F_q: y² = x³ + b'
        y = _fp2_sqrt(y2)
        if y is None:
            continue
        t = jac.multiply(g2_to_internal(((x, 0), y)), R * h // ell, big(Q))
        if t is not None:
            t = g2_from_jacobian(t, Q)
            assert jac.multiply(g2_to_internal(t), ell, big(Q)) is None
            return CURVE.g2_add(CURVE.g2_mul(CURVE.g2, 11), t)


def _fp2_sqrt(a: tuple[int, int]):
    """A square root in F_q2 = F_q[u]/(u² + 1) by the norm method, or None."""
    a0, a1 = a
    norm = (a0 * a0 + a1 * a1) % Q
    n = pow(norm, (Q + 1) // 4, Q)
    if n * n % Q != norm:
        return None
    for s in (n, -n % Q):
        half = (a0 + s) * pow(2, -1, Q) % Q
        x0 = pow(half, (Q + 1) // 4, Q)
        if x0 * x0 % Q == half and x0:
            x1 = a1 * pow(2 * x0, -1, Q) % Q
            return x0, x1
    return None


def test_batch_check_finds_a_point_with_a_small_order_part() -> None:
    good = [CURVE.g2_mul(CURVE.g2, k) for k in range(1, 9)]
    pts = as_array(good * (BATCH_FROM // 8) + [None], True)
    assert len(pts) > BATCH_FROM
    assert first_outside_g2(pts) == -1  # control: every point in G2
    bad = _with_small_order_part()
    assert CURVE.g2_is_on_curve(bad) and not G2Membership.of(CURVE)(bad)
    pts[200] = as_array([bad], True)[0]
    assert first_outside_g2(pts) == 200
