"""Reference sponge and Merkle tree: the documented construction, padding, paths, errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BLS12_381_FR, BN254_FR
from zkmargin.hash import (
    ZERO_LEAF,
    MerkleTree,
    hash_pair,
    permute,
    poseidon,
    poseidon_params,
    poseidon_sponge,
    root_from_path,
    verify_path,
)

P = BN254_FR.p


def test_sponge_construction_by_hand() -> None:
    """Two blocks: capacity 2^64 + 20, absorb by addition, permute, output the first rate word."""
    xs = list(range(100, 120))
    params = poseidon_params(17)
    state = permute([2**64 + 20, *xs[:16]], params)
    state = permute(
        [state[0]] + [(s + x) % P for s, x in zip(state[1:], xs[16:] + [0] * 12, strict=True)],
        params,
    )
    assert poseidon_sponge(xs) == state[1]


@settings(max_examples=15)
@given(xs=st.lists(st.integers(0, P - 1), max_size=20))
def test_sponge_length_is_bound(xs: list[int]) -> None:
    # zero padding must not make an input collide with its zero-extended version
    assert poseidon_sponge(xs) != poseidon_sponge([*xs, 0])


def test_sponge_is_separated_from_poseidon() -> None:
    sixteen = list(range(1, 17))
    assert poseidon_sponge(sixteen) != poseidon(sixteen)
    assert poseidon_sponge([]) != poseidon([0] * 16)


def test_sponge_over_bls12_381_differs() -> None:
    assert poseidon_sponge([1, 2, 3], BLS12_381_FR) != poseidon_sponge([1, 2, 3])


@pytest.mark.parametrize("n", [0, 17])
def test_poseidon_input_count(n: int) -> None:
    with pytest.raises(ValueError, match="poseidon_sponge"):
        poseidon([1] * n)


def naive_root(leaves: list[int], depth: int) -> int:
    level = leaves + [ZERO_LEAF] * (2**depth - len(leaves))
    for _ in range(depth):
        level = [hash_pair(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


@pytest.mark.parametrize("n_leaves", [0, 1, 5, 8])
def test_root_equals_the_naive_fold(n_leaves: int) -> None:
    leaves = [7 * i + 1 for i in range(n_leaves)]
    assert MerkleTree(leaves, 3).root == naive_root(leaves, 3)


def test_every_path_verifies_and_reaches_the_root() -> None:
    tree = MerkleTree([11, 22, 33, 44, 55], depth=3)
    for index in range(8):
        siblings, bits = tree.path(index)
        assert bits == [(index >> h) & 1 for h in range(3)]
        leaf = tree.node(0, index)
        assert root_from_path(leaf, bits, siblings) == tree.root
        assert verify_path(leaf, bits, siblings, tree.root)


def test_wrong_paths_do_not_verify() -> None:
    tree = MerkleTree([11, 22, 33, 44, 55], depth=3)
    siblings, bits = tree.path(2)
    assert not verify_path(34, bits, siblings, tree.root)
    assert not verify_path(33, [1, 1, 0], siblings, tree.root)  # claims index 3
    assert not verify_path(33, bits, [siblings[0] + 1, *siblings[1:]], tree.root)
    with pytest.raises(ValueError, match="0 or 1"):
        root_from_path(33, [2, 1, 0], siblings)


def test_sparse_deep_tree_uses_zero_hashes() -> None:
    tree = MerkleTree([5], depth=32)
    siblings, bits = tree.path(0)
    assert siblings == tree.zero_hashes[:32]
    assert verify_path(5, bits, siblings, tree.root)


def test_depth_zero_and_bounds() -> None:
    assert MerkleTree([9], 0).root == 9
    assert MerkleTree([], 0).root == ZERO_LEAF
    with pytest.raises(ValueError, match="do not fit"):
        MerkleTree([1, 2, 3], 1)
    with pytest.raises(IndexError):
        MerkleTree([1], 2).path(4)
