"""``zkmargin demo``: the reference calculator on the embedded example snapshot.

The example ships inside the package, so this works from any directory. Later stages extend the
demo to prove and verify the same snapshot.
"""

from __future__ import annotations

import click

from zkmargin.cli import main
from zkmargin.cli.calc import run_calc
from zkmargin.cli.errors import user_errors
from zkmargin.margin import calculate_chunks, example_paths, load_market, read_accounts


@main.command("demo")
@user_errors
def demo_command() -> None:
    """Run the margin calculator on the embedded example snapshot and print the table."""
    market_path, accounts_path = example_paths()
    market = load_market(market_path)
    click.echo(
        f"Example snapshot {market.epoch:%Y-%m-%dT%H:%M:%SZ}: {len(market.instruments)} "
        f"instruments over {', '.join(market.underlyings)}, collateral in "
        f"{', '.join(market.assets)}\n(files: {market_path.parent})\n"
    )
    run_calc(market, calculate_chunks(market, read_accounts(accounts_path, market)), False)
