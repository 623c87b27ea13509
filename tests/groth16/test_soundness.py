"""Every tampering with a proof, its public signals or its key fails verification.

A well-formed but wrong proof gives ``False``; a malformed one (point off the curve or outside
the subgroup, coordinate >= q, public signal >= r, wrong count) raises ``InputError`` naming the
field.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from zkmargin.dsl.r1cs import UnsatisfiedConstraint, check
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import proof_to_json, vk_to_json
from zkmargin.groth16 import batch_verify, prove, verify


def test_honest_proof_verifies(keys):
    assert verify(keys.vk, keys.public, keys.proof)


@pytest.mark.parametrize("element", ["a", "b", "c"])
@pytest.mark.parametrize("how", ["negated", "replaced"])
def test_tampered_proof_element_fails(keys, curve, element, how):
    old = getattr(keys.proof, element)
    group = "g2" if element == "b" else "g1"
    if how == "negated":
        new = getattr(curve, f"{group}_neg")(old)
    else:
        new = getattr(curve, f"{group}_mul")(getattr(curve, group), 1 + random.randrange(2**64))
    assert new != old
    assert not verify(keys.vk, keys.public, dataclasses.replace(keys.proof, **{element: new}))


@pytest.mark.parametrize("index", [0, 1])
def test_public_input_plus_one_fails(keys, index):
    public = list(keys.public)
    public[index] += 1
    assert not verify(keys.vk, public, keys.proof)


def test_wrong_verifying_key_fails(keys, other_vk):
    assert not verify(other_vk, keys.public, keys.proof)


def test_unsatisfying_witness_gives_failing_proof(keys):
    witness = list(keys.witness)
    witness[5] += 1  # x3 forged: constraints "x3" and "out" break
    with pytest.raises(UnsatisfiedConstraint, match="'x3'"):
        check(keys.r1cs, witness)
    proof, public = prove(keys.zkey, witness, rng=random.Random(2))
    assert not verify(keys.vk, public, proof)


def _off_curve_g1(curve):
    x, y = curve.g1
    return (x, (y + 1) % curve.q)


def _off_curve_g2(curve):
    x, (y0, y1) = curve.g2
    return (x, ((y0 + 1) % curve.q, y1))


@pytest.mark.parametrize("element", ["pi_a", "pi_b", "pi_c"])
def test_point_off_curve_is_rejected(keys, curve, element):
    doc = proof_to_json(keys.proof)
    bad = _off_curve_g2(curve) if element == "pi_b" else _off_curve_g1(curve)
    doc[element] = (
        [[str(v) for v in bad[0]], [str(v) for v in bad[1]], ["1", "0"]]
        if element == "pi_b"
        else [str(bad[0]), str(bad[1]), "1"]
    )
    with pytest.raises(InputError, match=f"<proof>: {element}: point is not on the"):
        verify(keys.vk, keys.public, doc)


@pytest.mark.parametrize("element", ["pi_a", "pi_c"])
def test_coordinate_at_least_q_is_rejected(keys, curve, element):
    # x + q is the same residue: a lax parser would accept it as the same (valid) point.
    doc = proof_to_json(keys.proof)
    doc[element][0] = str(int(doc[element][0]) + curve.q)
    with pytest.raises(InputError, match=rf"<proof>: {element}\[0\]: .* not below the base field"):
        verify(keys.vk, keys.public, doc)


def test_g2_coordinate_at_least_q_is_rejected(keys, curve):
    doc = proof_to_json(keys.proof)
    doc["pi_b"][1][1] = str(int(doc["pi_b"][1][1]) + curve.q)
    with pytest.raises(InputError, match=r"<proof>: pi_b\[1\]\[1\]: .* not below"):
        verify(keys.vk, keys.public, doc)


def test_vk_point_off_curve_is_rejected(keys, curve):
    doc = vk_to_json(keys.vk)
    bad = _off_curve_g1(curve)
    doc["IC"][1] = [str(bad[0]), str(bad[1]), "1"]
    with pytest.raises(InputError, match=r"<verification key>: IC\[1\]: point is not on"):
        verify(doc, keys.public, keys.proof)


def test_public_input_at_least_r_is_rejected(keys, curve):
    # x + r is x in the field: accepting it would make two public.json files prove one statement.
    public = list(keys.public)
    public[1] += curve.fr.p
    with pytest.raises(InputError, match=r"<public>: \[1\]: .* not below the scalar field"):
        verify(keys.vk, public, keys.proof)


def test_negative_public_input_is_rejected(keys):
    with pytest.raises(InputError, match=r"<public>: \[0\]: expected a decimal string"):
        verify(keys.vk, [-1, keys.public[1]], keys.proof)


@pytest.mark.parametrize("count", [1, 3])
def test_wrong_public_count_is_rejected(keys, count):
    public = [*keys.public, 0][:count]
    with pytest.raises(InputError, match=f"expected 2 public signals, got {count}"):
        verify(keys.vk, public, keys.proof)


def test_curve_mismatch_is_rejected(keys):
    doc = proof_to_json(keys.proof)
    doc["curve"] = "bls12381" if keys.curve == "bn128" else "bn128"
    with pytest.raises(InputError):
        verify(keys.vk, keys.public, doc)


def test_batch_accepts_good_proofs(keys):
    second, public2 = prove(keys.zkey, keys.witness, rng=random.Random(3))
    assert second != keys.proof  # fresh blinding
    assert batch_verify(keys.vk, [(keys.public, keys.proof), (public2, second)])


def test_batch_rejects_one_bad_proof(keys, curve):
    second, public2 = prove(keys.zkey, keys.witness, rng=random.Random(4))
    bad = dataclasses.replace(second, c=curve.g1_neg(second.c))
    assert not batch_verify(keys.vk, [(keys.public, keys.proof), (public2, bad)])


def test_batch_rejects_one_bad_public(keys):
    public = [keys.public[0], keys.public[1] + 1]
    assert not batch_verify(keys.vk, [(keys.public, keys.proof), (public, keys.proof)])
