"""Fixtures for the Groth16 tests: one small circuit with keys and a proof per curve.

Setup and proving are pure Python, so keys are made once per session with a seeded rng.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from zkmargin.curve import curve_by_name
from zkmargin.dsl.r1cs import R1CS, Constraint, check
from zkmargin.field import field_by_name
from zkmargin.formats.snarkjs_json import Proof, VerifyingKey
from zkmargin.formats.zkey import ZKey
from zkmargin.groth16 import prove, setup_unsafe_dev, verifying_key

CURVES = ["bn128", "bls12381"]


def small_circuit(
    curve: str,
    publics: tuple[int, int],
    n_prv_in: int,
    constraints: Callable[[int], list[Constraint]],
    witness: list[int],
) -> tuple[R1CS, list[int]]:
    """A hand-written R1CS over ``curve``'s scalar field (``publics``: outputs, inputs;
    ``constraints(p)`` may use the prime for negative coefficients), checked on ``witness``."""
    field = field_by_name(curve)
    cs = R1CS(field, *publics, n_prv_in, len(witness), constraints(field.p))
    check(cs, witness)
    return cs, witness


def cube_circuit(curve: str) -> tuple[R1CS, list[int]]:
    """out = x^3 + x*k + 5 with public x, private k; wires [1, out, x, k, x2, x3]."""
    x, k = 3, 7
    return small_circuit(
        curve,
        (1, 1),
        1,
        lambda p: [
            Constraint({2: 1}, {2: 1}, {4: 1}, "x2"),
            Constraint({4: 1}, {2: 1}, {5: 1}, "x3"),
            Constraint({2: 1}, {3: 1}, {1: 1, 5: p - 1, 0: p - 5}, "out"),
        ],
        [1, x**3 + x * k + 5, x, k, x * x, x**3],
    )


@dataclass
class Keys:
    curve: str
    r1cs: R1CS
    witness: list[int]
    zkey: ZKey
    vk: VerifyingKey
    proof: Proof
    public: list[int]


@pytest.fixture(scope="session", params=CURVES)
def keys(request) -> Keys:
    curve = request.param
    cs, witness = cube_circuit(curve)
    zkey = setup_unsafe_dev(cs, curve, rng=random.Random(f"keys-{curve}"))
    proof, public = prove(zkey, witness, rng=random.Random(1))
    return Keys(curve, cs, witness, zkey, verifying_key(zkey), proof, public)


@pytest.fixture(scope="session")
def other_vk(keys: Keys) -> VerifyingKey:
    """A verifying key from another setup of the same circuit."""
    zkey = setup_unsafe_dev(keys.r1cs, keys.curve, rng=random.Random(f"other-{keys.curve}"))
    return verifying_key(zkey)


@pytest.fixture(scope="session")
def curve(keys: Keys):
    return curve_by_name(keys.curve)
