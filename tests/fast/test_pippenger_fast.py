"""Pippenger's helpers: signed digits recompose, bit lengths, scalar-one detection, windows."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve.fast.pippenger import (
    ONES_BUCKETS,
    is_one,
    max_bits,
    n_windows,
    ones_digits,
    signed_digits,
    window_size,
)
from zkmargin.field.fast.mont64 import ints_to_limbs

SCALARS = st.one_of(
    st.integers(0, 2**256 - 1), st.sampled_from([0, 1, 2, 2**64 - 1, 2**64, 2**256 - 1])
)


@settings(max_examples=80, deadline=None)
@given(ks=st.lists(SCALARS, min_size=1, max_size=5), c=st.integers(1, 19), skip=st.integers(0, 4))
def test_signed_digits_recompose(ks: list[int], c: int, skip: int) -> None:
    bits = max(k.bit_length() for k in ks)
    windows = n_windows(max(bits, 1), c)
    skipped = np.array([i == skip for i in range(len(ks))])
    digits = np.empty((windows, len(ks)), dtype=np.int64)
    signed_digits(ints_to_limbs(ks, 4), skipped, c, digits)
    for i, k in enumerate(ks):
        ds = [int(d) for d in digits[:, i]]
        assert all(-(1 << (c - 1)) <= d <= 1 << (c - 1) for d in ds)
        assert sum(d << (c * w) for w, d in enumerate(ds)) == (0 if skipped[i] else k)


@given(ks=st.lists(SCALARS, min_size=1, max_size=6))
def test_max_bits_and_is_one(ks: list[int]) -> None:
    limbs = ints_to_limbs(ks, 4)
    assert max_bits(limbs) == max(k.bit_length() for k in ks)
    out = np.empty(len(ks), dtype=np.bool_)
    is_one(limbs, out)
    assert out.tolist() == [k == 1 for k in ks]


def test_ones_go_round_robin() -> None:
    ones = np.array([True, False, True] * ONES_BUCKETS)
    out = np.empty(len(ones), dtype=np.int64)
    ones_digits(ones, out)
    picked = out[ones]
    assert (out[~ones] == 0).all()
    assert picked.tolist() == [i % ONES_BUCKETS + 1 for i in range(len(picked))]


def test_window_size_grows_with_n() -> None:
    sizes = [window_size(1 << k, 254) for k in range(4, 22, 2)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert window_size(0, 254) == 1
