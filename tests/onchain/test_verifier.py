"""The exported Solidity verifier in a real EVM: it accepts every batch proof of a real report,
refuses anything else with ``false`` (never a revert), and agrees with snarkjs's own verifier."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from evm import Chain, Compiled, words
from interop import tool

from zkmargin.cli import main
from zkmargin.curve import curve_by_name
from zkmargin.formats.snarkjs_json import Proof, proof_to_json, write_json
from zkmargin.onchain import proof_words, solidity_calldata

pytestmark = pytest.mark.interop

BN = curve_by_name("bn128")
SIGNATURE = "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[1])"


def verify(chain: Chain, contract: Compiled, proof_data: list[int], public: list[int]):
    address = chain.deploy(contract)
    return chain.call(address, contract.selectors[SIGNATURE] + words(*proof_data, *public))


@pytest.mark.parametrize("which", ["ours", "snarkjs"])
def test_every_batch_verifies(contracts, chain, which) -> None:
    """Our verifier, and snarkjs's (the control), accept each batch proof of the report."""
    contract = getattr(contracts, which)
    for batch in contracts.batches:
        receipt = verify(chain, contract, proof_words(batch.proof), batch.public)
        assert receipt.success and receipt.word == 1
        if which == "ours":
            assert receipt.gas <= 300_000  # the whole transaction, intrinsic gas included


def _tampered_proofs(proof: Proof) -> dict[str, list[int]]:
    a2 = BN.g1_add(proof.a, proof.a)  # a valid point, the wrong one
    words_ = proof_words(proof)
    out = {
        "A doubled": proof_words(Proof(proof.curve, a2, proof.b, proof.c)),
        "C negated": proof_words(Proof(proof.curve, proof.a, proof.b, BN.g1_neg(proof.c))),
        "B coordinates swapped": [*words_[:2], *words_[3:1:-1], *words_[5:3:-1], *words_[6:]],
        "A off the curve": [words_[0] + 1, *words_[1:]],
        "A.y + q (a second encoding)": [words_[0], words_[1] + BN.q, *words_[2:]],
    }  # fmt: skip
    return out


def test_refuses_tampered_proof_or_input(contracts, chain) -> None:
    batch = contracts.batches[0]
    honest = proof_words(batch.proof)
    r = BN.fr.p
    assert verify(chain, contracts.ours, honest, batch.public).word == 1  # control
    cases = {name: (w, batch.public) for name, w in _tampered_proofs(batch.proof).items()}
    cases["public input + 1"] = (honest, [(batch.public[0] + 1) % r])
    cases["public input + r (>= r)"] = (honest, [batch.public[0] + r])
    cases["another batch's input"] = (honest, contracts.batches[1].public)
    for name, (proof_data, public) in cases.items():
        receipt = verify(chain, contracts.ours, proof_data, public)
        assert receipt.success, f"{name}: reverted instead of returning false"
        assert receipt.word == 0, f"{name}: accepted"


def test_calldata_is_snarkjs_text(contracts, proven, tmp_path) -> None:
    """`zkey export soliditycalldata` prints exactly what snarkjs prints."""
    batch = proven / "report" / "batches" / "1"
    args = [str(batch / "public.json"), str(batch / "proof.json")]
    ours = CliRunner().invoke(main, ["zkey", "export", "soliditycalldata", *args])
    assert ours.exit_code == 0, ours.output
    theirs = subprocess.run(
        [tool("snarkjs"), "zkey", "export", "soliditycalldata", *args],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    assert ours.output == theirs.stdout
    b = contracts.batches[1]
    assert ours.output.strip() == solidity_calldata(b.proof, b.public)


def test_cli_exports_the_same_verifier_from_zkey_and_vk(keys_dir, tmp_path) -> None:
    runner = CliRunner()
    for source, out in (("circuit.zkey", "a.sol"), ("verification_key.json", "b.sol")):
        result = runner.invoke(
            main,
            ["zkey", "export", "solidityverifier", str(keys_dir / source), str(tmp_path / out)],
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.sol").read_text() == (tmp_path / "b.sol").read_text()
    assert "pragma solidity >=0.8.0 <0.9.0;" in (tmp_path / "a.sol").read_text()


def test_bls12381_is_refused_naming_the_precompiles(keys_dir, tmp_path) -> None:
    vk = json.loads((keys_dir / "verification_key.json").read_text())
    # A BLS12-381 key (any valid one): the generators stand in for the key's points.
    bls = curve_by_name("bls12381")
    g1 = [str(bls.g1[0]), str(bls.g1[1]), "1"]
    (x0, x1), (y0, y1) = bls.g2
    g2 = [[str(x0), str(x1)], [str(y0), str(y1)], ["1", "0"]]
    vk.update(curve="bls12381", vk_alpha_1=g1, vk_beta_2=g2, vk_gamma_2=g2, vk_delta_2=g2,
              IC=[g1, g1])  # fmt: skip
    vk.pop("vk_alphabeta_12", None)
    write_json(tmp_path / "vk.json", vk)
    result = CliRunner().invoke(
        main,
        ["zkey", "export", "solidityverifier", str(tmp_path / "vk.json"), str(tmp_path / "v.sol")],
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {tmp_path / 'vk.json'}: curve: bls12381")
    assert "EIP-2537" in result.output and "BLS12_PAIRING_CHECK" in result.output
    assert not (tmp_path / "v.sol").exists()
    write_json(tmp_path / "proof.json", proof_to_json(Proof("bls12381", bls.g1, bls.g2, bls.g1)))
    write_json(tmp_path / "public.json", ["1"])
    result = CliRunner().invoke(
        main, ["zkey", "export", "soliditycalldata", str(tmp_path / "public.json"),
               str(tmp_path / "proof.json")],
    )  # fmt: skip
    assert result.exit_code == 2 and "BLS12_PAIRING_CHECK" in result.output


def test_key_without_public_signals_is_refused(keys_dir, tmp_path) -> None:
    vk = json.loads((keys_dir / "verification_key.json").read_text())
    vk.update(nPublic=0, IC=vk["IC"][:1])
    write_json(tmp_path / "vk.json", vk)
    result = CliRunner().invoke(
        main,
        ["zkey", "export", "solidityverifier", str(tmp_path / "vk.json"), str(tmp_path / "v.sol")],
    )
    assert result.exit_code == 2 and "nPublic: 0" in result.output
    assert not (tmp_path / "v.sol").exists()
