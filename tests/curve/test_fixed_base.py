"""Fixed-base multiples (used by the key setup) against single scalar multiplications."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254
from zkmargin.curve.fixed_base import g1_multiples, g2_multiples, window_for

CURVES = [BN254, BLS12_381]


def _scalars(curve):
    r = curve.fr.p
    edge = st.sampled_from([0, 1, 2, r - 1, r, r + 1, 2**64 - 1, (1 << 255) - 1])
    return st.lists(st.one_of(edge, st.integers(0, 2 * r)), min_size=0, max_size=12)


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
@settings(max_examples=15)
@given(data=st.data())
def test_g1_multiples_equal_single_multiplications(curve, data):
    ks = data.draw(_scalars(curve))
    base = curve.g1_mul(curve.g1, data.draw(st.integers(1, curve.fr.p - 1)))
    assert g1_multiples(curve, base, ks) == [curve.g1_mul(base, k) for k in ks]


@pytest.mark.parametrize("curve", CURVES, ids=lambda c: c.name)
@settings(max_examples=5)
@given(data=st.data())
def test_g2_multiples_equal_single_multiplications(curve, data):
    ks = data.draw(_scalars(curve))
    assert g2_multiples(curve, curve.g2, ks) == [curve.g2_mul(curve.g2, k) for k in ks]


def test_edge_scalars_and_the_point_at_infinity():
    # All-ones digits, a full-width scalar reducing mod r, zero; and infinity as the base.
    r = BN254.fr.p
    ks = [1 + (1 << 8), 255 + (255 << 8), r - 1, 2, 0]
    assert g1_multiples(BN254, BN254.g1, ks) == [BN254.g1_mul(BN254.g1, k) for k in ks]
    assert g1_multiples(BN254, None, ks) == [None] * len(ks)


def test_window_grows_with_the_batch():
    assert window_for(1, 254) < window_for(1_000, 254) < window_for(100_000, 254)
