"""The fast MSM backend against independent oracles, on both curves, G1 and G2.

Points are ``a_i·G`` with known ``a_i``, so ``sum k_i·P_i`` must be ``(sum k_i·a_i mod r)·G``,
which the reference curve code computes with one scalar multiplication (independent of
Pippenger and of the numba kernels).  Cases: zero scalars, the point at infinity, repeated
points (bucket additions of equal points must double), opposite points, scalars ``>= r``.
"""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254, Curve, available_backends, get_backend
from zkmargin.curve.backends import default_backend
from zkmargin.curve.fast import FastBackend, FastMsm, register, warm_up
from zkmargin.curve.fast.pippenger import n_windows, signed_digits, window_size
from zkmargin.field.fast import ints_to_limbs

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


def oracle(curve: Curve, group: str, picks: list[int | None], scalars: list[int]):
    logs = pool(curve.name)[0]
    dlog = sum(k * logs[i] for i, k in zip(picks, scalars, strict=True) if i is not None)
    base = curve.g1 if group == "g1" else curve.g2
    mul = curve.g1_mul if group == "g1" else curve.g2_mul
    return mul(base, dlog % curve.r)


# The numba kernels, and (for BLS12-381, when installed) arkworks behind the same backend.
BACKENDS = {"numba": FastBackend(native=False), "native": FastBackend()}


def msm(curve: Curve, group: str, picks: list[int | None], scalars: list[int], kind: str):
    _, g1s, g2s = pool(curve.name)
    pts = [None if i is None else (g1s if group == "g1" else g2s)[i] for i in picks]
    return getattr(BACKENDS[kind], f"{group}_msm")(curve, pts, scalars)


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


def test_registered_next_to_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    import zkmargin.curve.backends as backends

    monkeypatch.setattr(backends, "_BACKENDS", dict(backends._BACKENDS))  # undone after
    assert "fast" not in available_backends()  # importing the kernels registers nothing
    register()
    assert {"fast", "reference", "py_ecc"} <= set(available_backends())
    assert get_backend("fast").name == "fast"
    assert get_backend("reference").name == "reference"
    assert default_backend() == "fast"
    assert BN254.with_backend("reference").msm_backend.name == "reference"


@settings(max_examples=80, deadline=None)
@given(cases())
def test_matches_discrete_log_oracle(case) -> None:
    kind, name, group, picks, ks = case
    curve = CURVES[name]
    assert msm(curve, group, picks, ks, kind) == oracle(curve, group, picks, ks)


@pytest.mark.parametrize("kind", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(CURVES))
@pytest.mark.parametrize("group", ["g1", "g2"])
def test_special_cases(kind: str, name: str, group: str) -> None:
    curve = CURVES[name]
    r = curve.r
    cases = [
        ([], []),  # empty sum
        ([0, 1], [0, 0]),  # only zero scalars
        ([None, None], [5, 7]),  # only infinity
        ([0, 0], [1, 1]),  # P + P in one bucket: doubling
        ([0, 0, 0, 0], [3, 3, 3, 3]),  # repeated doublings inside a bucket
        ([0, 0], [1, r - 1]),  # P + (-P) = infinity
        ([0, 0], [5, r - 5]),  # cancels across signed digits
        ([2, 2, 3], [r + 4, 2 * r - 1, r]),  # scalars >= r are reduced
        ([1], [r - 1]),  # largest scalar: a carry out of the top digit
    ]
    for picks, ks in cases:
        assert msm(curve, group, picks, ks, kind) == oracle(curve, group, picks, ks), (picks, ks)


@pytest.mark.parametrize("kind", sorted(BACKENDS))
@pytest.mark.parametrize("name", sorted(CURVES))
def test_agrees_with_reference_backend_on_random_inputs(kind: str, name: str) -> None:
    """Many terms (more than one window's buckets get several points each)."""
    curve = CURVES[name]
    rng = random.Random(3)
    _, g1s, g2s = pool(name)
    pts1 = [g1s[rng.randrange(6)] for _ in range(300)]
    pts2 = [g2s[rng.randrange(6)] for _ in range(40)]
    ks1 = [rng.choice([0, 1, rng.randrange(2**64), rng.randrange(curve.r)]) for _ in pts1]
    ks2 = [rng.randrange(curve.r) for _ in pts2]
    fast, ref = BACKENDS[kind], get_backend("reference")
    assert fast.g1_msm(curve, pts1, ks1) == ref.g1_msm(curve, pts1, ks1)
    assert fast.g2_msm(curve, pts2, ks2) == ref.g2_msm(curve, pts2, ks2)


def test_bls12_381_uses_arkworks_when_installed() -> None:
    from zkmargin.curve.fast import arkworks

    assert BACKENDS["native"]._arkworks(BLS12_381) == arkworks.AVAILABLE
    assert not BACKENDS["native"]._arkworks(BN254)
    assert not BACKENDS["numba"]._arkworks(BLS12_381)


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 points but 1 scalars"):
        FastMsm(BN254.q, BN254.r).g1([BN254.g1, BN254.g1], [1])


@settings(max_examples=60, deadline=None)
@given(k=st.integers(0, BN254.r - 1), c=st.integers(1, 20))
def test_signed_digits_recompose(k: int, c: int) -> None:
    windows = n_windows(max(k.bit_length(), 1), c)
    digits = np.empty((windows, 1), dtype=np.int32)
    signed_digits(ints_to_limbs([k], 8), c, windows, digits)
    ds = [int(d) for d in digits[:, 0]]
    assert all(-(1 << (c - 1)) <= d <= 1 << (c - 1) for d in ds)
    assert sum(d << (c * w) for w, d in enumerate(ds)) == k


def test_window_size_grows_with_n() -> None:
    sizes = [window_size(1 << k, 254) for k in range(4, 20, 2)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
