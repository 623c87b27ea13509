"""Poseidon gadget: equals the reference, costs what the docstring states, rejects forgeries."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from interop import ROOT, run_tool, tool

from zkmargin.dsl import API, Circuit, CompiledCircuit, Public, Secret, check, compile_circuit
from zkmargin.dsl.gadgets import poseidon_hash, poseidon_sponge, range_check
from zkmargin.dsl.gadgets.poseidon import poseidon_permutation
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.dsl.r1cs import UnsatisfiedConstraint, evaluate
from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField
from zkmargin.formats.r1cs import read_r1cs
from zkmargin.formats.wtns import read_wtns
from zkmargin.hash import permute, poseidon, poseidon_params
from zkmargin.hash import poseidon_sponge as sponge_ref
from zkmargin.hash.poseidon_constants import PARTIAL_ROUNDS

FIELDS = [BN254_FR, BLS12_381_FR]


class HashCircuit(Circuit):
    """Public digest = poseidon(secret xs)."""

    def __init__(self, n: int, sponge: bool = False) -> None:
        self.digest = Public()
        self.xs = Secret(n)
        self._sponge = sponge

    def define(self, api: API) -> None:
        h = (poseidon_sponge if self._sponge else poseidon_hash)(api, self.xs)
        api.assert_equal(h, self.digest, name="digest")


@cache
def hash_circuit(n: int, field: PrimeField = BN254_FR, sponge: bool = False) -> CompiledCircuit:
    return compile_circuit(HashCircuit(n, sponge), field)


def elements(field: PrimeField, n: int) -> st.SearchStrategy[list[int]]:
    edge = st.sampled_from([0, 1, 2, field.p - 1, field.p // 2])
    return st.lists(edge | st.integers(0, field.p - 1), min_size=n, max_size=n)


def failing(compiled: CompiledCircuit, witness: list[int]) -> str:
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(compiled.r1cs, witness)
    return err.value.name


def broken(compiled: CompiledCircuit, witness: list[int]) -> list[str]:
    """Names of every constraint the witness violates."""
    p = compiled.r1cs.prime
    return [
        c.name
        for c in compiled.r1cs.constraints
        if evaluate(c.a, witness, p) * evaluate(c.b, witness, p) % p != evaluate(c.c, witness, p)
    ]


def wire(compiled: CompiledCircuit, name: str) -> int:
    (index,) = [i for i, n in enumerate(compiled.r1cs.wire_names) if n == name]
    return index


# -- correctness --------------------------------------------------------------------------------
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@settings(max_examples=10)
@given(data=st.data())
def test_hash_equals_reference(field: PrimeField, data: st.DataObject) -> None:
    n = data.draw(st.sampled_from([1, 2, 4]))
    xs = data.draw(elements(field, n))
    compiled = hash_circuit(n, field)
    digest = poseidon(xs, field)
    check(compiled.r1cs, compiled.solve({"digest": digest, "xs": xs}))


@pytest.mark.parametrize("n", [1, 2, 3, 8, 16])
def test_every_width_against_reference_and_cost(n: int) -> None:
    xs = [(7 * i + 3) ** 40 % BN254_FR.p for i in range(n)]
    compiled = hash_circuit(n)
    check(compiled.r1cs, compiled.solve({"digest": poseidon(xs), "xs": xs}))
    t = n + 1
    # 3 per S-box, 8t + R_P S-boxes, minus the free S-box on the constant capacity word
    assert compiled.r1cs.n_constraints == 3 * (8 * t + PARTIAL_ROUNDS[t - 2]) - 3 + 1  # + digest


def test_stated_costs() -> None:
    costs = {}
    for n in (1, 2, 16):
        h = compile_gadget(lambda api, xs: poseidon_hash(api, xs), xs=(n,))
        costs[n] = h.n_constraints
    assert costs == {1: 213, 2: 240, 16: 609}  # the docstring's table (240 = circomlib's)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_permutation_equals_reference(field: PrimeField) -> None:
    params = poseidon_params(5, field)
    h = compile_gadget(lambda api, s: poseidon_permutation(api, s, params), field, s=(5,))
    state = [1, field.p - 1, 0, 12345, field.p // 3]
    assert h.value(h.result, h.solve(s=state)) == permute(state, params)
    assert h.n_constraints == 3 * (8 * 5 + params.r_p)  # no constant word: every S-box paid


def test_constant_inputs_fold_to_the_reference_value() -> None:
    h = compile_gadget(lambda api, x: poseidon_hash(api, [1, 2]), x=())
    assert h.n_constraints == 0
    assert h.result.is_constant and h.result.constant_value == poseidon([1, 2])


def test_bounded_inputs_are_accepted() -> None:
    h = compile_gadget(lambda api, x: poseidon_hash(api, [range_check(api, x, 64), x]), x=())
    assert h.value(h.result, h.solve(x=2**64 - 1)) == poseidon([2**64 - 1, 2**64 - 1])


@pytest.mark.parametrize("n", [0, 17])
def test_input_count_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.16"):
        compile_gadget(lambda api, xs: poseidon_hash(api, xs), xs=(n,))


def test_parameters_of_another_field_are_refused() -> None:
    params = poseidon_params(3, BLS12_381_FR)
    with pytest.raises(ValueError, match="field"):
        compile_gadget(lambda api, s: poseidon_permutation(api, s, params), BN254_FR, s=(3,))


# -- sponge -------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 16, 17, 33])
@settings(max_examples=3)
@given(data=st.data())
def test_sponge_equals_reference(n: int, data: st.DataObject) -> None:
    xs = data.draw(elements(BN254_FR, n))
    compiled = hash_circuit(n, sponge=True)
    check(compiled.r1cs, compiled.solve({"digest": sponge_ref(xs), "xs": xs}))


def test_sponge_cost_per_block() -> None:
    costs = [hash_circuit(n, sponge=True).r1cs.n_constraints - 1 for n in (16, 17, 33)]
    # first block: capacity constant (one free S-box); later blocks pay all 17·8 + 68 S-boxes
    assert costs == [609, 609 + 612, 609 + 2 * 612]


# -- malicious witnesses ------------------------------------------------------------------------
def test_forged_digest_fails_the_digest_constraint() -> None:
    compiled = hash_circuit(2)
    honest = poseidon([1, 2])
    witness = compiled.solve({"digest": (honest + 1) % BN254_FR.p, "xs": [1, 2]})
    assert failing(compiled, witness) == "digest"


def test_forged_output_sbox_fails_its_constraint() -> None:
    # the digest is a linear combination of the last round's S-box outputs: forge one and make
    # the public digest consistent with it — the S-box constraint still catches the lie
    compiled = hash_circuit(2)
    last = wire(compiled, "poseidon/round[64]/sbox[1]/x5")
    forged = compiled.solve({"digest": 0, "xs": [1, 2]}, forge={last: 42})
    params = poseidon_params(3)
    digest_lc_value = (
        sum(  # recompute what the digest constraint now expects
            params.mds[0][j] * forged[wire(compiled, f"poseidon/round[64]/sbox[{j}]/x5")]
            for j in range(3)
        )
        % BN254_FR.p
    )
    forged = compiled.solve({"digest": digest_lc_value, "xs": [1, 2]}, forge={last: 42})
    assert broken(compiled, forged) == ["poseidon/round[64]/sbox[1]/x5"]  # the only guard


@pytest.mark.parametrize(
    "name",
    [
        "poseidon/round[4]/sbox[0]/x2",
        "poseidon/round[30]/sbox[0]/x4",
        "poseidon/round[0]/sbox[2]/x5",
    ],
)
def test_forged_intermediate_sbox_value_fails_naming_it(name: str) -> None:
    compiled = hash_circuit(2)
    witness = compiled.solve(
        {"digest": poseidon([5, 6]), "xs": [5, 6]}, forge={wire(compiled, name): 7}
    )
    assert failing(compiled, witness) == name


def test_forged_sponge_block_fails() -> None:
    compiled = hash_circuit(17, sponge=True)
    xs = list(range(17))
    name = "poseidon_sponge/block[1]/poseidon/round[10]/sbox[0]/x2"
    witness = compiled.solve({"digest": sponge_ref(xs), "xs": xs}, forge={wire(compiled, name): 3})
    assert failing(compiled, witness) == name


# -- the precomputed partial phase builds exactly the round-by-round constraints -----------------
def round_by_round(api: API, state: list, params) -> list:
    """The textbook permutation with plain LC arithmetic (names as the gadget's)."""
    s = list(state)
    with api.namespace("poseidon"):
        for r in range(params.rounds):
            with api.namespace(f"round[{r}]"):
                s = [x + c for x, c in zip(s, params.round_constants[r], strict=True)]
                for i in range(params.t) if params.is_full_round(r) else [0]:
                    x2 = api.mul(s[i], s[i], name=f"sbox[{i}]/x2")
                    x4 = api.mul(x2, x2, name=f"sbox[{i}]/x4")
                    s[i] = api.mul(x4, s[i], name=f"sbox[{i}]/x5")
                s = [
                    sum((x * m for m, x in zip(row, s, strict=True)), api.constant(0))
                    for row in params.mds
                ]
    return s


def nonzeros(compiled: CompiledCircuit) -> int:
    return sum(len(c.a) + len(c.b) + len(c.c) for c in compiled.r1cs.constraints)


@pytest.mark.parametrize("t", [2, 3, 6])
def test_partial_rounds_against_round_by_round(t: int) -> None:
    """Same constraints by name and count, same wires, same output; half the non-zeros."""
    params = poseidon_params(t)
    fast = compile_gadget(lambda api, s: poseidon_permutation(api, s), s=(t,))
    slow = compile_gadget(lambda api, s: round_by_round(api, s, params), s=(t,))
    assert fast.constraint_names() == slow.constraint_names()
    assert fast.compiled.r1cs.n_wires == slow.compiled.r1cs.n_wires
    state = [(3 * i + 1) ** 30 % BN254_FR.p for i in range(t)]
    assert fast.value(fast.result, fast.solve(s=state)) == slow.value(
        slow.result, slow.solve(s=state)
    )
    assert nonzeros(fast.compiled) < 0.6 * nonzeros(slow.compiled)


def test_forged_partial_sbox_input_fails_the_previous_round() -> None:
    # partial S-box inputs are hint wires pinned by the previous round's x5 constraint
    compiled = hash_circuit(2)
    name = "poseidon/round[10]/sbox[0]/x"
    witness = compiled.solve(
        {"digest": poseidon([5, 6]), "xs": [5, 6]}, forge={wire(compiled, name): 9}
    )
    assert failing(compiled, witness) == "poseidon/round[9]/sbox[0]/x5"


# -- circomlib's own circuit ----------------------------------------------------------------------
@pytest.mark.interop
def test_same_cost_and_output_as_circomlib_circuit(tmp_path: Path) -> None:
    """circom --O2 on circomlib's Poseidon(2): 240 constraints like ours, same digest."""
    src = tmp_path / "poseidon2.circom"
    src.write_text(
        'pragma circom 2.0.0;\ninclude "circomlib/circuits/poseidon.circom";\n'
        "component main = Poseidon(2);\n"
    )
    circom = tool("circom2")
    run_tool(
        circom,
        str(src),
        "--r1cs",
        "--wasm",
        "--O2",
        "-o",
        str(tmp_path),
        "-l",
        "node_modules",
        cwd=ROOT,
    )
    theirs = read_r1cs(tmp_path / "poseidon2.r1cs")
    ours = compile_gadget(lambda api, xs: poseidon_hash(api, xs), xs=(2,))
    assert theirs.n_constraints == ours.n_constraints == 240
    assert nonzeros(ours.compiled) < 1.1 * sum(
        len(c.a) + len(c.b) + len(c.c) for c in theirs.constraints
    )

    xs = [3, BN254_FR.p - 5]
    inputs = tmp_path / "input.json"
    inputs.write_text(json.dumps({"inputs": [str(x) for x in xs]}))
    wtns = tmp_path / "poseidon2.wtns"
    wasm = tmp_path / "poseidon2_js" / "poseidon2.wasm"
    run_tool(tool("snarkjs"), "wtns", "calculate", str(wasm), str(inputs), str(wtns))
    _, witness = read_wtns(wtns)
    assert witness[1] == ours.value(ours.result, ours.solve(xs=xs)) == poseidon(xs)  # wire 1: out
