"""``zkmargin call``, ``liquidate`` and ``verify-notice``: margin calls for one account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import DIR, FILE
from zkmargin.cli.root import main
from zkmargin.errors import printable


def write_proven(out: Path, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``make()``'s claim file written to ``out`` (new, mode 0644); a refusal (the claim does
    not hold) or an input claim that does not check is one line, exit 1, nothing written."""
    from zkmargin.formats.snarkjs_json import write_json
    from zkmargin.solvency import Invalid
    from zkmargin.solvency.account_proofs import Refused

    if out.exists():
        fail(f"error: {out}: already exists", 2)
    try:
        doc = make()
    except Refused as err:
        fail(f"refused: {printable(err, 300)}", 1)
    except Invalid as err:  # a notice given to liquidate that does not check
        fail(f"invalid: {printable(err, 500)}", 1)
    write_json(out, doc, 0o644)
    return doc


@main.command("call")
@click.argument("report", type=DIR)
@click.argument("account_id")
@click.option("--keys", required=True, type=DIR, help="Keys folder of the notice circuit.")
@click.option("--private", type=DIR, help="The report's private folder  [default: REPORT.private].")
@click.option("--out", required=True, type=FILE, help="Notice file to write.")
@user_errors
def call_command(
    report: Path, account_id: str, keys: Path, private: Path | None, out: Path
) -> None:
    """Prove that ACCOUNT_ID, committed in REPORT (a health report), is in margin call or in
    liquidation, without revealing its positions or balances; write the notice to OUT. A
    healthy account gets none (exit 1)."""
    from zkmargin.solvency.notices import issue_notice

    notice = write_proven(out, lambda: issue_notice(report, account_id, keys, private))
    click.echo(f"notice: account {notice['account']} is in {notice['state']} -> {out}")


@main.command("verify-notice")
@click.argument("notice", type=FILE)
@click.option("--report", required=True, type=DIR, help="The report the notice is about.")
@click.option("--receipt", type=FILE, help="Your receipt: the notice must name your account.")
@click.option("--vk", type=FILE,
              help="Pin this notice key instead of the one REPORT publishes.")  # fmt: skip
@user_errors
def verify_notice_command(
    notice: Path, report: Path, receipt: Path | None, vk: Path | None
) -> None:
    """Check a margin-call NOTICE against REPORT (and, with --receipt, that it is about your
    account). A liquidation file (from zkmargin liquidate) is checked alone against REPORT: its
    earlier notice, the chain from that notice's report to REPORT and the grace period."""
    from zkmargin.json_input import load_json
    from zkmargin.solvency import Invalid
    from zkmargin.solvency.liquidations import LIQUIDATION_FORMAT, verify_liquidation
    from zkmargin.solvency.notices import verify_notice

    try:
        doc = load_json(notice)
        if isinstance(doc, dict) and doc.get("format") == LIQUIDATION_FORMAT:
            if receipt is not None or vk is not None:
                fail("zkmargin verify-notice: a liquidation file takes --report only", 2)
            checked = verify_liquidation(doc, str(notice), report)
        else:
            checked = verify_notice(notice, report, receipt, vk)
    except Invalid as err:
        fail(f"invalid: {printable(err, 500)}", 1)
    click.echo(
        f"OK: account {checked.account} is in {checked.state} at {checked.epoch} "
        f"(notice key {checked.key})"
    )


@main.command("liquidate")
@click.argument("report", type=DIR)
@click.argument("account_id")
@click.option("--notice", required=True, type=FILE, help="The account's earlier notice.")
@click.option(
    "--chain",
    "chain",
    required=True,
    multiple=True,
    type=DIR,
    help="The notice's report, then each report after it up to REPORT (repeat, oldest first).",
)
@click.option("--keys", required=True, type=DIR, help="Keys folder of the notice circuit.")
@click.option("--private", type=DIR, help="REPORT's private folder  [default: REPORT.private].")
@click.option("--out", required=True, type=FILE, help="Liquidation file to write.")
@user_errors
def liquidate_command(
    report: Path,
    account_id: str,
    notice: Path,
    chain: tuple[Path, ...],
    keys: Path,
    private: Path | None,
    out: Path,
) -> None:
    """Prove that ACCOUNT_ID got NOTICE at epoch E and is in liquidation in REPORT at E' >= E +
    the market's grace, the reports chained; write the liquidation file to OUT. An account that
    recovered, or a grace period not over, is refused (exit 1)."""
    from zkmargin.solvency.liquidations import liquidate

    doc = write_proven(
        out, lambda: liquidate(report, account_id, notice, list(chain), keys, private)
    )
    click.echo(f"liquidation: account {doc['liquidation']['account']} -> {out}")
