"""Claims: each report states in one sentence what its circuit proves; a circuit proves only the
market's declared model, and neither the sentence nor the model can be swapped."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from adversarial.forge import cli, read, write
from solvency.tiny import ACCOUNTS, BATCH_SIZE, MARKET

from zkmargin.margin import load_market
from zkmargin.solvency import layout, setup_keys

CROSS_CLAIM = (
    "each of 5 accounts meets its maintenance margin plus a 5% buffer under the cross model"
)


@pytest.fixture(scope="module")
def collateral_report(tmp_path_factory) -> Path:
    """The tiny accounts proven by the collateral circuit on the tiny market declared
    ``collateral``."""
    base = tmp_path_factory.mktemp("collateral")
    doc = json.loads(MARKET.read_text())
    doc["model"]["name"] = "collateral"
    market = base / "market.json"
    market.write_text(json.dumps(doc))
    setup_keys("collateral", load_market(market), BATCH_SIZE, base / "keys", random.Random(9))
    code, out = cli("prove", ACCOUNTS, "--market", market, "--keys", base / "keys",
                    "--out", base / "report", "--seed", 3, "--quiet")  # fmt: skip
    assert code == 0, out
    return base / "report"


def test_claims_are_printed_by_prove_and_verify(proven: Path, collateral_report: Path) -> None:
    assert read(proven / "report" / layout.REPORT)["claim"] == CROSS_CLAIM
    code, out = cli("verify", proven / "report")
    assert code == 0 and CROSS_CLAIM in out, out
    code, out = cli("verify", collateral_report)
    assert code == 0, out
    assert (
        "each of 5 accounts has its collateral valued with the market's haircuts (no margin "
        "requirement)" in out
    )


def test_circuit_for_another_model_is_refused_at_setup(tmp_path: Path) -> None:
    code, out = cli("setup", "--circuit", "collateral", "--market", MARKET, "--batch-size", 2,
                    "--out", tmp_path / "keys", "--quiet")  # fmt: skip
    assert code == 2
    assert out.strip().splitlines()[-1] == (
        f"error: {MARKET}: model.name: circuit collateral proves the collateral model; the "
        "market declares cross"
    )


def test_report_of_another_model_than_the_market_is_refused(
    collateral_report: Path, tmp_path: Path
) -> None:
    # A collateral proof presented for a market that declares cross margin: the proof and the
    # market hash still hold (the collateral encoding), the model does not.
    report = Path(shutil.copytree(collateral_report, tmp_path / "r"))
    doc = json.loads((report / layout.MARKET).read_text())
    doc["model"]["name"] = "cross"
    (report / layout.MARKET).write_text(json.dumps(doc))
    code, out = cli("verify", report)
    assert code == 1, out
    assert out.strip().splitlines()[-1] == (
        "invalid: report.json: circuit collateral proves the collateral model; market.json "
        "declares cross"
    )
    # ...and the report relabelled to the market's model no longer hashes the market it proved.
    doc = read(report / layout.REPORT)
    doc["model"] = "cross"
    write(report / layout.REPORT, doc)
    code, out = cli("verify", report)
    assert code == 1 and "invalid: report.json: " in out, out


def test_stronger_claim_than_the_circuit_proves_is_refused(report_copy: Path) -> None:
    doc = read(report_copy / layout.REPORT)
    doc["claim"] = doc["claim"].replace("maintenance", "initial")
    write(report_copy / layout.REPORT, doc)
    code, out = cli("verify", report_copy)
    assert code == 1, out
    assert f"circuit cross proves {CROSS_CLAIM!r}" in out
