"""A batch's tree of account leaves (what receipts and inclusion checks fold a path up to).

>>> tree = batch_tree([5, 6, 7], batch_size=4)
>>> tree.depth, tree.path(0)[1]
(2, [0, 0])
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.hash import MerkleTree


def tree_depth(batch_size: int) -> int:
    """Depth of a batch's Merkle tree: the smallest d with ``2^d >= batch_size``."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    return (batch_size - 1).bit_length()


def batch_tree(leaves: Sequence[int], batch_size: int) -> MerkleTree:
    """The batch's tree: ``leaves`` at positions 0.., zero leaves up to ``batch_size`` and on."""
    if len(leaves) > batch_size:
        raise ValueError(f"{len(leaves)} leaves in a batch of {batch_size}")
    return MerkleTree(leaves, tree_depth(batch_size))
