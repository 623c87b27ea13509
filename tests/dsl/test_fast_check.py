"""FastCheck's kernel finds the same first failing constraint as the reference check (or none),
and FastCheck fails the same way."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.dsl import UnsatisfiedConstraint, check
from zkmargin.dsl.fast_check import FastCheck
from zkmargin.dsl.gadgets import poseidon_hash, range_check
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.dsl.r1cs import R1CS, Constraint, WitnessShapeError
from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField

FIELDS = [BN254_FR, BLS12_381_FR]


def reference_first_failure(system: R1CS, witness: list[int]) -> int | None:
    try:
        check(system, witness)
    except UnsatisfiedConstraint as err:
        return err.index
    return None


def outcome(run: Callable[[list[int]], None], witness: list[int]) -> tuple[str, str] | None:
    try:
        run(witness)
    except (UnsatisfiedConstraint, WitnessShapeError) as err:
        return type(err).__name__, str(err)
    return None


@st.composite
def systems_and_witnesses(draw: st.DrawFn, field: PrimeField) -> tuple[R1CS, list[int]]:
    """Small systems with random sparse sides; witnesses that satisfy them about half the time
    (each C side gets a fresh wire holding a·b, sometimes nudged)."""
    n_inputs = draw(st.integers(1, 6))
    n_cons = draw(st.integers(0, 8))
    value = st.sampled_from([0, 1, 2, field.p - 1]) | st.integers(0, field.p - 1)
    coeff = st.sampled_from([1, 2, field.p - 1]) | st.integers(1, field.p - 1)
    witness = [1, *draw(st.lists(value, min_size=n_inputs, max_size=n_inputs))]
    constraints = []
    for i in range(n_cons):
        wires = st.integers(0, len(witness) - 1)
        sides = [draw(st.dictionaries(wires, coeff, max_size=4)) for _ in range(2)]
        a, b = (sum(c * witness[w] for w, c in s.items()) % field.p for s in sides)
        out = len(witness)
        witness.append((a * b + draw(st.sampled_from([0, 0, 1]))) % field.p)
        constraints.append(Constraint(sides[0], sides[1], {out: 1}, f"c{i}"))
    system = R1CS(field, 0, 0, n_inputs, len(witness), constraints)
    return system, witness


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_kernel_finds_the_reference_first_failure(field: PrimeField, data: st.DataObject) -> None:
    system, witness = data.draw(systems_and_witnesses(field))
    fast = FastCheck.of(system)
    assert fast.first_failure(witness) == reference_first_failure(system, witness)
    assert outcome(fast, witness) == outcome(lambda w: check(system, w), witness)


def test_forged_wire_of_a_real_gadget_names_the_same_constraint() -> None:
    harness = compile_gadget(lambda api, x: poseidon_hash(api, [range_check(api, x, 8), 5]), x=())
    witness = harness.compiled.solve({"x": 200})
    system = harness.compiled.r1cs
    fast = FastCheck.of(system)
    assert fast.first_failure(witness) is None
    fast(witness)
    for wire in (2, len(witness) // 2, len(witness) - 1):
        forged = list(witness)
        forged[wire] = (forged[wire] + 1) % BN254_FR.p
        failing = fast.first_failure(forged)
        assert failing is not None
        assert failing == reference_first_failure(system, forged)
        with pytest.raises(UnsatisfiedConstraint) as fast_err:
            fast(forged)
        with pytest.raises(UnsatisfiedConstraint) as ref_err:
            check(system, forged)
        assert fast_err.value.index == ref_err.value.index
        assert fast_err.value.name == ref_err.value.name


@pytest.mark.parametrize(
    ("witness", "problem"),
    [
        ([1, 9], "values"),
        ([2, 9, 3], "constant 1"),
        ([1, 9, BN254_FR.p], "outside"),
        ([1, -9, 3], "outside"),
    ],
)
def test_bad_shapes_are_named(witness: list[int], problem: str) -> None:
    system = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
    with pytest.raises(WitnessShapeError, match=problem):
        FastCheck.of(system)(witness)
