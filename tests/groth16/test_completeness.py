"""Completeness: for random satisfiable systems, an honest proof verifies (both curves).

Systems are drawn with random sparse A and B rows over a random witness (small values, 0, 1,
p - 1 and arbitrary field elements), and each C row is chosen so the witness satisfies it.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.dsl.r1cs import R1CS, Constraint, check, evaluate
from zkmargin.field import field_by_name
from zkmargin.groth16 import batch_verify, prove, setup_unsafe_dev, verify, verifying_key


@st.composite
def satisfied_systems(draw, curve: str) -> tuple[R1CS, list[int]]:
    field = field_by_name(curve)
    p = field.p
    n_pub_out, n_pub_in = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    n_prv = draw(st.integers(1, 3))
    n_wires = 1 + n_pub_out + n_pub_in + n_prv + draw(st.integers(0, 2))
    element = st.one_of(st.integers(0, 3), st.just(p - 1), st.integers(0, p - 1))
    witness = [1] + [draw(element) for _ in range(n_wires - 1)]
    terms = st.dictionaries(st.integers(0, n_wires - 1), st.integers(1, p - 1), max_size=3)
    constraints = []
    for i in range(draw(st.integers(1, 6))):
        a, b = draw(terms), draw(terms)
        target = evaluate(a, witness, p) * evaluate(b, witness, p) % p
        wire = draw(st.sampled_from([k for k in range(n_wires) if witness[k]]))
        c = {wire: target * pow(witness[wire], -1, p) % p} if target else {}
        constraints.append(Constraint(a, b, c, f"random{i}"))
    cs = R1CS(field, n_pub_out, n_pub_in, n_prv, n_wires, constraints)
    return cs, witness


@pytest.mark.parametrize("curve", ["bn128", "bls12381"])
def test_honest_proofs_verify(curve):
    @settings(max_examples=4)
    @given(system=satisfied_systems(curve), seed=st.integers(0, 2**32))
    def run(system, seed):
        cs, witness = system
        check(cs, witness)
        zkey = setup_unsafe_dev(cs, curve, rng=random.Random(seed))
        assert zkey.domain_size >= cs.n_constraints + cs.n_public + 1
        proof, public = prove(zkey, witness, rng=random.Random(seed + 1))
        assert public == cs.public_values(witness)
        vk = verifying_key(zkey)
        assert verify(vk, public, proof)
        assert batch_verify(vk, [(public, proof), (public, prove(zkey, witness)[0])])

    run()


def test_msm_backends_give_the_same_proof(keys):
    # Same randomness, independent MSM code (Pippenger vs naive py_ecc): identical proofs.
    fast = prove(keys.zkey, keys.witness, rng=random.Random(9))
    naive = prove(keys.zkey, keys.witness, rng=random.Random(9), backend="py_ecc")
    assert fast == naive
