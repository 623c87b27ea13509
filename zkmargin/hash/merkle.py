"""Binary Poseidon Merkle tree of fixed depth (reference for the Merkle-path gadget).

A node is ``poseidon([left, right])`` (width 3). A tree of depth ``d`` has ``2^d`` leaf slots;
slots past the given leaves hold :data:`ZERO_LEAF` (0), and an all-padding subtree of height
``h`` hashes to ``zero_hashes[h]`` so sparse trees cost O(n + d) hashes. A path lists the
siblings from the leaf level up, and ``index_bits`` the leaf index little-endian: bit ``i`` is 1
when the node at height ``i`` is a right child. Zero is not a preimage anyone knows for a leaf
built as a Poseidon hash, but inclusion of padding slots still "verifies": users of the tree must
bind the range of real leaf indices.

>>> tree = MerkleTree([11, 22, 33], depth=2)
>>> siblings, bits = tree.path(2)
>>> bits
[0, 1]
>>> verify_path(33, bits, siblings, tree.root)
True
>>> verify_path(34, bits, siblings, tree.root)
False
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash.poseidon import Permutation, poseidon

ZERO_LEAF = 0


def hash_pair(
    left: int,
    right: int,
    field: PrimeField = BN254_FR,
    permutation: Permutation | None = None,
) -> int:
    """The parent of two nodes."""
    return poseidon([left, right], field, permutation=permutation)


def root_from_path(
    leaf: int, index_bits: Sequence[int], siblings: Sequence[int], field: PrimeField = BN254_FR
) -> int:
    """Fold a leaf up its path: at height ``i`` the node is the right child iff ``index_bits[i]``."""
    if len(index_bits) != len(siblings):
        raise ValueError("index_bits and siblings must have the same length (the depth)")
    node = leaf % field.p
    for bit, sibling in zip(index_bits, siblings, strict=True):
        if bit not in (0, 1):
            raise ValueError(f"index bit must be 0 or 1, got {bit}")
        node = hash_pair(sibling, node, field) if bit else hash_pair(node, sibling, field)
    return node


def verify_path(
    leaf: int,
    index_bits: Sequence[int],
    siblings: Sequence[int],
    root: int,
    field: PrimeField = BN254_FR,
) -> bool:
    """Whether ``leaf`` at the index given by ``index_bits`` is under ``root``."""
    return root_from_path(leaf, index_bits, siblings, field) == root % field.p


class MerkleTree:
    """A fixed-depth binary Poseidon tree over ``leaves`` (padded with :data:`ZERO_LEAF`).

    ``permutation`` picks the implementation (default :func:`.preferred_permutation`); the
    tree is the same.
    """

    def __init__(
        self,
        leaves: Sequence[int],
        depth: int,
        field: PrimeField = BN254_FR,
        permutation: Permutation | None = None,
    ) -> None:
        if depth < 0:
            raise ValueError("depth must be >= 0")
        if len(leaves) > 1 << depth:
            raise ValueError(f"{len(leaves)} leaves do not fit a tree of depth {depth}")
        self.depth = depth
        self.field = field
        self.zero_hashes = [ZERO_LEAF]
        for _ in range(depth):
            zero = self.zero_hashes[-1]
            self.zero_hashes.append(hash_pair(zero, zero, field, permutation))
        # levels[h] holds the non-padding nodes at height h (a prefix of that level)
        self.levels: list[list[int]] = [[x % field.p for x in leaves]]
        for h in range(depth):
            below = self.levels[-1]
            pad = self.zero_hashes[h]
            self.levels.append(
                [
                    hash_pair(
                        below[i], below[i + 1] if i + 1 < len(below) else pad, field, permutation
                    )
                    for i in range(0, len(below), 2)
                ]
            )

    def __len__(self) -> int:
        return len(self.levels[0])

    def node(self, height: int, position: int) -> int:
        level = self.levels[height]
        return level[position] if position < len(level) else self.zero_hashes[height]

    @property
    def root(self) -> int:
        return self.node(self.depth, 0)

    def path(self, index: int) -> tuple[list[int], list[int]]:
        """``(siblings, index_bits)`` for leaf slot ``index``, both ordered leaf level first."""
        if not 0 <= index < 1 << self.depth:
            raise IndexError(f"leaf index {index} outside a tree of depth {self.depth}")
        bits = [(index >> h) & 1 for h in range(self.depth)]
        siblings = [self.node(h, (index >> h) ^ 1) for h in range(self.depth)]
        return siblings, bits

    def verify_path(self, leaf: int, index_bits: Sequence[int], siblings: Sequence[int]) -> bool:
        """Whether the path puts ``leaf`` under this tree's root (see :func:`verify_path`).

        >>> tree = MerkleTree([7, 8], depth=1)
        >>> tree.verify_path(8, [1], [7]), tree.verify_path(8, [0], [7])
        (True, False)
        """
        return verify_path(leaf, index_bits, siblings, self.root, self.field)
