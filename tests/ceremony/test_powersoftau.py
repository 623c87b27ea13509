"""Powers of tau: our files verify, and each kind of tampering is refused beside its control."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from tamper import copy_with, replace_section, section

from zkmargin.ceremony import powersoftau as pt
from zkmargin.ceremony import prepare, ptau_verify
from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.cli import main
from zkmargin.formats.ptau import CONTRIBUTIONS, PtauFile
from zkmargin.formats.ptau_contributions import (
    decode_contributions,
    encode_contributions,
    read_contributions,
)


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_verify_accepts_the_chain_and_lists_contributions(ptaus) -> None:
    res = run("powersoftau", "verify", ptaus.final)
    assert res.exit_code == 0, res.output
    assert "contribution #1 alice" in res.output and "contribution #3 beacon (beacon)" in res.output
    assert "OK: powers of tau verified" in res.output


def test_a_file_without_contributions_is_refused(ptaus) -> None:
    res = run("powersoftau", "verify", ptaus.new)
    assert res.exit_code == 1
    assert "no contributions" in res.output


def test_response_hash_resumes_from_the_partial_hash(ptaus) -> None:
    """The stored partial hash plus the public key give the response hash that the next
    challenge was computed from (BLAKE2b of response ‖ points)."""
    contribs = read_contributions(PtauFile(ptaus.alice))
    response = ptau_verify.response_hash(contribs[0])
    resumed = Blake2b.resume(contribs[0].partial_hash)
    assert resumed.digest() != response  # the key matters
    points = b"".join(
        __import__("zkmargin.ceremony.encoding", fromlist=["x"]).uncompressed(
            PtauFile(ptaus.alice).points(sid), pt.FQ
        )
        for sid in pt.POINT_SECTIONS
    )
    assert hashlib.blake2b(response + points).digest() == contribs[0].next_challenge


def test_tampered_point_is_refused(ptaus, tmp_path) -> None:
    pf = PtauFile(ptaus.beacon)
    fourth = pf.points(2, 4, 1).tobytes()  # a valid point, in the wrong place
    bad = copy_with(ptaus.beacon, tmp_path / "bad.ptau", 2, 5 * 64, fourth)
    assert run("powersoftau", "verify", ptaus.beacon).exit_code == 0  # control
    res = run("powersoftau", "verify", bad)
    assert res.exit_code == 1
    assert "tauG1 section" in res.output


def test_tampered_proof_of_knowledge_is_refused(ptaus, tmp_path) -> None:
    contribs = read_contributions(PtauFile(ptaus.bob))
    alpha = contribs[0].keys[1]
    forged = contribs[0].keys[0].__class__(alpha.g1_s, alpha.g1_sx, contribs[0].keys[0].g2_spx)
    contribs[0].keys = (forged, *contribs[0].keys[1:])
    bad = replace_section(
        ptaus.bob, tmp_path / "bad.ptau", CONTRIBUTIONS, encode_contributions(contribs)
    )
    res = run("powersoftau", "verify", bad)
    assert res.exit_code == 1
    assert "contribution #1 (alice): invalid proof of knowledge of tau" in res.output


def test_broken_chain_is_refused(ptaus, tmp_path) -> None:
    """Dropping a middle contribution's record: the next one no longer follows."""
    contribs = read_contributions(PtauFile(ptaus.beacon))
    del contribs[1]
    bad = replace_section(
        ptaus.beacon, tmp_path / "bad.ptau", CONTRIBUTIONS, encode_contributions(contribs)
    )
    res = run("powersoftau", "verify", bad)
    assert res.exit_code == 1
    assert "contribution #2 (beacon)" in res.output


def test_tampered_lagrange_section_is_refused(ptaus, tmp_path) -> None:
    pf = PtauFile(ptaus.final)
    level3 = pf.lagrange(12, 3)
    swapped = level3[[1, 0, *range(2, 8)]].tobytes()
    bad = copy_with(ptaus.final, tmp_path / "bad.ptau", 12, 7 * 64, swapped)
    res = run("powersoftau", "verify", bad)
    assert res.exit_code == 1
    assert "section 12 (lagrange tauG1): level 2^3" in res.output


def test_contributions_section_round_trips(ptaus) -> None:
    data = section(ptaus.beacon, CONTRIBUTIONS)
    assert encode_contributions(decode_contributions(data, "x")) == data


@pytest.mark.parametrize("form", [["--name", "dave", "-e", "xyz"], ["--name=dave", "-e=xyz"]])
def test_both_option_forms(ptaus, tmp_path, form) -> None:
    out = tmp_path / "d.ptau"
    res = run("powersoftau", "contribute", ptaus.new, out, *form)
    assert res.exit_code == 0, res.output
    assert read_contributions(PtauFile(out))[0].name == "dave"


def test_unreadable_input_exits_2(tmp_path) -> None:
    res = run("powersoftau", "verify", tmp_path / "missing.ptau")
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and "cannot read" in res.output
    (tmp_path / "junk.ptau").write_bytes(b"zkey" + bytes(20))
    res = run("powersoftau", "contribute", tmp_path / "junk.ptau", tmp_path / "o.ptau", "-e", "x")
    assert res.exit_code == 2 and "not a ptau file" in res.output
    assert not (tmp_path / "o.ptau").exists()


def test_beacon_parameters_are_checked(ptaus, tmp_path) -> None:
    res = run("powersoftau", "beacon", ptaus.bob, tmp_path / "b.ptau", "xyz", "10")
    assert res.exit_code == 2 and "HASH" in res.output
    res = run("powersoftau", "beacon", ptaus.bob, tmp_path / "b.ptau", "0102", "9")
    assert res.exit_code == 2 and "ITERATIONS" in res.output


def test_contribute_matches_powers_from_the_secrets(tmp_path) -> None:
    """An independent oracle: the dealer multiplies the generators by τ^i, α·τ^i, β·τ^i;
    contribute gets the same bytes (hashes and record included) by scaling a new file."""
    from dealer import SEED, contributed_ptau

    from zkmargin.ceremony.chacha import ChaCha

    pt.new(3, str(tmp_path / "0.ptau"))
    pt.contribute(str(tmp_path / "0.ptau"), str(tmp_path / "1.ptau"), "dealer", ChaCha(SEED))
    oracle = contributed_ptau(tmp_path / "oracle.ptau", 3)
    assert (tmp_path / "1.ptau").read_bytes() == oracle.read_bytes()


def test_prepare_phase2_matches_lagrange_points_from_the_secrets(tmp_path) -> None:
    """An independent oracle: the dealer computes L_i(τ) from τ and multiplies the generator;
    prepare phase2 gets the same bytes by inverse FFTs of the powers alone."""
    from dealer import dealer_ptau

    oracle = dealer_ptau(tmp_path, 3)
    prepare.prepare_phase2(str(tmp_path / "dealer1.ptau"), str(tmp_path / "prepared.ptau"))
    assert (tmp_path / "prepared.ptau").read_bytes() == oracle.read_bytes()


def test_prepare_phase2_of_a_new_file_gives_the_generator_then_infinities(tmp_path) -> None:
    """With ``τ = α = β = 1`` (a new file), ``L_i(1)`` is 1 for ``i = 0`` and 0 otherwise:
    every level of every Lagrange section is the generator followed by infinities (tauG1's
    extra top level lacks its last power, so it is not of this form). The butterflies meet
    equal and opposite points all the way through."""
    from zkmargin.formats.ptau import LAGRANGE, PtauFile, is_g2

    pt.new(3, str(tmp_path / "0.ptau"))
    prepare.prepare_phase2(str(tmp_path / "0.ptau"), str(tmp_path / "p.ptau"))
    pf = PtauFile(str(tmp_path / "p.ptau"))
    for sid, lag in LAGRANGE.items():
        size = 64 * (2 if is_g2(sid) else 1)
        gen = pf.points(sid, 0, 1).tobytes()
        for p in range(pf.power + 1):
            level = pf.points(lag, (1 << p) - 1, 1 << p).tobytes()
            assert level[:size] == gen and level[size:] == bytes(size * ((1 << p) - 1)), (sid, p)
