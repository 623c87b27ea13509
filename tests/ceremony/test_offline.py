"""Offline contributions: export challenge → challenge contribute → import response, with
snarkjs on either side, and a response that does not hold refused in one line beside the
honest one that imports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from interop import run_tool

from zkmargin.ceremony import encoding, ptau_verify
from zkmargin.ceremony.keys import CURVE
from zkmargin.cli import main
from zkmargin.formats.ptau import FQ, NO_HASH, PtauFile, g1_bytes, g2_bytes
from zkmargin.formats.ptau_contributions import read_contributions

Q = CURVE.q
TAU_G2_AT = 64 + (2 ** (5 + 1) - 1) * 32  # the response's tauG2 section (power 5)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(res, status: int, *words: str) -> None:
    assert res.exit_code == status, res.output
    assert res.output.count("\n") == 1, res.output  # one line
    for w in words:
        assert w in res.output, res.output


@dataclass(frozen=True)
class Offline:
    ptau: Path  # alice's file, the one the challenge is exported from
    challenge: Path
    response: Path  # an honest answer to it
    imported: Path


@pytest.fixture(scope="module")
def offline(ptaus, tmp_path_factory) -> Offline:
    d = tmp_path_factory.mktemp("offline")
    assert run("powersoftau", "export", "challenge", ptaus.alice, d / "challenge").exit_code == 0
    res = run("powersoftau", "challenge", "contribute", "bn128", d / "challenge", "-e", "carol")
    assert res.exit_code == 0, res.output
    res = run("powersoftau", "import", "response", ptaus.alice, d / "challenge.response",
              d / "imported.ptau", "-n", "carol")  # fmt: skip
    assert res.exit_code == 0, res.output
    return Offline(ptaus.alice, d / "challenge", d / "challenge.response", d / "imported.ptau")


def edited(src: Path, dst: Path, offset: int, new: bytes) -> Path:
    data = bytearray(src.read_bytes())
    data[offset : offset + len(new)] = new
    dst.write_bytes(bytes(data))
    return dst


# --- the honest flow --------------------------------------------------------------------------
def test_imported_contribution_verifies_and_chains(offline) -> None:
    res = run("powersoftau", "verify", offline.imported)
    assert res.exit_code == 0, res.output
    assert "contribution #2 carol" in res.output
    # the challenge hash is what the ptau recorded, and the imported file continues from it
    before, after = (read_contributions(PtauFile(p)) for p in (offline.ptau, offline.imported))
    assert after[:1] == before
    ptau_verify.check_contribution(after[1], before[0], 2)  # raises when it does not follow


def test_points_round_trip_through_both_encodings() -> None:
    g1 = [CURVE.g1_mul(CURVE.g1, k) for k in (1, 2, 7, CURVE.r - 1)] + [None]
    g2 = [CURVE.g2_mul(CURVE.g2, k) for k in (1, 3, CURVE.r - 2)] + [None]
    for pts, b, width in (
        ([g1_bytes(p) for p in g1], FQ.to_mont([CURVE.b]), 32),
        ([g2_bytes(p) for p in g2], FQ.to_mont(CURVE.b2), 64),
    ):
        arr = np.frombuffer(b"".join(pts), "<u8").reshape(len(pts), 2, -1, 4)
        for enc, dec, w in (
            (encoding.compressed, encoding.from_compressed, width),
            (encoding.uncompressed, encoding.from_uncompressed, 2 * width),
        ):
            rows = np.frombuffer(enc(arr, FQ), np.uint8).reshape(len(pts), w)
            back, bad = dec(rows, FQ, b)
            assert bad == -1 and (back == arr).all()


def test_non_canonical_encodings_are_invalid() -> None:
    b = FQ.to_mont([CURVE.b])
    g = np.frombuffer(encoding.compressed(np.frombuffer(g1_bytes(CURVE.g1), "<u8").reshape(1, 2, 1, 4), FQ), np.uint8)  # fmt: skip
    assert encoding.from_compressed(g.reshape(1, 32), FQ, b)[1] == -1  # control
    for raw in (
        (Q + 1).to_bytes(32, "big"),  # x = 1 + q: not reduced
        bytes([0x40]) + bytes(30) + b"\x01",  # infinity with stray bits
        bytes([0xC0]) + bytes(31),  # infinity flagged negative
    ):
        assert encoding.from_compressed(np.frombuffer(raw, np.uint8).reshape(1, 32), FQ, b)[1] == 0


# --- refusals, each beside the honest response ------------------------------------------------
def test_response_to_another_challenge_is_refused(offline, ptaus, tmp_path) -> None:
    assert run("powersoftau", "import", "response", offline.ptau, offline.response,
               tmp_path / "ok.ptau").exit_code == 0  # fmt: skip
    res = run("powersoftau", "import", "response", ptaus.bob, offline.response, tmp_path / "x.ptau")
    refused(res, 1, "invalid: ", "answers challenge", "not")
    assert not (tmp_path / "x.ptau").exists()


def _non_residue_x() -> int:
    x = 1
    while pow(x**3 + CURVE.b, (Q - 1) // 2, Q) == 1:
        x += 1
    return x


def _twist_point_outside_g2() -> bytes:
    """A compressed x (in F_p) with a point on the twist: almost surely not in G2."""
    (b0, b1), x = CURVE.b2, 1
    while pow(((x**3 + b0) ** 2 + b1**2) % Q, (Q - 1) // 2, Q) != 1:
        x += 1
    return bytes(32) + x.to_bytes(32, "big")


@pytest.mark.parametrize(
    ("offset", "new", "message"),
    [
        (64 + 3 * 32, lambda: _non_residue_x().to_bytes(32, "big"),
         "tauG1: point #3 is not a point of the curve"),
        (TAU_G2_AT + 2 * 64, _twist_point_outside_g2, "tauG2: point #2 is not in the G2 subgroup"),
    ],
    ids=["off-curve", "outside-subgroup"],
)  # fmt: skip
def test_invalid_point_is_refused(offline, tmp_path, offset, new, message) -> None:
    bad = edited(offline.response, tmp_path / "bad.response", offset, new())
    res = run("powersoftau", "import", "response", offline.ptau, bad, tmp_path / "x.ptau")
    refused(res, 1, "invalid: ", message)
    assert not (tmp_path / "x.ptau").exists()


def test_valid_points_that_are_not_the_powers_are_refused(offline, tmp_path) -> None:
    data = offline.response.read_bytes()
    swapped = data[64 + 4 * 32 : 64 + 5 * 32] + data[64 + 3 * 32 : 64 + 4 * 32]
    bad = edited(offline.response, tmp_path / "bad.response", 64 + 3 * 32, swapped)
    res = run("powersoftau", "import", "response", offline.ptau, bad, tmp_path / "x.ptau")
    refused(res, 1, "invalid: ", "tauG1 section: the points are not successive powers")


def test_forged_proof_of_knowledge_is_refused(offline, tmp_path) -> None:
    data = offline.response.read_bytes()
    key = len(data) - (6 * 64 + 3 * 128)
    alpha_s = data[key + 2 * 64 : key + 4 * 64]  # alpha's (s, x·s) in tau's place
    bad = edited(offline.response, tmp_path / "bad.response", key, alpha_s)
    res = run("powersoftau", "import", "response", offline.ptau, bad, tmp_path / "x.ptau")
    refused(res, 1, "invalid: ", "contribution #2: invalid proof of knowledge of tau")


def test_truncated_files_are_unreadable(offline, tmp_path) -> None:
    short = tmp_path / "short.response"
    short.write_bytes(offline.response.read_bytes()[:-1])
    res = run("powersoftau", "import", "response", offline.ptau, short, tmp_path / "x.ptau")
    refused(res, 2, "error: ", "size", "expected")
    assert not (tmp_path / "x.ptau").exists()
    cut = tmp_path / "cut"
    cut.write_bytes(offline.challenge.read_bytes()[:-64])
    res = run("powersoftau", "challenge", "contribute", "bn128", cut, tmp_path / "r", "-e", "x")
    refused(res, 2, "error: ", "not the size of a challenge")
    assert not (tmp_path / "r").exists()
    res = run("powersoftau", "challenge", "contribute", "bls12381", offline.challenge, "-e", "x")
    refused(res, 2, "CURVE")


def test_challenge_with_a_point_off_the_curve_is_unreadable(offline, tmp_path) -> None:
    at = 64 + 2 * 64 + 63  # the last byte of tauG1 point #2's y
    flipped = bytes([offline.challenge.read_bytes()[at] ^ 1])
    bad = edited(offline.challenge, tmp_path / "bad", at, flipped)
    res = run("powersoftau", "challenge", "contribute", "bn128", bad, tmp_path / "r", "-e", "x")
    refused(res, 2, "error: ", "tauG1", "point #2 is not on the curve")
    assert not (tmp_path / "r").exists()


# --- with snarkjs on the other side -----------------------------------------------------------
@pytest.mark.interop
def test_snarkjs_answers_our_challenge(snarkjs, offline, tmp_path) -> None:
    run_tool(snarkjs, "powersoftau", "export", "challenge", str(offline.ptau), str(tmp_path / "c"))
    assert (tmp_path / "c").read_bytes() == offline.challenge.read_bytes()
    run_tool(snarkjs, "powersoftau", "challenge", "contribute", "bn128", str(offline.challenge),
             str(tmp_path / "r"), "-e=dave")  # fmt: skip
    res = run("powersoftau", "import", "response", offline.ptau, tmp_path / "r",
              tmp_path / "p.ptau", "--name=dave")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Powers of Tau Ok!" in run_tool(snarkjs, "powersoftau", "verify", str(tmp_path / "p.ptau")).stdout  # fmt: skip
    # snarkjs imports the same response into the same bytes
    run_tool(snarkjs, "powersoftau", "import", "response", str(offline.ptau), str(tmp_path / "r"),
             str(tmp_path / "s.ptau"), "-n=dave")  # fmt: skip
    assert (tmp_path / "s.ptau").read_bytes() == (tmp_path / "p.ptau").read_bytes()


@pytest.mark.interop
def test_snarkjs_imports_our_response(snarkjs, offline, tmp_path) -> None:
    run_tool(snarkjs, "powersoftau", "import", "response", str(offline.ptau),
             str(offline.response), str(tmp_path / "s.ptau"), "-n=carol")  # fmt: skip
    assert (tmp_path / "s.ptau").read_bytes() == offline.imported.read_bytes()
    out = run_tool(snarkjs, "powersoftau", "verify", str(tmp_path / "s.ptau")).stdout
    assert "Powers of Tau Ok!" in out


# --- snarkjs's -nopoints and -nocheck ---------------------------------------------------------
@pytest.fixture(scope="module")
def transcript(offline, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("transcript") / "t.ptau"
    res = run("powersoftau", "import", "response", offline.ptau, offline.response, out,
              "-n", "carol", "-nopoints")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Next challenge hash: none" in res.output
    return out


def test_nopoints_writes_the_contributions_without_the_points(offline, transcript) -> None:
    full, short = PtauFile(offline.imported), PtauFile(transcript)
    assert full.has_points() and sorted(full.sections) == [1, 2, 3, 4, 5, 6, 7]
    assert not short.has_points() and sorted(short.sections) == [1, 7]
    (a1, c1), (a2, c2) = read_contributions(full), read_contributions(short)
    assert a1 == a2 and c2.next_challenge == NO_HASH
    assert replace(c2, next_challenge=c1.next_challenge) == c1


def test_import_into_a_transcript_adopts_the_challenge_answered(offline, transcript, tmp_path):
    assert (
        run("powersoftau", "export", "challenge", offline.imported, tmp_path / "c").exit_code == 0
    )
    assert run("powersoftau", "challenge", "contribute", "bn128", tmp_path / "c", tmp_path / "r",
               "-e", "dave").exit_code == 0  # fmt: skip
    res = run("powersoftau", "import", "response", transcript, tmp_path / "r", tmp_path / "p.ptau",
              "--name=dave")  # fmt: skip
    assert res.exit_code == 0, res.output
    res = run("powersoftau", "verify", tmp_path / "p.ptau")
    assert res.exit_code == 0, res.output
    assert "contribution #3 dave" in res.output
    # a response to the challenge before carol's does not follow carol's contribution
    res = run("powersoftau", "import", "response", transcript, offline.response,
              tmp_path / "x.ptau")  # fmt: skip
    refused(res, 1, "invalid: ", "contribution #3: tau·G1 does not follow the previous one")
    assert not (tmp_path / "x.ptau").exists()


def test_a_transcript_has_no_points_to_verify(transcript, tmp_path) -> None:
    refused(run("powersoftau", "verify", transcript), 2, "error: ", "section 2 (tauG1): missing")
    res = run("powersoftau", "export", "challenge", transcript, tmp_path / "c")
    refused(res, 2, "missing (a transcript without points)")


@pytest.mark.parametrize("flag", ["-nocheck", "--nocheck"])
def test_nocheck_imports_what_verify_then_refuses(offline, tmp_path, flag) -> None:
    data = offline.response.read_bytes()
    key = len(data) - (6 * 64 + 3 * 128)
    bad = edited(offline.response, tmp_path / "bad.response", key, data[key + 128 : key + 256])
    res = run("powersoftau", "import", "response", offline.ptau, bad, tmp_path / "x.ptau")
    refused(res, 1, "invalid proof of knowledge of tau")  # checked by default
    res = run("powersoftau", "import", "response", offline.ptau, bad, tmp_path / "x.ptau", flag)
    assert res.exit_code == 0, res.output
    res = run("powersoftau", "verify", tmp_path / "x.ptau")
    refused(res, 1, "invalid: ", "contribution #2: invalid proof of knowledge of tau")
    # the response must still answer the file's challenge
    res = run("powersoftau", "import", "response", offline.imported, offline.response,
              tmp_path / "y.ptau", flag)  # fmt: skip
    refused(res, 1, "answers challenge")


@pytest.mark.interop
def test_snarkjs_writes_the_same_transcript(snarkjs, offline, transcript, tmp_path) -> None:
    run_tool(snarkjs, "powersoftau", "import", "response", str(offline.ptau),
             str(offline.response), str(tmp_path / "s.ptau"), "-n=carol", "-nopoints")  # fmt: skip
    assert (tmp_path / "s.ptau").read_bytes() == transcript.read_bytes()
