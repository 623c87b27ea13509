"""``zkmargin verify-chain``: check reports of successive epochs and the links between them."""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import DIR
from zkmargin.cli.root import main
from zkmargin.cli.wording import plural
from zkmargin.errors import printable


@main.command("verify-chain")
@click.argument("reports", type=DIR, nargs=-1, required=True)
@click.option("--quiet", is_flag=True, help="Print nothing on success.")
@user_errors
def verify_chain_command(reports: tuple[Path, ...], quiet: bool) -> None:
    """Verify each REPORT folder (oldest first) and that each follows the one before it:
    it names that report's chain hash and its epoch is later. A missing, reordered or replaced
    report is refused (exit 1)."""
    from zkmargin.solvency import Invalid
    from zkmargin.solvency.chain import verify_chain

    try:
        loaded = verify_chain(reports)
    except Invalid as err:
        fail(f"invalid: {printable(err, 500)}", 1)
    if not quiet:
        epochs = ", ".join(r.report.epoch for r in loaded)
        click.echo(f"OK: {plural(len(loaded), 'report')} chained, epochs {epochs}")
