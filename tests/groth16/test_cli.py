"""``zkmargin groth16``: exit 0 on a valid proof, 1 on an invalid one, 2 on bad input."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from zkmargin.cli import main
from zkmargin.formats.r1cs import write_r1cs
from zkmargin.formats.snarkjs_json import (
    Proof,
    write_proof,
    write_public,
    write_verification_key,
)
from zkmargin.formats.wtns import write_wtns
from zkmargin.formats.zkey import write_zkey
from zkmargin.groth16 import verify


def _run(*args):
    return CliRunner().invoke(main, ["groth16", *map(str, args)])


def _files(keys, d):
    write_verification_key(d / "vk.json", keys.vk)
    write_public(d / "public.json", keys.public)
    write_proof(d / "proof.json", keys.proof)
    return d / "vk.json", d / "public.json", d / "proof.json"


def test_verify_exit_codes(keys, tmp_path):
    vk, public, proof = _files(keys, tmp_path)
    ok = _run("verify", vk, public, proof)
    assert (ok.exit_code, ok.output.strip()) == (0, "OK!")

    write_public(public, [keys.public[0] + 1, keys.public[1]])
    invalid = _run("verify", vk, public, proof)
    assert invalid.exit_code == 1 and "invalid proof" in invalid.output

    doc = json.loads(proof.read_text())
    doc["pi_a"][1] = str(int(doc["pi_a"][1]) + 1)
    proof.write_text(json.dumps(doc))
    bad = _run("verify", vk, public, proof)
    assert bad.exit_code == 2
    assert (
        bad.output.strip()
        == f"error: {proof}: pi_a: point is not on the curve or not in the prime-order subgroup"
    )


def test_verify_wrong_public_count_is_bad_input(keys, tmp_path):
    vk, public, proof = _files(keys, tmp_path)
    write_public(public, keys.public[:1])
    result = _run("verify", vk, public, proof)
    assert result.exit_code == 2
    assert "expected 2 public signals (nPublic), got 1" in result.output


def test_setup_prove_verify_export(keys, tmp_path):
    write_r1cs(tmp_path / "c.r1cs", keys.r1cs)
    write_wtns(tmp_path / "c.wtns", keys.witness, keys.r1cs.prime)
    setup = _run("setup", tmp_path / "c.r1cs", tmp_path / "c.zkey")
    assert setup.exit_code == 0, setup.output
    assert "UNSAFE" in setup.output
    assert _run("export-vk", tmp_path / "c.zkey", tmp_path / "vk.json").exit_code == 0
    paths = tmp_path / "c.zkey", tmp_path / "c.wtns", tmp_path / "p.json", tmp_path / "pub.json"
    assert _run("prove", *paths).exit_code == 0
    assert json.loads((tmp_path / "pub.json").read_text()) == [str(v) for v in keys.public]
    assert (
        _run("verify", tmp_path / "vk.json", tmp_path / "pub.json", tmp_path / "p.json").exit_code
        == 0
    )


def test_prove_with_wrong_witness_length_is_bad_input(keys, tmp_path):
    write_zkey(tmp_path / "k.zkey", keys.zkey)
    write_wtns(tmp_path / "w.wtns", keys.witness[:-1], keys.r1cs.prime)
    result = _run("prove", tmp_path / "k.zkey", tmp_path / "w.wtns", tmp_path / "p", tmp_path / "q")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {tmp_path / 'w.wtns'}: witness: witness has 5 values, the key 6 wires"
    )


def test_prove_with_witness_of_other_curve_is_bad_input(keys, tmp_path):
    other = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
    if keys.r1cs.prime == other:
        other = 21888242871839275222246405745257275088548364400416034343698204186575808495617
    write_zkey(tmp_path / "k.zkey", keys.zkey)
    write_wtns(tmp_path / "w.wtns", keys.witness, other)
    result = _run("prove", tmp_path / "k.zkey", tmp_path / "w.wtns", tmp_path / "p", tmp_path / "q")
    assert result.exit_code == 2 and "prime" in result.output


def _forgery_under_gamma_as_delta(keys, curve):
    """A key whose delta is its gamma, and the proof (alpha, beta, -IC(x)) that anyone can make
    under it for any public signals x."""
    vk = dataclasses.replace(keys.vk, delta2=keys.vk.gamma2)
    ic_x = keys.vk.ic[0]
    for x, point in zip(keys.public, keys.vk.ic[1:], strict=True):
        ic_x = curve.g1_add(ic_x, curve.g1_mul(point, x))
    forged = Proof(keys.curve, keys.vk.alpha1, keys.vk.beta2, curve.g1_neg(ic_x))
    return vk, forged


def test_verify_refuses_a_key_anyone_can_forge_under_beside_the_honest_key(keys, curve, tmp_path):
    vk, public, proof = _files(keys, tmp_path)
    honest = _run("verify", vk, public, proof)
    assert (honest.exit_code, honest.output.strip()) == (0, "OK!")

    weak_vk, forged = _forgery_under_gamma_as_delta(keys, curve)
    assert verify(weak_vk, keys.public, forged)  # the key really accepts a witness-free proof
    assert not verify(keys.vk, keys.public, forged)
    write_verification_key(vk, weak_vk)
    write_proof(proof, forged)
    refused = _run("verify", vk, public, proof)
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        f"invalid: {vk}: vk_delta_2: equals vk_gamma_2 (up to sign): anyone can forge proofs"
    )


@pytest.mark.parametrize(
    ("field", "change", "problem"),
    [
        ("vk_alpha_1", lambda vk, c: {"alpha1": None}, "point at infinity"),
        ("vk_delta_2", lambda vk, c: {"delta2": None}, "point at infinity"),
        ("vk_delta_2", lambda vk, c: {"delta2": c.g2}, "is the G2 generator"),
        ("IC[2]", lambda vk, c: {"ic": (*vk.ic[:2], c.g1_neg(vk.ic[1]))}, "repeats IC[1]"),
    ],
)
def test_verify_refuses_degenerate_keys(keys, curve, tmp_path, field, change, problem):
    vk, public, proof = _files(keys, tmp_path)
    assert _run("verify", vk, public, proof).exit_code == 0  # the honest key, as a control
    write_verification_key(vk, dataclasses.replace(keys.vk, **change(keys.vk, curve)))
    refused = _run("verify", vk, public, proof)
    assert refused.exit_code == 1
    lines = refused.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"invalid: {vk}: {field}: {problem}")


def test_verify_refuses_a_key_point_off_the_curve(keys, tmp_path):
    vk, public, proof = _files(keys, tmp_path)
    assert _run("verify", vk, public, proof).exit_code == 0
    doc = json.loads(vk.read_text())
    doc["vk_beta_2"][1][0] = str(int(doc["vk_beta_2"][1][0]) + 1)
    vk.write_text(json.dumps(doc))
    refused = _run("verify", vk, public, proof)
    assert refused.exit_code == 1
    assert refused.output.strip() == (
        f"invalid: {vk}: vk_beta_2: point is not on the twist or not in the prime-order subgroup"
    )
