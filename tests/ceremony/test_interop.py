"""snarkjs accepts our ceremony files and we accept its: both ways, byte for byte where the
files are deterministic."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import BEACON, POWER
from interop import run_tool

from zkmargin.cli import main
from zkmargin.formats.snarkjs_json import write_proof, write_public
from zkmargin.formats.zkey_arrays import read_zkey_arrays
from zkmargin.groth16 import prove

pytestmark = pytest.mark.interop


def zk(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


def test_new_is_byte_identical(snarkjs, ptaus, tmp_path) -> None:
    run_tool(snarkjs, "powersoftau", "new", "bn128", str(POWER), str(tmp_path / "s.ptau"))
    assert (tmp_path / "s.ptau").read_bytes() == ptaus.new.read_bytes()


def test_snarkjs_verifies_our_ptau(snarkjs, ptaus) -> None:
    out = run_tool(snarkjs, "powersoftau", "verify", str(ptaus.final)).stdout
    assert "Powers of Tau Ok!" in out


def test_beacon_is_byte_identical(snarkjs, ptaus, tmp_path) -> None:
    """The same beacon on the same file: the same bytes, down to the saved partial hash."""
    run_tool(snarkjs, "powersoftau", "beacon", str(ptaus.bob), str(tmp_path / "s.ptau"), BEACON,
             "10", "-n=beacon")  # fmt: skip
    assert (tmp_path / "s.ptau").read_bytes() == ptaus.beacon.read_bytes()


def test_prepare_phase2_is_byte_identical(snarkjs, ptaus, tmp_path) -> None:
    run_tool(
        snarkjs, "powersoftau", "prepare", "phase2", str(ptaus.beacon), str(tmp_path / "s.ptau")
    )
    assert (tmp_path / "s.ptau").read_bytes() == ptaus.final.read_bytes()


@pytest.mark.slow
def test_snarkjs_ptau_feeds_ours(snarkjs, keys, tmp_path) -> None:
    s = tmp_path
    run_tool(snarkjs, "powersoftau", "new", "bn128", str(POWER), str(s / "0.ptau"))
    run_tool(
        snarkjs,
        "powersoftau",
        "contribute",
        str(s / "0.ptau"),
        str(s / "1.ptau"),
        "--name=x",
        "-e=y",
    )
    run_tool(snarkjs, "powersoftau", "prepare", "phase2", str(s / "1.ptau"), str(s / "f.ptau"))
    out = zk("powersoftau", "verify", s / "f.ptau")
    assert "contribution #1 x" in out
    zk("powersoftau", "contribute", s / "1.ptau", s / "2.ptau", "--name=ours", "-e=z")
    run_tool(snarkjs, "powersoftau", "verify", str(s / "2.ptau"))
    # the initial key from their ptau: the same bytes as theirs
    zk("groth16", "setup", keys.r1cs, s / "f.ptau", s / "ours.zkey")
    run_tool(snarkjs, "groth16", "setup", str(keys.r1cs), str(s / "f.ptau"), str(s / "theirs.zkey"))
    assert (s / "ours.zkey").read_bytes() == (s / "theirs.zkey").read_bytes()


@pytest.mark.slow
def test_mixed_phase2_chain_verifies_in_both(snarkjs, keys, ptaus, tmp_path) -> None:
    """zkmargin setup -> snarkjs contribute -> zkmargin contribute -> snarkjs beacon."""
    s = tmp_path
    zk("groth16", "setup", keys.r1cs, ptaus.final, s / "0.zkey")
    run_tool(
        snarkjs, "groth16", "setup", str(keys.r1cs), str(ptaus.final), str(s / "snarkjs0.zkey")
    )
    assert (s / "0.zkey").read_bytes() == (s / "snarkjs0.zkey").read_bytes()
    run_tool(
        snarkjs, "zkey", "contribute", str(s / "0.zkey"), str(s / "1.zkey"), "--name=s", "-e=a"
    )
    zk("zkey", "contribute", s / "1.zkey", s / "2.zkey", "--name", "z", "-e", "b")
    run_tool(
        snarkjs, "zkey", "beacon", str(s / "2.zkey"), str(s / "3.zkey"), BEACON, "10", "-n=fin"
    )
    out = zk("zkey", "verify", keys.r1cs, ptaus.final, s / "3.zkey")
    assert "contribution #3 fin (beacon)" in out
    assert (
        "ZKey Ok!"
        in run_tool(
            snarkjs, "zkey", "verify", str(keys.r1cs), str(ptaus.final), str(s / "3.zkey")
        ).stdout
    )
    # our beacon on the same input is snarkjs's, byte for byte
    zk("zkey", "beacon", s / "2.zkey", s / "3b.zkey", BEACON, "10", "-n=fin")
    assert (s / "3b.zkey").read_bytes() == (s / "3.zkey").read_bytes()
    # a proof from the final key verifies in snarkjs, with our exported key
    zk("zkey", "export", "verificationkey", s / "3.zkey", s / "vk.json")
    run_tool(snarkjs, "zkey", "export", "verificationkey", str(s / "3.zkey"), str(s / "vk_s.json"))
    assert json.loads((s / "vk.json").read_text()) == json.loads((s / "vk_s.json").read_text())
    proof, public = prove(read_zkey_arrays(s / "3.zkey"), keys.witness)
    write_proof(s / "proof.json", proof)
    write_public(s / "public.json", public)
    out = run_tool(
        snarkjs,
        "groth16",
        "verify",
        str(s / "vk.json"),
        str(s / "public.json"),
        str(s / "proof.json"),
    ).stdout
    assert "OK" in out
    bad = [public[0] + 1, *public[1:]]
    write_public(s / "bad.json", bad)
    with pytest.raises(AssertionError):  # control: snarkjs refuses a wrong statement
        run_tool(
            snarkjs,
            "groth16",
            "verify",
            str(s / "vk.json"),
            str(s / "bad.json"),
            str(s / "proof.json"),
        )
