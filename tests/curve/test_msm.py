"""MSM backends against a discrete-log oracle and py_ecc.

Pool points are ``a_i·G`` with known ``a_i``, so ``sum k_i·P_i`` must equal
``(sum k_i·a_i mod r)·G``, which py_ecc computes with one multiplication: an oracle that is
cheap for hundreds of points and independent of the MSM code.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import Curve, available_backends, get_backend
from zkmargin.curve.pippenger import signed_digits, window_size
from zkmargin.curve.pyecc import g1_from_pyecc, g2_from_pyecc


def expected(curve: Curve, group: str, pool, picks: list[int | None], scalars: list[int]):
    m = curve.pyecc
    dlog = sum(k * pool.logs[i] for i, k in zip(picks, scalars, strict=True) if i is not None)
    if group == "g1":
        return g1_from_pyecc(m, m.multiply(m.G1, dlog % curve.r))
    return g2_from_pyecc(m, m.multiply(m.G2, dlog % curve.r))


def run_msm(curve: Curve, group: str, pool, picks: list[int | None], scalars: list[int]):
    points = [None if i is None else getattr(pool, group)[i] for i in picks]
    return getattr(curve, f"{group}_msm")(points, scalars)


def special_scalars(r: int) -> st.SearchStrategy[int]:
    return st.sampled_from([0, 0, 1, 1, 2, r - 1, r, r + 1, 2**64 - 1, 2 * r - 1])


def terms(r: int, max_size: int) -> st.SearchStrategy[tuple[list[int | None], list[int]]]:
    """(pool indices or None = infinity, scalars): few distinct points, so repeats are common."""
    index = st.one_of(st.none(), st.integers(0, 7))
    scalar = st.one_of(special_scalars(r), st.integers(0, 2**20), st.integers(0, r - 1))
    return st.lists(st.tuples(index, scalar), max_size=max_size).map(
        lambda ts: ([i for i, _ in ts], [k for _, k in ts])
    )


@pytest.mark.parametrize("group", ["g1", "g2"])
@settings(max_examples=15)
@given(data=st.data())
def test_msm_matches_oracle(curve: Curve, pool, group: str, data) -> None:
    picks, scalars = data.draw(terms(curve.r, 12))
    assert run_msm(curve, group, pool, picks, scalars) == expected(
        curve, group, pool, picks, scalars
    )


@pytest.mark.parametrize("group", ["g1", "g2"])
def test_msm_about_300_points_margin_shaped(curve: Curve, pool, group: str) -> None:
    # Mostly bits, as in range-checked witnesses, plus small, full-size and boundary scalars.
    rng = random.Random(f"msm300-{curve.name}-{group}")
    r = curve.r
    picks: list[int | None] = []
    scalars: list[int] = []
    for _ in range(300):
        picks.append(None if rng.random() < 0.03 else rng.randrange(len(pool.logs)))
        kind = rng.random()
        if kind < 0.6:
            scalars.append(rng.randrange(2))
        elif kind < 0.75:
            scalars.append(rng.randrange(2**64))
        elif kind < 0.8:
            scalars.append(rng.choice([r - 1, r, r + 5]))
        else:
            scalars.append(rng.randrange(r))
    assert run_msm(curve, group, pool, picks, scalars) == expected(
        curve, group, pool, picks, scalars
    )


@pytest.mark.parametrize("group", ["g1", "g2"])
def test_msm_edge_cases(curve: Curve, pool, group: str) -> None:
    r = curve.r
    cases: list[tuple[list[int | None], list[int]]] = [
        ([], []),  # n = 0
        ([0], [5]),  # n = 1
        ([0], [0]),
        ([None], [7]),
        ([0, 0, 0, 0], [9, 9, 9, 9]),  # equal points in one bucket: doubling inside bucket adds
        ([0, 0], [3, r - 3]),  # P and -P in the same bucket: the sum is infinity
        ([1, 1], [1, 1]),  # scalar-one points summed directly, including equal ones
        ([1, 1], [1, r - 1]),
        ([2, 3], [r - 1, r - 1]),
        ([0, 1, 2], [0, 0, 0]),
    ]
    for picks, scalars in cases:
        got = run_msm(curve, group, pool, picks, scalars)
        assert got == expected(curve, group, pool, picks, scalars), (picks, scalars)


@pytest.mark.parametrize("name", available_backends())
def test_every_backend_agrees(curve: Curve, pool, name: str) -> None:
    backend_curve = curve.with_backend(name)
    assert backend_curve.msm_backend.name == name
    picks = [0, 1, 1, None, 2]
    scalars = [3, 1, curve.r - 1, 5, 2**70 + 1]
    for group in ("g1", "g2"):
        assert run_msm(backend_curve, group, pool, picks, scalars) == expected(
            curve, group, pool, picks, scalars
        )


def test_msm_rejects_length_mismatch(curve: Curve, pool) -> None:
    for name in available_backends():
        c = curve.with_backend(name)
        with pytest.raises(ValueError, match="points but"):
            c.g1_msm(pool.g1[:2], [1])
        with pytest.raises(ValueError, match="points but"):
            c.g2_msm(pool.g2[:1], [1, 2])


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown MSM backend"):
        get_backend("gpu")


@given(k=st.integers(0, 2**256), c=st.integers(1, 16))
def test_signed_digits_reconstruct(k: int, c: int) -> None:
    windows = (k.bit_length() + 1 + c - 1) // c
    digits = signed_digits(k, c, windows)
    assert sum(d << (c * i) for i, d in enumerate(digits)) == k
    assert all(-(1 << (c - 1)) <= d <= 1 << (c - 1) for d in digits)


def test_signed_digits_refuses_too_few_windows() -> None:
    with pytest.raises(ValueError, match="too few windows"):
        signed_digits(2**40, 4, 3)


def test_window_grows_with_n() -> None:
    sizes = [window_size(n, 254) for n in (1, 16, 256, 4096, 65536)]
    assert sizes == sorted(sizes) and sizes[0] >= 1 and sizes[-1] <= 20
    assert window_size(0, 254) == 1


@pytest.mark.parametrize("kernel_int", ["gmpy2", "int"])
def test_kernels_agree_with_and_without_gmpy2(curve: Curve, pool, kernel_int, monkeypatch) -> None:
    import zkmargin.field.bigint as bigint

    if kernel_int == "gmpy2" and not bigint.HAVE_GMPY2:
        pytest.skip("gmpy2 not installed")
    if kernel_int == "int":
        monkeypatch.setattr(bigint, "_mpz", None)
    picks = [0, 0, 1, None, 2, 3, 3]
    scalars = [5, 5, 1, 3, curve.r - 1, 2**64 + 9, 1]
    for group in ("g1", "g2"):
        got = run_msm(curve, group, pool, picks, scalars)
        assert got == expected(curve, group, pool, picks, scalars)
        assert all(type(c) is int for c in (got if group == "g1" else got[0] + got[1]))
    assert curve.g2_is_valid(curve.g2) and curve.g1_is_valid(curve.g1_mul(curve.g1, 99))


def test_highest_priority_backend_is_the_default(curve: Curve, monkeypatch) -> None:
    import zkmargin.curve.backends as backends

    # numba is a hard dependency, so the fast backend (priority 10) is the default
    assert backends.default_backend() == "fast"
    assert curve.msm_backend.name == "fast"

    class Recording(backends.ReferenceBackend):
        name = "recording"
        calls = 0

        def g1_msm(self, curve, points, scalars):
            Recording.calls += 1
            return super().g1_msm(curve, points, scalars)

    monkeypatch.setattr(backends, "_BACKENDS", dict(backends._BACKENDS))
    backends.register_backend("recording", Recording, priority=backends.FAST_PRIORITY + 1)
    assert backends.default_backend() == "recording"
    assert curve.g1_msm([curve.g1], [2]) == curve.g1_mul(curve.g1, 2)
    assert Recording.calls == 1
    assert curve.with_backend("reference").msm_backend.name == "reference"


@pytest.mark.parametrize("group", ["g1", "g2"])
@settings(max_examples=6)
@given(data=st.data())
def test_reference_equals_sum_of_pyecc_multiplications(
    curve: Curve, pool, group: str, data
) -> None:
    picks, scalars = data.draw(terms(curve.r, 4))
    points = [None if i is None else getattr(pool, group)[i] for i in picks]
    naive = getattr(curve.with_backend("py_ecc"), f"{group}_msm")(points, scalars)
    reference = getattr(curve.with_backend("reference"), f"{group}_msm")(points, scalars)
    assert reference == naive


def test_int_like_scalars(curve: Curve, pool) -> None:
    import numpy as np

    scalars = [np.int64(3), np.uint8(1), np.int64(0), 2**70]
    plain = [3, 1, 0, 2**70]
    assert curve.g1_msm(pool.g1[:4], scalars) == curve.g1_msm(pool.g1[:4], plain)
