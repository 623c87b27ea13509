"""``zkmargin keys fingerprint KEYS/``: the fingerprint of the verifying key ``prove`` publishes.

An exchange publishes it (next to its ceremony's transcript) so users can pin the key when they
verify: ``zkmargin verify REPORT/ --vk-fingerprint HEX``. Exit 1 for a key under which anyone
could forge proofs (:mod:`zkmargin.groth16.key_checks`), 2 for an unreadable keys folder.
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import user_errors
from zkmargin.cli.root import main


@main.group("keys")
def keys_group() -> None:
    """Keys folders made by zkmargin setup (or holding a ceremony's circuit.zkey)."""


@keys_group.command("fingerprint")
@click.argument("keys", type=click.Path(file_okay=False, path_type=Path))
@user_errors
def fingerprint_command(keys: Path) -> None:
    """Print the fingerprint of the verifying key of KEYS/circuit.zkey (what to publish)."""
    from zkmargin.formats.snarkjs_json import read_verification_key
    from zkmargin.formats.vk_fingerprint import vk_fingerprint
    from zkmargin.groth16.key_checks import key_defect
    from zkmargin.solvency import layout
    from zkmargin.solvency.keys import published_key, read_key_info

    vk = published_key(keys)
    defect = key_defect(vk, n_public=read_key_info(keys).public_count)
    if defect is not None:
        click.echo(f"invalid: {keys / layout.ZKEY}: its verifying key: {defect}", err=True)
        raise SystemExit(1)
    fingerprint = vk_fingerprint(vk)
    beside = keys / layout.VKEY
    if beside.is_file() and vk_fingerprint(read_verification_key(beside)) != fingerprint:
        click.echo(
            f"warning: {beside} is not {layout.ZKEY}'s verifying key (a key dropped in after "
            "setup?); prove publishes the one printed here",
            err=True,
        )
    click.echo(fingerprint)
