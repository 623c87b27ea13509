"""``zkmargin demo``: the calculator table alone (fast), and the whole flow on the example (slow)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from interop import run_tool

from zkmargin.cli import main
from zkmargin.margin import example_paths, load_market, read_accounts
from zkmargin.solvency import layout, verify_inclusion
from zkmargin.solvency.batch_model import batch_model
from zkmargin.solvency.batch_plan import shortfalls


def test_calc_only_prints_the_table() -> None:
    res = CliRunner().invoke(main, ["demo", "--calc-only"])
    assert res.exit_code == 0, res.output
    assert "300 accounts (greeks model" in res.output  # the model the proofs use
    assert "acct-" not in res.output and len(res.output.splitlines()) < 10
    assert "Proven" not in res.output


def test_bad_account_count() -> None:
    res = CliRunner().invoke(main, ["demo", "--accounts", "0", "--calc-only"])
    assert res.exit_code == 2 and "--accounts" in res.output


def test_bad_options_are_one_line_before_anything_else(tmp_path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    for args, expected in (
        (["--out", str(tmp_path / "full")], "error: --out: "),
        (["--circuit", "nosuch"], "error: nosuch: circuit: no circuit of that name"),
        (["--batch-size", "0"], "zkmargin demo: invalid value for '--batch-size'"),
        (["--epochs", "2"], "zkmargin demo: invalid value for '--epochs'"),
    ):
        res = CliRunner().invoke(main, ["demo", *args])
        assert res.exit_code == 2 and res.output.startswith(expected), res.output
        assert len(res.output.splitlines()) == 1


@pytest.mark.slow
def test_margin_calls_across_three_epochs_of_the_example(tmp_path) -> None:
    """``demo --epochs 3``: three chained reports, two notices, a refused early liquidation and
    a justified one, an attestation; every file checks again with the commands, public and
    private material apart."""
    out = tmp_path / "demo"
    res = CliRunner().invoke(main, ["demo", "--epochs", "3", "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = res.output
    for line in (
        "epoch 1 (2026-11-20T08:00:00Z): health: 2 healthy, 2 in margin call, 0 in liquidation",
        "epoch 2 (2026-11-20T09:00:00Z): health: 3 healthy, 0 in margin call, 1 in liquidation",
        "epoch 3 (2026-11-20T10:00:00Z): health: 3 healthy, 0 in margin call, 1 in liquidation",
        "epoch 2: acct-0001 has deposited: call refused (acct-0001 is healthy in public/report-2",
        "epoch 2: liquidating acct-0002 refused (acct-0002: the grace period (7200 s)",
        "epoch 3: acct-0002 liquidated 2 h after its notice",
        "has an excess of at least 10000: verify-attestation OK",
        "public/: publish-check finds nothing private",
    ):
        assert line in text
    public = out / "public"
    reports = [public / f"report-{n}" for n in (1, 2, 3)]
    cli = CliRunner()
    for args in (
        ["verify-chain", *map(str, reports)],
        ["verify-notice", str(public / "liquidation-acct-0002-epoch3.json"), "--report",
         str(reports[2])],
        ["verify-notice", str(public / "notice-acct-0001-epoch1.json"), "--report",
         str(reports[0])],
        ["verify-attestation", str(public / "attestation-acct-0000-epoch3.json"), "--report",
         str(reports[2])],
        ["publish-check", str(public)],
    ):  # fmt: skip
        res = cli.invoke(main, args)
        assert res.exit_code == 0, (args, res.output)
    res = cli.invoke(main, ["verify-notice", str(public / "notice-acct-0001-epoch1.json"),
                            "--report", str(reports[1])])  # fmt: skip
    assert res.exit_code == 1  # beside the control above: another epoch's report
    assert (out / "private").stat().st_mode & 0o077 == 0
    assert not list(public.rglob("*.jsonl")) and not list(public.rglob("receipts"))


@pytest.mark.slow
@pytest.mark.interop
def test_whole_flow_on_the_example(tmp_path, snarkjs) -> None:
    """The README's main job on the first 20 example accounts in batches of 4 (CI runs it on all
    300): the under-margined ones left out and listed, every batch proof accepted by snarkjs,
    receipts across the batches verified."""
    keep = tmp_path / "demo"
    args = ["demo", "--accounts", "20", "--batch-size", "4", "--out", str(keep)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    out = res.output
    folder = keep / "report"
    report = json.loads((folder / layout.REPORT).read_text())
    market = load_market(example_paths()[0])
    accounts = list(read_accounts(example_paths()[1], market))[:20]
    expected = shortfalls(batch_model("greeks", market, 4), accounts)
    assert expected, "the first 20 accounts include under-margined ones"
    assert [e["id"] for e in report["excluded"]] == [e.id for e in expected]
    proven = report["totals"]["accounts"]
    assert proven + len(expected) == 20 and len(report["batches"]) == -(-proven // 4)
    assert f"Proven: each of {proven} accounts meets its maintenance margin" in out
    assert "(the example market declares scenario: proving it as greeks)" in out
    assert len(out.splitlines()) < 40  # a summary, not a table of every account
    assert f"listed in the report): {len(expected)}:" in out
    for step in ("fast kernels", "calc", "setup (unsafe, dev)", "prove", "verify ("):
        assert step in out
    for n in range(len(report["batches"])):
        batch = layout.batch_dir(folder, n)
        run_tool(snarkjs, "groth16", "verify", str(folder / layout.VKEY),
                 str(batch / layout.PUBLIC), str(batch / layout.PROOF))  # fmt: skip
    excluded = {e.id for e in expected}
    ids = [a.id for a in accounts if a.id not in excluded]
    for account in ids[:: len(ids) // 4]:  # receipts spread over the batches
        verify_inclusion(layout.receipt_path(layout.private_dir(folder), account), folder)


@pytest.mark.slow
def test_health_flow_on_the_example(tmp_path) -> None:
    # health_portfolio proves states, not cover: the first three accounts include one in margin
    # call, proven and counted rather than left out.
    keep = tmp_path / "demo"
    args = ["demo", "--circuit", "health_portfolio", "--accounts", "3", "--batch-size", "2"]
    args += ["--out", str(keep)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    report = json.loads((keep / "report" / layout.REPORT).read_text())
    assert report["excluded"] == [] and report["totals"]["accounts"] == 3
    extra = report["totals"]["extra"]
    assert int(extra["margin_call"]) >= 1
    assert "Proven: each of 3 accounts is counted in its state" in res.output
    assert (
        f"under the scenario model, at epoch {report['epoch']} — health: {extra['healthy']} "
        f"healthy, {extra['margin_call']} in margin call, {extra['liquidation']} in liquidation"
    ) in res.output
    assert "meets its" not in res.output
