"""FastDomain and the ntt64 kernels against the reference Domain (plain ints), both scalar fields."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BLS12_381_FR, BN254_FR, Domain
from zkmargin.field.fast import ntt64
from zkmargin.field.fast_ntt import FastDomain, warm_up

FIELDS = {"bn254": BN254_FR, "bls12381": BLS12_381_FR}


@pytest.fixture(scope="module", autouse=True)
def compiled() -> None:
    warm_up()


def elements(field) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([0, 1, 2, field.p - 1]), st.integers(0, field.p - 1))


@st.composite
def vectors(draw: st.DrawFn, max_log: int = 9):
    field = FIELDS[draw(st.sampled_from(sorted(FIELDS)))]
    size = 1 << draw(st.integers(0, max_log))
    return field, draw(st.lists(elements(field), min_size=size, max_size=size))


@settings(max_examples=40, deadline=None)
@given(vectors())
def test_transforms_match_reference(case) -> None:
    field, values = case
    ref, fast = Domain(field, len(values)), FastDomain(field, len(values))
    assert fast.ntt(values) == ref.ntt(values)
    assert fast.ntt(values, inverse=True) == ref.ntt(values, inverse=True)
    assert fast.coset_ntt(values) == ref.coset_ntt(values)
    assert fast.coset_intt(values) == ref.coset_intt(values)
    assert fast.to_odd_coset(values) == ref.to_odd_coset(values)


@settings(max_examples=15, deadline=None)
@given(vectors(max_log=7), st.integers(1, 3), st.integers(1, 9))
def test_parallel_drivers_match_serial(case, polys, min_blocks) -> None:
    """Every split of stages into barrier and block phases gives the serial result."""
    field, values = case
    d = FastDomain(field, len(values))
    arr = np.stack([d.to_mont([(v * (k + 1)) % field.p for v in values]) for k in range(polys)])
    for serial, parallel in ((ntt64.dif, ntt64.dif_par), (ntt64.dit, ntt64.dit_par)):
        a, b = arr.copy(), arr.copy()
        serial(a, d._table("tw"), d.f64.m)
        parallel(b, d._table("tw"), d.f64.m, min_blocks)
        assert (a == b).all()


@pytest.mark.parametrize("field", FIELDS.values(), ids=FIELDS.keys())
def test_batched_odd_coset_matches_reference_per_polynomial(field) -> None:
    """Three polynomials in one (3, n, N) array: each as if transformed alone."""
    n = 1 << 6
    polys = [[(i * i * 7919 + 3 * k + 1) % field.p for i in range(n)] for k in range(3)]
    d = FastDomain(field, n)
    arr = np.stack([d.to_mont(v) for v in polys])
    d.to_odd_coset_array(arr)
    ref = Domain(field, n)
    assert [d.from_mont(arr[k]) for k in range(3)] == [ref.to_odd_coset(v) for v in polys]


@pytest.mark.parametrize("field", FIELDS.values(), ids=FIELDS.keys())
def test_large_round_trip_and_array_api(field) -> None:
    """2^13 points: the parallel drivers; the array API chains without converting."""
    n = 1 << 13
    values = [(i * i * 7919 + 3) % field.p for i in range(n)]
    d = FastDomain(field, n)
    arr = np.stack([d.to_mont(values)] * 4)
    assert d._parallel(arr)
    d.coset_ntt_array(arr)
    d.coset_intt_array(arr)
    assert d.from_mont(arr[3]) == values
    assert d.ntt(values)[:5] == Domain(field, n).ntt(values)[:5]


def test_twiddle_table_layout() -> None:
    """Row h + j holds w_(2h)^j for every stage half-size h."""
    field = BN254_FR
    n = 16
    d = FastDomain(field, n)
    tw = d.from_mont(d._table("tw"))
    for half in (1, 2, 4, 8):
        w = pow(d.omega, n // (2 * half), field.p)
        assert tw[half : 2 * half] == [pow(w, j, field.p) for j in range(half)]


def test_wrong_length_or_layout_is_an_error() -> None:
    d = FastDomain(BN254_FR, 4)
    with pytest.raises(ValueError, match="expected 4 values"):
        d.ntt([1, 2, 3])
    with pytest.raises(ValueError, match="C-contiguous uint64"):
        d.ntt_array(np.zeros((4, 8), dtype=np.uint64))
    with pytest.raises(ValueError, match="C-contiguous uint64"):
        d.ntt_array(np.zeros((8, 4), dtype=np.uint64)[::2])
