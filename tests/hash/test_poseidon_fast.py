"""permute_fast is the reference permutation, only faster."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField
from zkmargin.hash import (
    MerkleTree,
    permute,
    permute_fast,
    poseidon,
    poseidon_params,
    poseidon_sponge,
)
from zkmargin.hash.modp_linalg import identity, mat_inv, mat_mul

FIELDS = [BN254_FR, BLS12_381_FR]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@settings(max_examples=20)
@given(data=st.data())
def test_equals_reference_permutation(field: PrimeField, data: st.DataObject) -> None:
    t = data.draw(st.integers(2, 17))
    edge = st.sampled_from([0, 1, field.p - 1])
    state = data.draw(st.lists(edge | st.integers(0, field.p - 1), min_size=t, max_size=t))
    params = poseidon_params(t, field)
    assert permute_fast(state, params) == permute(state, params)


def test_hash_sponge_and_tree_accept_it() -> None:
    assert poseidon([1, 2], permutation=permute_fast) == poseidon([1, 2])
    xs = list(range(40))
    assert poseidon_sponge(xs, permutation=permute_fast) == poseidon_sponge(xs)
    leaves = [3, 1, 4, 1, 5]
    assert MerkleTree(leaves, 3, permutation=permute_fast).root == MerkleTree(leaves, 3).root


def test_state_width_is_checked() -> None:
    with pytest.raises(ValueError, match="words"):
        permute_fast([1, 2], poseidon_params(3))


def test_mat_inv() -> None:
    p = BN254_FR.p
    m = [[2, 3, 5], [7, 11, 13], [17, 19, 23]]
    assert mat_mul(m, mat_inv(m, p), p) == identity(3)
    with pytest.raises(ValueError, match="singular"):
        mat_inv([[1, 2], [2, 4]], p)
