"""The top tree over batch roots is the one account tree over every leaf of the snapshot."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.batch import tree_depth
from zkmargin.hash import MerkleTree, root_from_path
from zkmargin.solvency.snapshot_tree import TopTree, empty_roots, top_depth


@st.composite
def snapshots(draw) -> tuple[int, list[list[int]]]:
    """A batch size and batches of leaves: all full but the last, as the prover cuts them."""
    size = draw(st.integers(1, 4))
    n = draw(st.integers(1, 5 * size))
    leaves = draw(st.lists(st.integers(1, 2**64), min_size=n, max_size=n))
    return size, [leaves[i : i + size] for i in range(0, n, size)]


@settings(max_examples=25, deadline=None)
@given(snapshots())
def test_top_tree_is_the_whole_tree(snapshot) -> None:
    size, batches = snapshot
    depth = tree_depth(size)
    top = TopTree([MerkleTree(b, depth).root for b in batches], depth)
    slots = [leaf for b in batches for leaf in b + [0] * ((1 << depth) - len(b))]
    whole = MerkleTree(slots, depth + top.depth)
    assert top.root == whole.root
    for n, batch in enumerate(batches):
        for pos, leaf in enumerate(batch):
            siblings = MerkleTree(batch, depth).path(pos)[0] + top.path(n)
            index = (n << depth) | pos
            bits = [(index >> h) & 1 for h in range(depth + top.depth)]
            assert root_from_path(leaf, bits, siblings) == top.root


def test_depths_and_empty_slots() -> None:
    assert [top_depth(n) for n in (1, 2, 3, 4, 5, 8, 9)] == [0, 1, 2, 2, 3, 3, 4]
    empty = empty_roots(3)
    # three batches of depth 1: the fourth top slot is the empty batch root
    top = TopTree([5, 6, 7], batch_depth=1)
    assert top.path(2) == [empty[1], top.levels[1][0]]
    with pytest.raises(ValueError, match="at least one batch"):
        top_depth(0)
    with pytest.raises(IndexError):
        top.path(3)


def test_a_moved_or_dropped_batch_changes_the_root() -> None:
    roots = [11, 12, 13]
    root = TopTree(roots, 1).root
    assert TopTree([12, 11, 13], 1).root != root
    assert TopTree([11, 12], 1).root != root
    assert TopTree([11, 12, 13, empty_roots(1)[1]], 1).root == root  # padding is the empty root
