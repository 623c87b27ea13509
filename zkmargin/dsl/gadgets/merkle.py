"""Merkle path verification over Poseidon (reference: :mod:`zkmargin.hash.merkle`).

| gadget | bounds | cost (constraints) |
|---|---|---|
| ``merkle_root_from_path(api, leaf, index_bits, siblings)`` | depth d = len(siblings) | 242·d |
| ``assert_merkle_path(api, leaf, index_bits, siblings, root)`` | same | 242·d + 1 |

Per level: ``index_bit[i]/boolean`` (``b·(b − 1) = 0``), ``level[i]/swap`` (one product
``d = b·(sibling − node)``, then ``left = node + d`` and ``right = sibling − d``, i.e. the node
is the right child when ``b = 1``), and a 240-constraint ``poseidon([left, right])`` under
``level[i]/poseidon/...``; everything sits in the ``merkle`` namespace and the final equality is
``merkle/root``. Bits are little-endian (bit 0 is the leaf level), as :meth:`MerkleTree.path`
returns them. Leaf, siblings and root are any field elements (LCs, ints or ``Bounded``); index bits are
always constrained boolean here, even when the caller already did.

>>> from zkmargin.dsl.gadgets.testing import compile_gadget
>>> from zkmargin.hash import MerkleTree
>>> tree = MerkleTree([5, 6, 7], depth=2)
>>> siblings, bits = tree.path(1)
>>> h = compile_gadget(lambda api, leaf, bits, sib: merkle_root_from_path(api, leaf, bits, sib),
...                    leaf=(), bits=(2,), sib=(2,))
>>> h.n_constraints, h.value(h.result, h.solve(leaf=6, bits=bits, sib=siblings)) == tree.root
(484, True)
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bits import assert_bool
from zkmargin.dsl.gadgets.bounded import Value
from zkmargin.dsl.gadgets.poseidon import as_lc, poseidon_hash


def merkle_root_from_path(
    api: API,
    leaf: Value,
    index_bits: Sequence[Value],
    siblings: Sequence[Value],
) -> LC:
    """The root reached from ``leaf`` by the path; constrains every index bit boolean."""
    if len(index_bits) != len(siblings):
        raise ValueError("index_bits and siblings must have the same length (the depth)")
    node = as_lc(api, leaf)
    with api.namespace("merkle"):
        for i, (bit, sibling) in enumerate(zip(index_bits, siblings, strict=True)):
            bit, sibling = as_lc(api, bit), as_lc(api, sibling)
            assert_bool(api, bit, name=f"index_bit[{i}]/boolean")
            with api.namespace(f"level[{i}]"):
                d = api.mul(bit, sibling - node, name="swap")
                node = poseidon_hash(api, [node + d, sibling - d])
    return node


def assert_merkle_path(
    api: API,
    leaf: Value,
    index_bits: Sequence[Value],
    siblings: Sequence[Value],
    root: Value,
) -> None:
    """Constrain ``leaf`` to sit at the index given by ``index_bits`` under ``root``."""
    computed = merkle_root_from_path(api, leaf, index_bits, siblings)
    with api.namespace("merkle"):
        api.assert_equal(computed, as_lc(api, root), name="root")
