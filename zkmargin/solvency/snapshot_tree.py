"""One account tree over a whole snapshot: the batch trees are its subtrees.

Batch ``b``'s tree (depth ``d`` = :func:`~zkmargin.batch.tree_depth` of the batch size) sits at
position ``b`` of a *top tree* of depth ``D = ceil(log2(batches))``; top slots without a batch
hold the root of an empty batch tree (``zero_hashes[d]``: all-zero leaves), and nodes hash as in
:mod:`zkmargin.hash.merkle` (``poseidon([left, right])``, no per-level tag, exactly as the batch
trees do). The whole is the fixed-depth Merkle tree of depth ``d + D`` whose leaf slot
``b·2^d + position`` holds the account at ``position`` of batch ``b``, so a receipt's path is the
batch path followed by the top path and folds to the snapshot :attr:`TopTree.root` in one go.

Memory: the top tree keeps one field element per batch and level (O(batches)).

>>> from zkmargin.hash import MerkleTree
>>> whole = MerkleTree([1, 2, 3, 4, 5], depth=3)          # batches of 2 leaves: d = 1
>>> roots = [MerkleTree(leaves, 1).root for leaves in ([1, 2], [3, 4], [5])]
>>> top = TopTree(roots, batch_depth=1)
>>> top.depth, top.root == whole.root
(2, True)
>>> top.path(2) == whole.path(4)[0][1:]
True
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash import ZERO_LEAF, hash_pair


def top_depth(batches: int) -> int:
    """Depth of the top tree over ``batches`` batch roots (0 for one batch)."""
    if batches < 1:
        raise ValueError("a snapshot has at least one batch")
    return (batches - 1).bit_length()


def empty_roots(height: int, field: PrimeField = BN254_FR) -> list[int]:
    """``[root of an all-zero tree of height h for h in 0..height]``."""
    out = [ZERO_LEAF]
    for _ in range(height):
        out.append(hash_pair(out[-1], out[-1], field))
    return out


class TopTree:
    """The top tree over ``batch_roots`` (see the module docstring)."""

    def __init__(
        self, batch_roots: Sequence[int], batch_depth: int, field: PrimeField = BN254_FR
    ) -> None:
        self.depth = top_depth(len(batch_roots))
        self.batch_depth = batch_depth
        self._empty = empty_roots(batch_depth + self.depth, field)[batch_depth:]
        self.levels: list[list[int]] = [[r % field.p for r in batch_roots]]
        for h in range(self.depth):
            below, pad = self.levels[-1], self._empty[h]
            self.levels.append(
                [
                    hash_pair(below[i], below[i + 1] if i + 1 < len(below) else pad, field)
                    for i in range(0, len(below), 2)
                ]
            )

    def _node(self, height: int, position: int) -> int:
        level = self.levels[height]
        return level[position] if position < len(level) else self._empty[height]

    @property
    def root(self) -> int:
        """The snapshot root (``report.json``'s ``root``)."""
        return self._node(self.depth, 0)

    def path(self, batch: int) -> list[int]:
        """Siblings from batch ``batch``'s root up to the snapshot root."""
        if not 0 <= batch < len(self.levels[0]):
            raise IndexError(f"batch {batch} is not in the tree")
        return [self._node(h, (batch >> h) ^ 1) for h in range(self.depth)]
