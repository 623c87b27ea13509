"""``zkmargin groth16``: exit 0 on a valid proof, 1 on an invalid one, 2 on bad input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from zkmargin.cli import main
from zkmargin.formats.r1cs import write_r1cs
from zkmargin.formats.snarkjs_json import write_proof, write_public, write_verification_key
from zkmargin.formats.wtns import write_wtns
from zkmargin.formats.zkey import write_zkey


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
