"""Phase 2 on zkeys: the chain verifies, proofs from the final key verify, and a key checked
against another circuit or ptau, or with a tampered contribution, is refused."""

from __future__ import annotations

import struct

from click.testing import CliRunner
from tamper import copy_with, replace_section, section

from zkmargin.ceremony import zkey_contribute
from zkmargin.cli import main
from zkmargin.formats.zkey_arrays import read_zkey_arrays
from zkmargin.groth16 import prove, verification_key, verify


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_verify_accepts_the_chain(keys, ptaus) -> None:
    res = run("zkey", "verify", keys.r1cs, ptaus.final, keys.final)
    assert res.exit_code == 0, res.output
    assert "contribution #1 carol" in res.output and "contribution #2 final (beacon)" in res.output


def test_initial_key_verifies_with_no_contribution(keys, ptaus) -> None:
    res = run("zkey", "verify", keys.r1cs, ptaus.final, keys.init)
    assert res.exit_code == 0, res.output
    assert "(0 contributions)" in res.output


def test_other_circuit_is_refused(keys, ptaus) -> None:
    res = run("zkey", "verify", keys.other_r1cs, ptaus.final, keys.final)
    assert res.exit_code == 1
    assert res.output.startswith("invalid: ") and "different circuit sizes" in res.output


def test_other_ptau_is_refused(keys, ptaus) -> None:
    res = run("zkey", "verify", keys.r1cs, ptaus.other, keys.final)
    assert res.exit_code == 1
    assert "alpha, beta or gamma differ from the ptau's" in res.output


def test_tampered_l_section_is_refused(keys, ptaus, tmp_path) -> None:
    l_points = section(keys.final, 8)
    bad = copy_with(keys.final, tmp_path / "bad.zkey", 8, 0, l_points[64:128])  # L[1] as L[0]
    res = run("zkey", "verify", keys.r1cs, ptaus.final, bad)
    assert res.exit_code == 1
    assert "section 8 (L)" in res.output


def test_l_point_off_the_curve_is_refused(keys, ptaus, tmp_path) -> None:
    """A point of another curve (x, y + 1) in L: refused by its curve equation, before the
    ratio check, whose MSM never reads the curve's b. The untampered key is the control."""
    l_points = bytearray(section(keys.final, 8)[:64])
    y = int.from_bytes(l_points[32:64], "little") + 1
    l_points[32:64] = y.to_bytes(32, "little")
    bad = copy_with(keys.final, tmp_path / "off.zkey", 8, 0, bytes(l_points))
    res = run("zkey", "verify", keys.r1cs, ptaus.final, bad)
    assert res.exit_code == 1, res.output
    assert "section 8 (L): point #0 is not on the curve" in res.output
    assert run("zkey", "verify", keys.r1cs, ptaus.final, keys.final).exit_code == 0


def test_unreadable_ptau_exits_2(keys, tmp_path) -> None:
    res = run("zkey", "verify", keys.r1cs, tmp_path / "missing.ptau", keys.final)
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and "cannot read" in res.output


def test_tampered_contribution_is_refused(keys, ptaus, tmp_path) -> None:
    circuit_hash, contribs = zkey_contribute.decode_mpc(section(keys.final, 10), "x")
    c = contribs[0]
    forged = c.__class__(c.delta_after, c.g1_sx, c.g1_s, c.g2_spx, c.transcript, c.type, c.name)
    payload = zkey_contribute.encode_mpc(circuit_hash, [forged, contribs[1]])
    bad = replace_section(keys.final, tmp_path / "bad.zkey", 10, payload)
    res = run("zkey", "verify", keys.r1cs, ptaus.final, bad)
    assert res.exit_code == 1
    assert "contribution #1 (carol): inconsistent transcript" in res.output


def test_tampered_section_is_refused(keys, ptaus, tmp_path) -> None:
    h_points = section(keys.final, 9)
    bad = copy_with(keys.final, tmp_path / "bad.zkey", 9, 0, h_points[64:128])  # H[1] as H[0]
    res = run("zkey", "verify", keys.r1cs, ptaus.final, bad)
    assert res.exit_code == 1
    assert "section 9 (H)" in res.output


def test_delta_swapped_for_another_is_refused(keys, ptaus, tmp_path) -> None:
    off = 4 + 32 + 4 + 32 + 12 + 2 * 64 + 2 * 128
    bad = copy_with(
        keys.final, tmp_path / "bad.zkey", 2, off, section(keys.init, 2)[off : off + 64]
    )
    res = run("zkey", "verify", keys.r1cs, ptaus.final, bad)
    assert res.exit_code == 1
    assert "delta1 is not the last contribution's" in res.output


def test_proof_from_the_final_key_verifies(keys) -> None:
    arrays = read_zkey_arrays(keys.final)
    proof, public = prove(arrays, keys.witness)
    from zkmargin.formats.zkey import read_zkey

    vk = verification_key(read_zkey(keys.final))
    assert verify(vk, public, proof)
    assert not verify(vk, [public[0] + 1, *public[1:]], proof)  # control: a wrong statement


def test_contribution_changes_only_delta_l_h_and_the_record(keys, ptaus) -> None:
    for sid in (1, 3, 4, 5, 6, 7):
        assert section(keys.final, sid) == section(keys.init, sid)
    for sid in (8, 9, 10):
        assert section(keys.final, sid) != section(keys.init, sid)
    (n,) = struct.unpack_from("<I", section(keys.final, 10), 64)
    assert n == 2


def test_key_info_records_a_known_setup() -> None:
    import pytest

    from zkmargin.batch import Shape
    from zkmargin.errors import InputError
    from zkmargin.solvency.keys import KeyInfo

    shape = Shape(batch_size=1, slots=1, instruments=8, assets=1, tiers=1).to_json()
    doc = {"format": "zkmargin-keys/2", "circuit": "cross", "model": "cross", "shape": shape,
           "curve": "bn128", "constraints": 1, "wires": 2, "fingerprint": "00"}  # fmt: skip
    for setup in ("unsafe-dev", "phase2-start", "ceremony"):
        assert KeyInfo.from_json({**doc, "setup": setup}, "circuit.json").setup == setup
    with pytest.raises(InputError, match="setup: must be one of"):
        KeyInfo.from_json({**doc, "setup": "trusted"}, "circuit.json")
