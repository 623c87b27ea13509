"""FastDomain against the reference Domain (plain Python ints), both scalar fields."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BLS12_381_FR, BN254_FR, Domain
from zkmargin.field.fast_ntt import FastDomain, ntt_parallel, ntt_serial, warm_up

FIELDS = {"bn254": BN254_FR, "bls12381": BLS12_381_FR}


@pytest.fixture(scope="module", autouse=True)
def compiled() -> None:
    warm_up()


@st.composite
def vectors(draw: st.DrawFn):
    field = FIELDS[draw(st.sampled_from(sorted(FIELDS)))]
    size = 1 << draw(st.integers(0, 9))
    element = st.one_of(st.sampled_from([0, 1, field.p - 1]), st.integers(0, field.p - 1))
    return field, draw(st.lists(element, min_size=size, max_size=size))


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


@pytest.mark.parametrize("field", FIELDS.values(), ids=FIELDS.keys())
def test_large_round_trip_and_array_api(field) -> None:
    """2^13 points: many parallel tasks per stage; the array API chains without converting."""
    n = 1 << 13
    values = [(i * i * 7919 + 3) % field.p for i in range(n)]
    d = FastDomain(field, n)
    arr = d.to_mont(values)
    d.coset_ntt_array(arr)
    d.coset_intt_array(arr)
    assert d.from_mont(arr) == values
    assert d.ntt(values)[:5] == Domain(field, n).ntt(values)[:5]


def test_parallel_and_serial_transforms_agree() -> None:
    field = BN254_FR
    n = 1 << 12
    d = FastDomain(field, n)
    a = d.to_mont([(i * 31337 + 5) % field.p for i in range(n)])
    b = a.copy()
    mod = d.conv.mod
    ntt_serial(a, d._table("twiddles"), mod.limbs, mod.inv)
    ntt_parallel(b, d._table("twiddles"), mod.limbs, mod.inv)
    assert (a == b).all()


def test_wrong_length_is_an_error() -> None:
    with pytest.raises(ValueError, match="expected 4 values"):
        FastDomain(BN254_FR, 4).ntt([1, 2, 3])
