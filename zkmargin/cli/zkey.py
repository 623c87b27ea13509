"""``zkmargin zkey ...``: snarkjs's ``zkey`` commands (its names and argument order).

The group and its ``export`` subgroup live here; each family of subcommands registers itself on
them from its own module (listed in :mod:`zkmargin.cli.commands`).
"""

from __future__ import annotations

from zkmargin.cli.root import main


@main.group("zkey")
def zkey() -> None:
    """Proving keys (.zkey), as snarkjs's ``zkey`` commands."""


@zkey.group("export")
def export() -> None:
    """Export a key's parts in other formats."""
