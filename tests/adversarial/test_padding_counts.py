"""Padding never counts as an account: with the number of accounts hidden, a health report
leaves out the account total and the healthy count (padding would inflate both) and keeps the
margin-call and liquidation counts, which padding cannot touch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from adversarial.forge import cli, read, write
from solvency.tiny import DATA, MARKET

from zkmargin.solvency import layout

HEALTH = DATA / "health_accounts.jsonl"


@pytest.fixture(scope="module")
def reports(circuit_keys, tmp_path_factory) -> dict[str, Path]:
    """The health accounts proven plainly and padded to 8 (seeded)."""
    keys = circuit_keys("health")
    out = {}
    for name, extra in (("plain", []), ("padded", ["--pad-to", 8])):
        report = tmp_path_factory.mktemp(name) / "report"
        code, text = cli("prove", HEALTH, "--market", MARKET, "--keys", keys, "--out", report,
                         "--seed", 7, "--quiet", *extra)  # fmt: skip
        assert code == 0, text
        out[name] = report
    return out


def test_padded_health_report_states_no_count_that_padding_inflates(reports) -> None:
    plain, padded = (read(reports[k] / layout.REPORT)["totals"] for k in ("plain", "padded"))
    assert plain["accounts"] == 5 and "healthy" in plain["extra"]  # control: nothing hidden
    assert "accounts" not in padded and "healthy" not in padded["extra"]
    for kept in ("margin_call", "liquidation", "shortfall"):
        assert padded["extra"][kept] == plain["extra"][kept]
    # Every batch statement still carries its proven slots (count, healthy included): the
    # slots are public, the accounts among them are not.
    doc = read(reports["padded"] / layout.REPORT)
    assert sum(int(b["statement"]["count"]) for b in doc["batches"]) == 8
    assert doc["claim"].startswith("each proven account (their number is hidden) is counted")
    code, out = cli("verify", reports["padded"])
    assert code == 0, out
    assert "4 batches of up to 2 (the number of accounts is hidden)" in out
    assert "health: 1 in margin call, 1 in liquidation" in out
    assert not re.search(r"\d+ healthy", out) and "accounts in" not in out


def test_healthy_count_added_to_a_padded_report_is_refused(reports, tmp_path: Path) -> None:
    import shutil

    report = Path(shutil.copytree(reports["padded"], tmp_path / "r"))
    doc = read(report / layout.REPORT)
    healthy = sum(int(b["statement"]["extra"][0]) for b in doc["batches"])  # padding included
    doc["totals"]["extra"] = {"healthy": str(healthy), **doc["totals"]["extra"]}
    write(report / layout.REPORT, doc)
    code, out = cli("verify", report)
    assert code == 1, out
    assert out.strip() == (
        "invalid: report.json: totals.extra: circuit health states margin_call, liquidation, "
        "shortfall; the report has healthy, margin_call, liquidation, shortfall"
    )
