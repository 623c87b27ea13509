"""``zkmargin audit-market REPORT/ --market MARKET``: the report's published integers against
what a market file gives (zkmargin.solvency.audit).

Exit status: 0 every value matches within the tolerance; 1 some differ (one line each, at most
``--max-lines``); 2 bad input.
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import user_errors
from zkmargin.cli.root import main


@main.command("audit-market")
@click.argument("report", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--market",
    "market_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The market file the report's table should come from.",
)
@click.option(
    "--tolerance",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Largest difference allowed, in units of the published integers (10^-8); flags and "
    "instrument names are compared exactly.",
)
@click.option(
    "--max-lines",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Differences printed at most (the count is always given).",
)
@user_errors
def audit_market_command(report: Path, market_path: Path, tolerance: int, max_lines: int) -> None:
    """Re-derive REPORT's instrument table and market vector from MARKET (the pricers, in
    floating point) and list every value that differs from the published integers by more
    than the tolerance. `zkmargin verify` never does this: it hashes the integers only."""
    from zkmargin.solvency.audit import audit_market

    differences = audit_market(report, market_path, tolerance)
    if not differences:
        click.echo(
            f"OK: every published row and market value of {report} is what {market_path} "
            f"gives (tolerance {tolerance})"
        )
        return
    for d in differences[:max_lines]:
        click.echo(d.line())
    more = len(differences) - max_lines
    click.echo(
        f"differ: {len(differences)} value(s) of {report} are not what {market_path} gives "
        f"(tolerance {tolerance})" + (f"; {more} not shown" if more > 0 else ""),
        err=True,
    )
    raise SystemExit(1)
