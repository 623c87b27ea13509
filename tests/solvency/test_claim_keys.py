"""The notice and attestation keys a health report publishes: a claim proven under any other key
is refused by default (unless ``--vk`` pins that key), ``verify`` checks the published keys, and
``prove --claim-keys`` takes only keys that fit the report. Each refusal beside its control.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.tiny import BATCH_SIZE, DATA, MARKET

from zkmargin.cli import main
from zkmargin.margin import load_market
from zkmargin.solvency import layout, setup_keys


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def own_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Notice and attestation keys of the report's shape from a setup of the prover's own (as
    anyone can run): what a forger would prove under."""
    base = tmp_path_factory.mktemp("own-keys")
    market = load_market(MARKET)
    out = {}
    for circuit in ("notice", "attestation"):
        setup_keys(circuit, market, BATCH_SIZE, base / circuit, random.Random(666))
        out[circuit] = base / circuit
    return out


def _receipt(base: Path, name: str) -> Path:
    return layout.receipt_path(layout.private_dir(base / "report"), name)


def test_a_notice_under_a_self_made_key_is_refused_unless_pinned(
    health_reports: Path, own_keys: dict[str, Path], tmp_path: Path
) -> None:
    base = health_reports
    forged = tmp_path / "forged.json"
    res = run("call", base / "report", "ned", "--keys", own_keys["notice"], "--out", forged)
    assert res.exit_code == 0, res.output
    res = run("verify-notice", forged, "--report", base / "report")
    assert res.exit_code == 1
    assert res.output == (
        "invalid: forged.json: not proven under the report's published notice key\n"
    )
    res = run("verify-notice", base / "mia.json", "--report", base / "report")  # control
    assert res.exit_code == 0, res.output
    assert res.output.rstrip().endswith("the report's published key)")
    # a verifier who pins a key explicitly trusts that key, and no other
    own_vk = own_keys["notice"] / layout.VKEY
    res = run("verify-notice", forged, "--report", base / "report", "--vk", own_vk)
    assert res.exit_code == 0, res.output
    res = run("verify-notice", base / "mia.json", "--report", base / "report", "--vk", own_vk)
    assert res.exit_code == 1
    assert res.output == f"invalid: mia.json: not proven under the key {own_vk}\n"


def test_an_attestation_under_a_self_made_key_is_refused(
    health_reports: Path, own_keys: dict[str, Path], tmp_path: Path
) -> None:
    base = health_reports
    for keys, name in ((own_keys["attestation"], "forged.json"), (base / "attestation-keys", "honest.json")):  # fmt: skip
        res = run("attest", _receipt(base, "alice"), "--report", base / "report", "--keys", keys,
                  "--state", "healthy", "--out", tmp_path / name)  # fmt: skip
        assert res.exit_code == 0, res.output
    res = run("verify-attestation", tmp_path / "forged.json", "--report", base / "report")
    assert res.exit_code == 1
    assert res.output == (
        "invalid: forged.json: not proven under the report's published attestation key\n"
    )
    res = run("verify-attestation", tmp_path / "honest.json", "--report", base / "report")
    assert res.exit_code == 0, res.output  # control


def test_a_report_publishing_no_notice_key_needs_a_pinned_one(circuit_keys, tmp_path: Path) -> None:
    report = tmp_path / "report"
    res = run("prove", DATA / "health_accounts.jsonl", "--market", MARKET, "--keys",
              circuit_keys("health"), "--out", report, "--seed", 3, "--quiet")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "claim_keys" not in json.loads((report / layout.REPORT).read_text())
    notice = tmp_path / "mia.json"
    res = run("call", report, "mia", "--keys", circuit_keys("notice"), "--out", notice)
    assert res.exit_code == 0, res.output
    res = run("verify-notice", notice, "--report", report)
    assert res.exit_code == 1
    assert res.output == (
        "invalid: mia.json: the report publishes no notice key (prove --claim-keys); pin one "
        "with --vk\n"
    )
    vk = circuit_keys("notice") / layout.VKEY
    res = run("verify-notice", notice, "--report", report, "--vk", vk)  # control
    assert res.exit_code == 0, res.output


def test_verify_checks_the_published_claim_keys(
    health_reports: Path, own_keys: dict[str, Path], tmp_path: Path
) -> None:
    report = tmp_path / "report"
    shutil.copytree(health_reports / "report", report)
    res = run("verify", report)  # control
    assert res.exit_code == 0, res.output
    stated = json.loads((report / layout.REPORT).read_text())["claim_keys"]
    assert f"publishes the notice key {stated['notice']} (claim_keys/)" in res.output
    published = report / layout.CLAIM_KEYS / "notice.json"
    stray = published.with_name("notice.json.old")
    shutil.copy(own_keys["notice"] / layout.VKEY, stray)
    res = run("verify", report)
    assert res.exit_code == 1
    assert res.output == "invalid: claim_keys/notice.json.old: a key report.json does not state\n"
    stray.unlink()
    shutil.copy(own_keys["notice"] / layout.VKEY, published)
    res = run("verify", report)
    assert res.exit_code == 1
    assert res.output.startswith("invalid: claim_keys/notice.json: fingerprint ")
    assert ", report.json states " in res.output and res.output.count("\n") == 1
    published.unlink()
    res = run("verify", report)
    assert res.exit_code == 1
    assert res.output == (
        "invalid: claim_keys/notice.json: missing (report.json states its fingerprint)\n"
    )


def test_prove_takes_only_claim_keys_that_fit_the_report(circuit_keys, tmp_path: Path) -> None:
    def prove(*claim_keys: Path, keys: str = "health"):
        return run("prove", DATA / "health_accounts.jsonl", "--market", MARKET, "--keys",
                   circuit_keys(keys), "--out", tmp_path / "r", "--seed", 1, "--quiet",
                   *(x for k in claim_keys for x in ("--claim-keys", k)))  # fmt: skip

    res = prove(circuit_keys("health"))
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and ": circuit: health: not one of notice" in res.output
    res = prove(circuit_keys("notice"), circuit_keys("notice"))
    assert res.exit_code == 2 and "a second notice keys folder" in res.output
    res = prove(circuit_keys("notice"), keys="cross")
    assert res.exit_code == 2 and "notices and attestations need health" in res.output
    assert not (tmp_path / "r").exists()
    res = prove(circuit_keys("notice"))  # control
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "r" / layout.REPORT).read_text())
    assert list(doc["claim_keys"]) == ["notice"]
    res = run("keys", "fingerprint", circuit_keys("notice"))
    assert res.output.strip() == doc["claim_keys"]["notice"]
