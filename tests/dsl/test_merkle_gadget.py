"""Merkle path gadget: equals the reference tree, stated cost, forged paths fail by name."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.dsl import API, Circuit, CompiledCircuit, Public, Secret, check, compile_circuit
from zkmargin.dsl.gadgets import assert_merkle_path, merkle_root_from_path, num2bits
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.dsl.r1cs import UnsatisfiedConstraint, evaluate
from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField
from zkmargin.hash import MerkleTree, root_from_path

DEPTH = 4


class InclusionCircuit(Circuit):
    """Public root; secret leaf, index bits and siblings."""

    def __init__(self, depth: int) -> None:
        self.root = Public()
        self.leaf = Secret()
        self.bits = Secret(depth)
        self.siblings = Secret(depth)

    def define(self, api: API) -> None:
        assert_merkle_path(api, self.leaf, self.bits, self.siblings, self.root)


@cache
def inclusion(depth: int = DEPTH, field: PrimeField = BN254_FR) -> CompiledCircuit:
    return compile_circuit(InclusionCircuit(depth), field)


@cache
def tree(field: PrimeField = BN254_FR) -> MerkleTree:
    return MerkleTree([(i + 1) * 1000003 for i in range(11)], DEPTH, field)  # 5 padding slots


def inputs(index: int, field: PrimeField = BN254_FR) -> dict:
    t = tree(field)
    siblings, bits = t.path(index)
    return {"root": t.root, "leaf": t.node(0, index), "bits": bits, "siblings": siblings}


def failing(compiled: CompiledCircuit, witness: list[int]) -> str:
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(compiled.r1cs, witness)
    return err.value.name


@pytest.mark.parametrize("field", [BN254_FR, BLS12_381_FR], ids=lambda f: f.name)
@settings(max_examples=8)
@given(index=st.integers(0, 2**DEPTH - 1))
def test_every_slot_verifies(field: PrimeField, index: int) -> None:
    compiled = inclusion(DEPTH, field)
    check(compiled.r1cs, compiled.solve(inputs(index, field)))


@settings(max_examples=10)
@given(
    leaf=st.integers(0, BN254_FR.p - 1),
    bits=st.lists(st.integers(0, 1), min_size=3, max_size=3),
    siblings=st.lists(st.integers(0, BN254_FR.p - 1), min_size=3, max_size=3),
)
def test_root_from_path_equals_reference(leaf: int, bits: list[int], siblings: list[int]) -> None:
    h = merkle_root_gadget(3)
    assert h.value(h.result, h.solve(leaf=leaf, bits=bits, sib=siblings)) == root_from_path(
        leaf, bits, siblings
    )


@cache
def merkle_root_gadget(depth: int):
    return compile_gadget(
        lambda api, leaf, bits, sib: merkle_root_from_path(api, leaf, bits, sib),
        leaf=(),
        bits=(depth,),
        sib=(depth,),
    )


def test_stated_cost() -> None:
    # per level: boolean + swap + poseidon(2) = 1 + 1 + 240; plus the root equality
    assert merkle_root_gadget(3).n_constraints == 242 * 3
    assert inclusion().r1cs.n_constraints == 242 * DEPTH + 1


def test_index_from_num2bits() -> None:
    """The usual wiring: a numeric index decomposed by num2bits feeds the path."""
    t = tree()
    siblings, _ = t.path(9)
    h = compile_gadget(
        lambda api, leaf, index, sib: merkle_root_from_path(
            api, leaf, num2bits(api, index, DEPTH), sib
        ),
        leaf=(),
        index=(),
        sib=(DEPTH,),
    )
    assert h.value(h.result, h.solve(leaf=t.node(0, 9), index=9, sib=siblings)) == t.root


# -- malicious witnesses ------------------------------------------------------------------------
def test_forged_sibling_fails_the_root() -> None:
    good = inputs(5)
    bad = dict(good, siblings=[*good["siblings"][:2], good["siblings"][2] + 1, good["siblings"][3]])
    assert failing(inclusion(), inclusion().solve(bad)) == "merkle/root"


def test_wrong_leaf_fails_the_root() -> None:
    bad = dict(inputs(5), leaf=inputs(6)["leaf"])
    assert failing(inclusion(), inclusion().solve(bad)) == "merkle/root"


def test_flipped_index_bit_fails_the_root() -> None:
    good = inputs(5)
    bad = dict(good, bits=[1 - good["bits"][0], *good["bits"][1:]])
    assert failing(inclusion(), inclusion().solve(bad)) == "merkle/root"


@pytest.mark.parametrize("level", [0, 2])
def test_non_boolean_index_bit_fails_its_boolean_constraint(level: int) -> None:
    good = inputs(3)
    bits = list(good["bits"])
    bits[level] = 2
    witness = inclusion().solve(dict(good, bits=bits))
    assert failing(inclusion(), witness) == f"merkle/index_bit[{level}]/boolean"


def test_forged_swap_product_fails_naming_it() -> None:
    compiled = inclusion()
    (swap,) = [i for i, n in enumerate(compiled.r1cs.wire_names) if n == "merkle/level[1]/swap"]
    witness = compiled.solve(inputs(6), forge={swap: 1})
    assert failing(compiled, witness) == "merkle/level[1]/swap"


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        compile_gadget(
            lambda api, leaf, bits, sib: merkle_root_from_path(api, leaf, bits, sib),
            leaf=(),
            bits=(2,),
            sib=(3,),
        )


def test_non_boolean_bit_with_a_matching_root_fails_only_the_boolean_check() -> None:
    """With bit = 2 the swap mixes node and sibling; a prover who also claims the root that
    mixture produces satisfies every other constraint — the boolean check is the only guard."""
    good = inputs(6)
    bits = [good["bits"][0], 2, *good["bits"][2:]]
    h = merkle_root_gadget(DEPTH)
    forged_root = h.value(h.result, h.solve(leaf=good["leaf"], bits=bits, sib=good["siblings"]))
    compiled = inclusion()
    witness = compiled.solve(dict(good, bits=bits, root=forged_root))
    p = compiled.r1cs.prime
    broken = [
        c.name
        for c in compiled.r1cs.constraints
        if evaluate(c.a, witness, p) * evaluate(c.b, witness, p) % p != evaluate(c.c, witness, p)
    ]
    assert broken == ["merkle/index_bit[1]/boolean"]
