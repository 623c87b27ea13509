"""permute_fast and the numba permute_kernel are the reference permutation, only faster."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField
from zkmargin.hash import (
    MerkleTree,
    Permutation,
    permute,
    permute_fast,
    poseidon,
    poseidon_params,
    poseidon_sponge,
    preferred_permutation,
)
from zkmargin.hash.modp_linalg import identity, mat_inv, mat_mul
from zkmargin.hash.poseidon_kernel import permute_kernel

FIELDS = [BN254_FR, BLS12_381_FR]
FASTER = pytest.mark.parametrize("faster", [permute_fast, permute_kernel], ids=lambda f: f.__name__)


@FASTER
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@settings(max_examples=20)
@given(data=st.data())
def test_equals_reference_permutation(
    faster: Permutation, field: PrimeField, data: st.DataObject
) -> None:
    t = data.draw(st.integers(2, 17))
    edge = st.sampled_from([0, 1, field.p - 1])
    state = data.draw(st.lists(edge | st.integers(0, field.p - 1), min_size=t, max_size=t))
    params = poseidon_params(t, field)
    assert faster(state, params) == permute(state, params)


@FASTER
def test_hash_sponge_and_tree_accept_it(faster: Permutation) -> None:
    assert poseidon([1, 2], permutation=faster) == poseidon([1, 2], permutation=permute)
    xs = list(range(40))
    assert poseidon_sponge(xs, permutation=faster) == poseidon_sponge(xs, permutation=permute)
    leaves = [3, 1, 4, 1, 5]
    assert (
        MerkleTree(leaves, 3, permutation=faster).root
        == MerkleTree(leaves, 3, permutation=permute).root
    )


def test_the_default_is_the_kernel_when_numba_imports() -> None:
    assert preferred_permutation() is permute_kernel


@pytest.mark.parametrize("implementation", [permute, permute_fast, permute_kernel])
def test_state_width_is_checked(implementation: Permutation) -> None:
    with pytest.raises(ValueError, match="words"):
        implementation([1, 2], poseidon_params(3))


def test_mat_inv() -> None:
    p = BN254_FR.p
    m = [[2, 3, 5], [7, 11, 13], [17, 19, 23]]
    assert mat_mul(m, mat_inv(m, p), p) == identity(3)
    with pytest.raises(ValueError, match="singular"):
        mat_inv([[1, 2], [2, 4]], p)
