"""``zkmargin demo``: the calculator table alone (fast), and the whole flow on the example (slow)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from zkmargin.cli import main
from zkmargin.solvency import layout


def test_calc_only_prints_the_table() -> None:
    res = CliRunner().invoke(main, ["demo", "--calc-only"])
    assert res.exit_code == 0, res.output
    assert "300 accounts (scenario model" in res.output
    assert "Proven" not in res.output


def test_bad_account_count() -> None:
    res = CliRunner().invoke(main, ["demo", "--accounts", "0", "--calc-only"])
    assert res.exit_code == 2 and "--accounts" in res.output


@pytest.mark.slow
def test_whole_flow_on_the_example(tmp_path) -> None:
    keep = tmp_path / "demo"
    res = CliRunner().invoke(main, ["demo", "--keep", str(keep)])
    assert res.exit_code == 0, res.output
    out = res.output
    report = json.loads((keep / "report" / layout.REPORT).read_text())
    proven = report["totals"]["accounts"]
    assert proven + len(report["excluded"]) == 2
    assert f"Proven: {proven} account(s) each meet their maintenance margin" in out
    assert "constraints proven in all" in out
    for step in ("calc (all accounts)", "setup (unsafe, dev)", "prove", "verify (all batch"):
        assert step in out
    assert "Proving all 300 accounts would take about" in out


@pytest.mark.slow
def test_health_flow_on_the_example(tmp_path) -> None:
    # health_portfolio proves states, not cover: the first three accounts include one in margin
    # call, proven and counted rather than left out.
    keep = tmp_path / "demo"
    args = ["demo", "--circuit", "health_portfolio", "--accounts", "3", "--keep", str(keep)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    report = json.loads((keep / "report" / layout.REPORT).read_text())
    assert report["excluded"] == [] and report["totals"]["accounts"] == 3
    extra = report["totals"]["extra"]
    assert int(extra["margin_call"]) >= 1
    assert (
        f"Proven: the health states of 3 account(s) at epoch {report['epoch']} (model scenario, "
        f"buffer included) — health: {extra['healthy']} healthy, {extra['margin_call']} in margin "
        f"call, {extra['liquidation']} in liquidation"
    ) in res.output
    assert "each meet their" not in res.output
