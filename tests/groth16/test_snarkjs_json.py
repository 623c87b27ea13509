"""snarkjs JSON files: round trips, and one clear error per kind of malformed input."""

from __future__ import annotations

import json

import pytest

from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import (
    g1_from_json,
    g1_to_json,
    g2_from_json,
    g2_to_json,
    proof_from_json,
    proof_to_json,
    public_from_json,
    read_proof,
    read_public,
    read_verification_key,
    vk_from_json,
    vk_to_json,
    write_proof,
    write_public,
    write_verification_key,
)


def test_files_round_trip(keys, tmp_path):
    write_proof(tmp_path / "proof.json", keys.proof)
    write_public(tmp_path / "public.json", keys.public)
    write_verification_key(tmp_path / "vk.json", keys.vk)
    assert read_proof(tmp_path / "proof.json") == keys.proof
    assert read_public(tmp_path / "public.json", keys.r1cs.prime) == keys.public
    assert read_verification_key(tmp_path / "vk.json") == keys.vk


def test_proof_json_layout(keys):
    doc = proof_to_json(keys.proof)
    assert list(doc) == ["pi_a", "pi_b", "pi_c", "protocol", "curve"]
    assert doc["pi_a"][2] == "1" and doc["pi_b"][2] == ["1", "0"]
    assert doc["protocol"] == "groth16" and doc["curve"] == keys.curve
    assert all(isinstance(x, str) for x in [*doc["pi_a"], *doc["pi_b"][0], *doc["pi_b"][1]])


def test_infinity_round_trips(curve):
    name = curve.name
    assert g1_to_json(None) == ["0", "1", "0"]
    assert g1_from_json(g1_to_json(None), name, "f", "p") is None
    assert g2_from_json(g2_to_json(None), name, "f", "p") is None
    assert g2_from_json(g2_to_json(curve.g2), name, "f", "p") == curve.g2


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("pi_c"), "f.json: pi_c: missing"),
        (lambda d: d.update(protocol="plonk"), "f.json: protocol: expected 'groth16'"),
        (lambda d: d.update(curve="secp256k1"), "f.json: curve: expected one of"),
        (lambda d: d["pi_a"].__setitem__(0, 5), r"f.json: pi_a\[0\]: expected a decimal string"),
        (lambda d: d["pi_a"].__setitem__(0, "0x10"), r"pi_a\[0\]: expected a decimal string"),
        (lambda d: d["pi_a"].__setitem__(0, "-1"), r"pi_a\[0\]: expected a decimal string"),
        (lambda d: d["pi_a"].__setitem__(2, "2"), r"pi_a\[2\]: expected affine coordinates"),
        (lambda d: d["pi_b"].pop(), r"f.json: pi_b: expected a list of 3"),
        (lambda d: d["pi_b"][0].append("0"), r"pi_b\[0\]: expected a list of 2"),
    ],
)
def test_malformed_proof(keys, mutate, message):
    doc = json.loads(json.dumps(proof_to_json(keys.proof)))
    mutate(doc)
    with pytest.raises(InputError, match=message):
        proof_from_json(doc, "f.json")


def test_point_outside_subgroup_is_rejected():
    # BLS12-381 G1 has cofactor > 1: a point on the curve but not in the r-torsion exists.
    from zkmargin.curve import BLS12_381

    q = BLS12_381.q
    x = 0
    while True:
        x += 1
        rhs = (x**3 + 4) % q
        y = pow(rhs, (q + 1) // 4, q)  # q = 3 mod 4
        if y * y % q == rhs and not BLS12_381.g1_is_valid((x, y)):
            break
    with pytest.raises(InputError, match="pi_a: point is not on the curve or not in the prime"):
        g1_from_json([str(x), str(y), "1"], "bls12381", "f.json", "pi_a")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(nPublic=True), "nPublic: expected a non-negative integer"),
        (lambda d: d.update(nPublic=-1), "nPublic: expected a non-negative integer"),
        (lambda d: d["IC"].pop(), r"IC: expected nPublic \+ 1 = 3 points, got 2"),
        (lambda d: d.pop("vk_delta_2"), "vk_delta_2: missing"),
    ],
)
def test_malformed_vk(keys, mutate, message):
    doc = json.loads(json.dumps(vk_to_json(keys.vk)))
    mutate(doc)
    with pytest.raises(InputError, match=message):
        vk_from_json(doc, "vk.json")


def test_public_signals():
    assert public_from_json(["0", "12"], "p.json", r=13) == [0, 12]
    with pytest.raises(InputError, match=r"p.json: \[1\]: 13 is not below the scalar field"):
        public_from_json(["0", "13"], "p.json", r=13)
    with pytest.raises(InputError, match=r"p\.json: expected a JSON list"):
        public_from_json({"a": "1"}, "p.json")


def test_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "proof.json"
    bad.write_text('{"pi_a": [\n  "1",,\n]}')
    with pytest.raises(InputError, match=r"proof.json:2: invalid JSON: Expecting value"):
        read_proof(bad)
    with pytest.raises(InputError, match=r"nope.json: no such file"):
        read_proof(tmp_path / "nope.json")
