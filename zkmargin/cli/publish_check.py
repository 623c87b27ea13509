"""``zkmargin publish-check REPORT/``: refuse a folder that holds anything private."""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import DIR
from zkmargin.cli.root import main
from zkmargin.errors import printable


@main.command("publish-check")
@click.argument("folder", type=DIR)
@user_errors
def publish_check_command(folder: Path) -> None:
    """Check that FOLDER (a report folder) holds nothing private: no receipt, salt, position or
    balance, no job ledger or database, no witness, no archive. Exit 1 if it does."""
    from zkmargin.solvency.publish_check import private_findings

    findings = private_findings(folder)
    if findings:
        first = findings[0]
        more = f" (and {len(findings) - 1:,} more)" if len(findings) > 1 else ""
        fail(
            f"not safe to publish: {printable(first.path, 160)}: {first.what}{more}; move "
            "private files out of the folder",
            1,
        )
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    click.echo(f"OK: {folder} holds no private file ({files:,} files checked)")
