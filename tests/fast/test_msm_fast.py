"""The fast MSM kernels against independent oracles, on both curves, G1 and G2.

Points are ``a_i·G`` with known ``a_i``, so ``sum k_i·P_i`` must be ``(sum k_i·a_i mod r)·G``,
which the reference curve code computes with one scalar multiplication (independent of
Pippenger and of the numba kernels).  Cases: zero scalars, the point at infinity (``None``,
all-zero rows), repeated points (a batch-affine addition of equal points doubles), opposite
points (the bucket empties), many points in one bucket (Jacobian overflow), scalar one (the
plain-sum task), scalars ``>= r``, n = 0, 1, 2 and a few thousand.
"""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254, Curve, get_backend
from zkmargin.curve.fast import FastBackend, FastMsm, msm_arrays, warm_up
from zkmargin.curve.fast.buckets import BATCH
from zkmargin.curve.fast.pippenger import ONES_BUCKETS
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs

CURVES = {"bn128": BN254, "bls12381": BLS12_381}


@cache
def pool(name: str) -> tuple[list[int], list, list]:
    """Six points with known discrete logs, in G1 and G2."""
    curve = CURVES[name]
    rng = random.Random(f"fast-pool-{name}")
    logs = [rng.randrange(1, curve.r) for _ in range(6)]
    return (
        logs,
        [curve.g1_mul(curve.g1, a) for a in logs],
        [curve.g2_mul(curve.g2, a) for a in logs],
    )


def oracle(curve: Curve, group: str, logs: list[int | None], scalars: list[int]):
    """``(sum k_i·a_i)·G`` (``None`` logs are infinity)."""
    dlog = sum(k * a for a, k in zip(logs, scalars, strict=True) if a is not None)
    base, mul = (curve.g1, curve.g1_mul) if group == "g1" else (curve.g2, curve.g2_mul)
    return mul(base, dlog % curve.r)


# The numba kernels, and (for BLS12-381, when installed) arkworks behind the same backend.
BACKENDS = {"numba": FastBackend(native=False), "native": FastBackend(native=True)}


def msm(curve: Curve, group: str, picks: list[int | None], scalars: list[int], kind: str):
    _, g1s, g2s = pool(curve.name)
    pts = [None if i is None else (g1s if group == "g1" else g2s)[i] for i in picks]
    return getattr(BACKENDS[kind], f"{group}_msm")(curve, pts, scalars)


def picked_logs(name: str, picks: list[int | None]) -> list[int | None]:
    logs = pool(name)[0]
    return [None if i is None else logs[i] for i in picks]


def scalars_for(r: int) -> st.SearchStrategy[int]:
    special = st.sampled_from([0, 1, 2, r - 1, r, r + 1, 2**64 - 1, 2 * r - 1, 1 << 253])
    return st.one_of(special, st.integers(0, r - 1), st.integers(0, 2**16))


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, str, list[int | None], list[int]]:
    kind = draw(st.sampled_from(sorted(BACKENDS)))
    name = draw(st.sampled_from(sorted(CURVES)))
    group = draw(st.sampled_from(["g1", "g2"]))
    size = draw(st.integers(0, 12))
    # Few distinct points, so repeats (doubling inside buckets) and cancellations are common.
    picks = draw(st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=size, max_size=size))
    ks = draw(st.lists(scalars_for(CURVES[name].r), min_size=size, max_size=size))
    return kind, name, group, picks, ks


@pytest.fixture(scope="module", autouse=True)
def compiled() -> None:
    warm_up()  # compile (or load) once, so hypothesis deadlines measure steady state


@settings(max_examples=80, deadline=None)
@given(cases())
def test_matches_discrete_log_oracle(case) -> None:
    kind, name, group, picks, ks = case
    curve = CURVES[name]
    assert msm(curve, group, picks, ks, kind) == oracle(curve, group, picked_logs(name, picks), ks)


@pytest.mark.parametrize("kind", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(CURVES))
@pytest.mark.parametrize("group", ["g1", "g2"])
def test_special_cases(kind: str, name: str, group: str) -> None:
    curve = CURVES[name]
    r = curve.r
    cases = [
        ([], []),  # n = 0
        ([3], [1]),  # n = 1, scalar one
        ([0, 1], [0, 0]),  # only zero scalars
        ([None, None], [5, 7]),  # only infinity
        ([0, 0], [1, 1]),  # P + P among the ones: doubling
        ([0, 0], [2, 2]),  # P + P in one bucket: doubling
        ([0, 0, 0, 0], [3, 3, 3, 3]),  # repeated doublings inside a bucket
        ([0, 0], [1, r - 1]),  # P + (-P) = infinity
        ([0, 0], [5, r - 5]),  # cancels across signed digits
        ([0, 0, 0], [5, r - 5, 5]),  # a bucket emptied, then refilled
        ([2, 2, 3], [r + 4, 2 * r - 1, r]),  # scalars >= r are reduced
        ([1], [r - 1]),  # largest scalar: a carry out of the top digit
    ]
    for picks, ks in cases:
        expected = oracle(curve, group, picked_logs(name, picks), ks)
        assert msm(curve, group, picks, ks, kind) == expected, (picks, ks)


def progression(curve: Curve, group: str, n: int, seed: int) -> tuple[list, list[int]]:
    """``n`` distinct points ``(a + i·h)·G`` and their logs (one addition each to make)."""
    rng = random.Random(seed)
    a, h = rng.randrange(1, curve.r), rng.randrange(1, curve.r)
    base, mul, add = (
        (curve.g1, curve.g1_mul, curve.g1_add)
        if group == "g1"
        else (curve.g2, curve.g2_mul, curve.g2_add)
    )
    step, point = mul(base, h), mul(base, a)
    points, logs = [], []
    for i in range(n):
        points.append(point)
        logs.append((a + i * h) % curve.r)
        point = add(point, step)
    return points, logs


@pytest.mark.parametrize("name", sorted(CURVES))
@pytest.mark.parametrize("group", ["g1", "g2"])
def test_thousands_of_terms(name: str, group: str) -> None:
    """Many windows' buckets hold several points; every scalar class at once."""
    curve = CURVES[name]
    n = 3000 if group == "g1" else 1200
    points, logs = progression(curve, group, n, seed=len(name) + len(group))
    rng = random.Random(5)
    ks = [
        rng.choice([0, 1, 1, 2, curve.r - 1, rng.randrange(2**64), rng.randrange(curve.r)])
        for _ in points
    ]
    got = getattr(FastMsm(curve), group)(points, ks)
    assert got == oracle(curve, group, logs, ks)


@pytest.mark.parametrize("name", sorted(CURVES))
@pytest.mark.parametrize("group", ["g1", "g2"])
def test_one_bucket_overflows_and_ones_wrap(name: str, group: str) -> None:
    """Every point in the same bucket of every window (batch-affine conflicts go to the
    Jacobian overflow), and more scalar-one points than ones accumulators."""
    curve = CURVES[name]
    n = max(BATCH, ONES_BUCKETS) + 200
    points, logs = progression(curve, group, n, seed=11)
    fast = getattr(FastMsm(curve), group)
    same = [12345] * n
    assert fast(points, same) == oracle(curve, group, logs, same)
    ones = [1] * n
    assert fast(points, ones) == oracle(curve, group, logs, ones)
    # the same point many times with opposite scalars, interleaved: cancellations in batches
    twins = [points[0]] * 400
    signs = [7 if i % 3 else curve.r - 7 for i in range(400)]
    assert fast(twins, signs) == oracle(curve, group, [logs[0]] * 400, signs)


@pytest.mark.parametrize("name", sorted(CURVES))
def test_agrees_with_reference_backend(name: str) -> None:
    curve = CURVES[name]
    rng = random.Random(3)
    _, g1s, g2s = pool(name)
    pts1 = [rng.choice([*g1s, None]) for _ in range(300)]
    pts2 = [g2s[rng.randrange(6)] for _ in range(40)]
    ks1 = [rng.choice([0, 1, rng.randrange(2**64), rng.randrange(curve.r)]) for _ in pts1]
    ks2 = [rng.randrange(curve.r) for _ in pts2]
    fast, ref = FastBackend(native=False), get_backend("reference")
    assert fast.g1_msm(curve, pts1, ks1) == ref.g1_msm(curve, pts1, ks1)
    assert fast.g2_msm(curve, pts2, ks2) == ref.g2_msm(curve, pts2, ks2)


def as_arrays(curve: Curve, group: str, points: list, ks: list[int]):
    """Points as zkey-layout Montgomery arrays (zero rows for ``None``), scalars as limbs."""
    f = Field64.of(curve.q)
    width = 2 if group == "g1" else 4
    flat: list[int] = []
    for p in points:
        if p is None:
            flat += [0] * width
        else:
            flat += list(p) if group == "g1" else [*p[0], *p[1]]
    shape = (len(points), 2, f.n_limbs) if group == "g1" else (len(points), 2, 2, f.n_limbs)
    return f.to_mont(flat).reshape(shape), ints_to_limbs(ks, 4)


@pytest.mark.parametrize("name", sorted(CURVES))
@pytest.mark.parametrize("group", ["g1", "g2"])
def test_msm_arrays_on_zkey_layout(name: str, group: str) -> None:
    curve = CURVES[name]
    _, g1s, g2s = pool(name)
    base = g1s if group == "g1" else g2s
    picks = [0, None, 1, 2, None, 0]
    points = [None if i is None else base[i] for i in picks]
    ks = [3, 9, 0, 1, 0, curve.r - 3]
    pts, scalars = as_arrays(curve, group, points, ks)
    got = msm_arrays(name, group, pts, scalars)
    assert got == oracle(curve, group, picked_logs(name, picks), ks)
    empty = msm_arrays(name, group, pts[:0], scalars[:0])
    assert empty is None


def test_msm_arrays_rejects_wrong_shapes() -> None:
    pts, ks = as_arrays(BN254, "g1", [BN254.g1], [1])
    with pytest.raises(ValueError, match=r"expected \(1, 2, 2, 4\)"):
        msm_arrays("bn128", "g2", pts, ks)
    with pytest.raises(ValueError, match="scalars"):
        msm_arrays("bn128", "g1", pts, ks[:, :3])
    with pytest.raises(ValueError, match="group"):
        msm_arrays("bn128", "g3", pts, ks)
    with pytest.raises(ValueError, match="unknown curve"):
        msm_arrays("secp256k1", "g1", pts, ks)


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 points but 1 scalars"):
        FastMsm(BN254).g1([BN254.g1, BN254.g1], [1])


def test_bls12_381_native_only_when_asked_and_installed() -> None:
    from zkmargin.curve.fast import arkworks

    assert BACKENDS["native"]._arkworks(BLS12_381) == arkworks.AVAILABLE
    assert not BACKENDS["native"]._arkworks(BN254)
    assert not BACKENDS["numba"]._arkworks(BLS12_381)
    assert not FastBackend()._arkworks(BLS12_381)  # numba measured faster: the default


def test_arrays_are_not_modified() -> None:
    pts, ks = as_arrays(BN254, "g1", pool("bn128")[1] * 3, [1, 2, 3, 0, 5, 6] * 3)
    before = pts.copy(), ks.copy()
    msm_arrays("bn128", "g1", pts, ks)
    assert np.array_equal(pts, before[0]) and np.array_equal(ks, before[1])


def test_int_like_scalars() -> None:
    pts = pool("bn128")[1][:4]
    like = [np.int64(3), np.uint8(1), np.int64(0), 2**70]
    assert FastMsm(BN254).g1(pts, like) == FastMsm(BN254).g1(pts, [3, 1, 0, 2**70])
