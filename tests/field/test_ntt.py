"""NTT over power-of-two domains: round trips, naive evaluation, the odd coset, and galois."""

from __future__ import annotations

import galois
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BLS12_381_FR, BN254_FR, Domain, PrimeField
from zkmargin.field.ntt import ntt

FIELDS = [BN254_FR, BLS12_381_FR]


def horner(coeffs: list[int], x: int, p: int) -> int:
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % p
    return acc


def vectors(field: PrimeField, max_log: int = 6) -> st.SearchStrategy[list[int]]:
    element = st.one_of(st.sampled_from([0, 1, field.p - 1]), st.integers(0, field.p - 1))
    return st.integers(0, max_log).flatmap(
        lambda k: st.lists(element, min_size=1 << k, max_size=1 << k)
    )


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@settings(max_examples=30)
@given(data=st.data())
def test_ntt_inverse_round_trip(field: PrimeField, data) -> None:
    values = data.draw(vectors(field, 8))
    d = Domain(field, len(values))
    assert d.ntt(d.ntt(values), inverse=True) == values
    assert d.ntt(d.ntt(values, inverse=True)) == values
    assert d.coset_intt(d.coset_ntt(values)) == values


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@settings(max_examples=20)
@given(data=st.data())
def test_ntt_matches_naive_evaluation(field: PrimeField, data) -> None:
    coeffs = data.draw(vectors(field, 5))
    d, p = Domain(field, len(coeffs)), field.p
    assert d.ntt(coeffs) == [horner(coeffs, x, p) for x in d.elements()]
    coset = [d.shift * x % p for x in d.elements()]
    assert d.coset_ntt(coeffs) == [horner(coeffs, x, p) for x in coset]
    assert d.to_odd_coset(d.ntt(coeffs)) == d.coset_ntt(coeffs)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_odd_coset_is_the_rest_of_the_doubled_domain(field: PrimeField) -> None:
    d, p = Domain(field, 16), field.p
    big = Domain(field, 32).elements()
    assert d.elements() == big[0::2]
    assert [d.shift * x % p for x in d.elements()] == big[1::2]
    assert d.vanishing_on_coset() == p - 2  # g^n = -1 for g a primitive 2n-th root
    assert all((pow(x, 16, p) - 1) % p == p - 2 for x in big[1::2])


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_matches_galois(field: PrimeField) -> None:
    # ffjavascript's w_k = nqr^((p-1)/2^k); galois's root is primitive_element^((p-1)/N), so
    # declaring nqr = 5 as its primitive element makes the two transforms comparable.  (Not
    # galois.ntt: it rebuilds GF(p) with full verification, minutes for a 254-bit prime.)
    gf = galois.GF(field.p, verify=False, primitive_element=5)
    rng = np.random.default_rng(7)
    for size in (1, 2, 8, 32):
        values = [int.from_bytes(rng.bytes(40), "little") % field.p for _ in range(size)]
        assert ntt(field, values) == [int(v) for v in np.fft.fft(gf(values))]
        assert ntt(field, values, inverse=True) == [int(v) for v in np.fft.ifft(gf(values))]


def test_domain_errors() -> None:
    with pytest.raises(ValueError, match="power of two"):
        Domain(BN254_FR, 12)
    with pytest.raises(ValueError, match="power of two"):
        Domain(BN254_FR, 0)
    with pytest.raises(ValueError, match="no domain of size 2\\^29"):
        Domain(BN254_FR, 1 << 29)
    with pytest.raises(ValueError, match="expected 4 values"):
        Domain(BN254_FR, 4).ntt([1, 2, 3])


def test_inputs_are_reduced() -> None:
    p = BN254_FR.p
    d = Domain(BN254_FR, 4)
    assert d.ntt([p + 1, -1, 2 * p, 0]) == d.ntt([1, p - 1, 0, 0])
