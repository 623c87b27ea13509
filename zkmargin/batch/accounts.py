"""A batch's tree of account leaves (what receipts and inclusion checks fold a path up to), and
its in-circuit side: the padding flags and the root.

>>> tree = batch_tree([5, 6, 7], batch_size=4)
>>> tree.depth, tree.path(0)[1]
(2, [0, 0])
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bits import assert_bool
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


def prove_padding(api: API, count: LC, batch_size: int) -> list[LC]:
    """``real[i] = [i < count]`` as decreasing booleans summing to count (``padding/...``)."""
    with api.namespace("padding"):

        def flags(c: int) -> list[int]:
            return [int(i < c) for i in range(batch_size)]

        real = api.hint(flags, count, n_out=batch_size, name="real")
        for i, r in enumerate(real):
            assert_bool(api, r, name=f"real[{i}]/boolean")
            if i:
                api.assert_product(r, 1 - real[i - 1], 0, name=f"real[{i}]/ordered")
        api.assert_equal(sum(real[1:], real[0]), count, name="count")
    return real


def prove_batch_root(api: API, leaves: Sequence[LC], depth: int) -> LC | int:
    """The root of the batch's tree over ``leaves``, zero leaves after (``tree/level[h]/...``)."""
    from zkmargin.dsl.gadgets import poseidon_hash

    with api.namespace("tree"):
        level: list[LC | int] = list(leaves) + [0] * ((1 << depth) - len(leaves))
        for h in range(depth):
            with api.namespace(f"level[{h}]"):
                level = [
                    poseidon_hash(api, [level[2 * k], level[2 * k + 1]])
                    for k in range(len(level) // 2)
                ]
    return level[0]
