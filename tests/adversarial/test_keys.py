"""Verifying keys: a report fabricated under a degenerate key, each kind of degenerate key, and
pinning the key the exchange published (file or fingerprint)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from adversarial.forge import (
    cli,
    fabricate,
    forged_proof,
    gamma_equals_delta,
    honest_key,
    read,
    write,
)

from zkmargin.curve import BN254
from zkmargin.formats.snarkjs_json import vk_to_json
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.groth16 import verify
from zkmargin.groth16.key_checks import key_defect
from zkmargin.solvency import layout, verify_report

G1, G2 = BN254.g1, BN254.g2


def test_honest_report_verifies_and_says_its_key_is_not_pinned(proven: Path) -> None:
    code, out = cli("verify", proven / "report")
    assert code == 0, out
    fp = vk_fingerprint(honest_key(proven / "report"))
    assert f"verifying key {fp}: NOT PINNED, it came from the report itself" in out
    assert "warning: the verifying key came from the report itself" in out


def test_report_fabricated_under_gamma_equal_delta_is_refused(report_copy: Path) -> None:
    vk = gamma_equals_delta(honest_key(report_copy))
    # The forgery is real: the pairing check alone accepts a proof made from nothing.
    assert verify(vk, [12345], forged_proof(vk, 12345))
    fabricate(report_copy, vk, scale=1000)
    published = report_copy.parent / "published_vk.json"
    write(published, vk_to_json(vk))
    for pin in ([], ["--vk", published], ["--vk-fingerprint", vk_fingerprint(vk)]):
        code, out = cli("verify", report_copy, *pin)
        assert code == 1, out
        assert out.strip().splitlines()[-1] == (
            "invalid: verification_key.json: vk_delta_2: equals vk_gamma_2 (up to sign): anyone "
            "can forge proofs"
        )


DEFECTS = {
    "alpha_infinity": (lambda vk: replace(vk, alpha1=None), "vk_alpha_1: point at infinity"),
    "beta_infinity": (lambda vk: replace(vk, beta2=None), "vk_beta_2: point at infinity"),
    "gamma_infinity": (lambda vk: replace(vk, gamma2=None), "vk_gamma_2: point at infinity"),
    "delta_infinity": (lambda vk: replace(vk, delta2=None), "vk_delta_2: point at infinity"),
    "ic0_infinity": (lambda vk: replace(vk, ic=(None, vk.ic[1])), "IC[0]: point at infinity"),
    "ic1_infinity": (lambda vk: replace(vk, ic=(vk.ic[0], None)), "IC[1]: point at infinity"),
    "gamma_equals_delta": (
        lambda vk: replace(vk, gamma2=BN254.g2_mul(G2, 7), delta2=BN254.g2_mul(G2, 7)),
        "vk_delta_2: equals vk_gamma_2 (up to sign)",
    ),
    "gamma_equals_minus_delta": (
        lambda vk: replace(vk, delta2=BN254.g2_neg(vk.gamma2)),
        "vk_delta_2: equals vk_gamma_2 (up to sign)",
    ),
    "delta_generator": (lambda vk: replace(vk, delta2=G2), "vk_delta_2: is the G2 generator"),
    "repeated_ic": (lambda vk: replace(vk, ic=(vk.ic[0], vk.ic[0])), "IC[1]: repeats IC[0]"),
    "negated_ic": (
        lambda vk: replace(vk, ic=(vk.ic[0], BN254.g1_neg(vk.ic[0]))),
        "IC[1]: repeats IC[0] (up to sign)",
    ),
    "ic_for_two_public_signals": (
        lambda vk: replace(vk, n_public=2, ic=(*vk.ic, BN254.g1_mul(G1, 5))),
        "nPublic: the key is for 2 public signals, expected 1",
    ),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_degenerate_key_is_refused_in_one_line(report_copy: Path, defect: str) -> None:
    mutate, message = DEFECTS[defect]
    write(report_copy / layout.VKEY, vk_to_json(mutate(honest_key(report_copy))))
    code, out = cli("verify", report_copy)
    assert code == 1, out
    assert len(out.strip().splitlines()) == 1
    assert out.startswith(f"invalid: verification_key.json: {message}")
    receipt = next((layout.private_dir(report_copy) / layout.RECEIPTS).iterdir())
    code, out = cli("verify-inclusion", receipt, "--report", report_copy)
    assert code == 1 and out.startswith(f"invalid: verification_key.json: {message}"), out


def test_gamma_the_generator_is_accepted(proven: Path) -> None:
    # snarkjs makes every key with gamma = the G2 generator, ceremonies included: not a defect
    # (the development setup here draws gamma at random, as the control shows).
    vk = honest_key(proven / "report")
    verify_report(proven / "report")
    assert vk.gamma2 != G2 and key_defect(vk) is None
    assert key_defect(replace(vk, gamma2=G2)) is None


@pytest.mark.parametrize(
    ("field", "point", "problem"),
    [
        ("vk_alpha_1", ["1", "3", "1"], "point is not on the curve"),
        ("vk_delta_2", "off_twist", "point is not on the twist"),
        ("vk_delta_2", "outside_subgroup", "point is not on the twist or not in the prime-order"),
    ],
)
def test_key_point_off_the_curve_or_subgroup_is_refused(
    report_copy: Path, field: str, point, problem: str
) -> None:
    doc = read(report_copy / layout.VKEY)
    if point == "off_twist":
        (x, y, z) = doc[field]
        point = [x, [y[0], str((int(y[1]) + 1) % BN254.q)], z]
    elif point == "outside_subgroup":
        from curve.conftest import lift_g2

        (x0, x1), (y0, y1) = lift_g2(BN254, 3)
        assert BN254.g2_is_on_curve(((x0, x1), (y0, y1)))
        assert not BN254.g2_is_valid(((x0, x1), (y0, y1)))
        point = [[str(x0), str(x1)], [str(y0), str(y1)], ["1", "0"]]
    doc[field] = point
    write(report_copy / layout.VKEY, doc)
    code, out = cli("verify", report_copy)
    assert code == 1, out
    assert out.startswith(f"invalid: {layout.VKEY}: {field}: {problem}"), out


def test_key_pinned_by_file_or_fingerprint(proven: Path, keys_dir: Path) -> None:
    report = proven / "report"
    code, fp = cli("keys", "fingerprint", keys_dir)
    assert code == 0 and fp.strip() == vk_fingerprint(honest_key(report))
    for pin, said in (
        (["--vk", keys_dir / layout.VKEY], f"pinned by --vk {keys_dir / layout.VKEY}"),
        (["--vk-fingerprint", fp.strip().upper()], "pinned by --vk-fingerprint"),
    ):
        code, out = cli("verify", report, *pin)
        assert code == 0, out
        assert f"verifying key {fp.strip()}, {said}" in out
        assert "NOT PINNED" not in out and "warning" not in out


def test_report_under_another_key_fails_the_pin(report_copy: Path, keys_dir: Path) -> None:
    # Another key altogether (alpha doubled): consistent, not degenerate, but not the published
    # one. Its proofs would not verify either; the pin names the cause first.
    vk = honest_key(report_copy)
    other = replace(vk, alpha1=BN254.g1_mul(vk.alpha1, 2))
    write(report_copy / layout.VKEY, vk_to_json(other))
    code, out = cli("verify", report_copy, "--vk", keys_dir / layout.VKEY)
    assert code == 1 and "verification_key.json: not the verification key" in out, out
    code, out = cli("verify", report_copy, "--vk-fingerprint", vk_fingerprint(vk))
    assert code == 1 and f"not the published {vk_fingerprint(vk)}" in out, out
    code, out = cli("verify", report_copy, "--vk-fingerprint", "12ab")
    assert code == 2 and out.startswith("error: --vk-fingerprint: expected 64 hexadecimal"), out


def test_keys_fingerprint_refuses_a_degenerate_proving_key(keys_copy: Path) -> None:
    from zkmargin.formats.zkey import read_zkey, write_zkey

    zkey = read_zkey(keys_copy / layout.ZKEY)
    write_zkey(keys_copy / layout.ZKEY, replace(zkey, delta2=G2))
    code, out = cli("keys", "fingerprint", keys_copy)
    assert code == 1, out
    assert out.strip() == (
        f"invalid: {keys_copy / layout.ZKEY}: its verifying key: vk_delta_2: is the G2 "
        "generator (no phase-2 contribution): anyone can forge proofs"
    )
