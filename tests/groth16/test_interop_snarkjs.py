"""Interop with snarkjs on circom-compiled circuits, both curves (issue 4's three directions):

1. ``snarkjs groth16 verify`` accepts proofs from our setup and prover on a circom ``.r1cs``;
2. our verifier accepts snarkjs's proofs;
3. our prover, given snarkjs's ``.zkey`` (with a contribution) and ``.wtns``, makes proofs that
   snarkjs accepts; and our verification key export equals snarkjs's, field for field.
"""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner
from snarkjs_pipeline import (
    calculate_witness,
    compile_circom,
    export_verification_key,
    groth16_prove,
    groth16_setup,
    groth16_verify,
    make_ptau,
)

from zkmargin.cli import main
from zkmargin.formats.r1cs import read_r1cs
from zkmargin.formats.snarkjs_json import (
    read_proof,
    read_public,
    read_verification_key,
    write_json,
    write_proof,
    write_public,
)
from zkmargin.formats.wtns import read_wtns
from zkmargin.formats.zkey import read_zkey
from zkmargin.groth16 import prove, setup_unsafe_dev, verification_key, verify

pytestmark = [pytest.mark.interop, pytest.mark.slow]

# Public input x, private k (range-checked to 8 bits, as margin circuits range-check amounts),
# public output y = x^2 k + 7: 11 constraints, two public signals.
SOURCE = """pragma circom 2.0.0;
include "circomlib/circuits/bitify.circom";
template T() {
    signal input x;
    signal input k;
    signal output y;
    component bits = Num2Bits(8);
    bits.in <== k;
    signal x2 <== x * x;
    y <== x2 * k + 7;
}
component main {public [x]} = T();
"""
INPUTS = {"x": 3, "k": 200}


@pytest.mark.parametrize("curve", ["bn128", "bls12381"])
def test_snarkjs_interop(curve, tmp_path):
    # One test per curve: the circom/ptau/zkey pipeline dominates the cost, so build it once.
    build = compile_circom(SOURCE, tmp_path, name="t", prime=curve)
    wtns = calculate_witness(build, INPUTS, tmp_path)
    zkey = groth16_setup(build.r1cs, make_ptau(tmp_path, 6, curve), tmp_path)
    vk = export_verification_key(zkey, tmp_path / "snarkjs_vk.json")
    expected_public = [3 * 3 * 200 + 7, 3]  # outputs, then public inputs

    # Our verification key export equals snarkjs's, field for field (vk_alphabeta_12 included).
    assert verification_key(read_zkey(zkey)) == json.loads(vk.read_text())

    # 1. snarkjs accepts a proof from our setup and prover on the circom .r1cs ...
    ours = tmp_path / "ours"
    ours.mkdir()
    _, witness = read_wtns(wtns)
    our_zkey = setup_unsafe_dev(read_r1cs(build.r1cs), curve, rng=random.Random(5))
    # Same layout as snarkjs's key: sizes, and the coefficients (public-binding rows included).
    their_zkey = read_zkey(zkey)
    for attr in ("n_vars", "n_public", "domain_size", "coeffs"):
        assert getattr(our_zkey, attr) == getattr(their_zkey, attr), attr
    proof, public = prove(our_zkey, witness)
    assert public == expected_public
    write_json(ours / "vk.json", verification_key(our_zkey))
    write_proof(ours / "proof.json", proof)
    write_public(ours / "public.json", public)
    assert groth16_verify(ours / "vk.json", ours / "public.json", ours / "proof.json")
    # ... and rejects it for another statement, so that acceptance is not vacuous.
    write_public(ours / "public.json", [public[0] + 1, public[1]])
    assert not groth16_verify(ours / "vk.json", ours / "public.json", ours / "proof.json")

    # 2. We accept snarkjs's proof (library and CLI), and reject it for another statement.
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    proof_path, public_path = groth16_prove(zkey, wtns, theirs)
    public = read_public(public_path)
    assert verify(read_verification_key(vk), public, read_proof(proof_path))
    assert not verify(read_verification_key(vk), [public[0], public[1] + 1], read_proof(proof_path))
    result = CliRunner().invoke(
        main, ["groth16", "verify", str(vk), str(public_path), str(proof_path)]
    )
    assert result.exit_code == 0, result.output

    # 3. Our prover (CLI) on snarkjs's .zkey (with a contribution) and .wtns: snarkjs accepts.
    proof_path, public_path = tmp_path / "proof.json", tmp_path / "public.json"
    args = ["groth16", "prove", str(zkey), str(wtns), str(proof_path), str(public_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(public_path.read_text()) == [str(v) for v in expected_public]
    assert groth16_verify(vk, public_path, proof_path)
