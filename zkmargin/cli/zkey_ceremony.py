"""``zkmargin zkey contribute | beacon | verify | export verificationkey``: phase 2 of a Groth16
ceremony on snarkjs's ``.zkey`` files (snarkjs's names and argument order).

Exit status: 0 OK; 1 a key does not verify (one ``invalid:`` line naming the first failed
check); 2 bad input.
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import user_errors
from zkmargin.cli.options import FILE, beacon_arguments, contribute_arguments
from zkmargin.cli.powersoftau import entropy_rng, fmt_hash, refusals
from zkmargin.cli.zkey import export, zkey


@zkey.command("contribute")
@contribute_arguments
@user_errors
def contribute_cmd(src: Path, dst: Path, name: str, entropy: str | None) -> None:
    """Add a delta contribution to the key SRC, write DST."""
    from zkmargin.ceremony import zkey_contribute

    click.echo(
        fmt_hash(
            "Contribution hash:", zkey_contribute.contribute(src, dst, name, entropy_rng(entropy))
        )
    )


@zkey.command("beacon")
@beacon_arguments
@user_errors
def beacon_cmd(src: Path, dst: Path, beacon_hash: str, iterations: str, name: str) -> None:
    """Add the final beacon contribution (2^ITERATIONS SHA-256 rounds of BEACON_HASH)."""
    from zkmargin.ceremony import zkey_contribute

    click.echo(
        fmt_hash(
            "Contribution hash:", zkey_contribute.beacon(src, dst, name, beacon_hash, iterations)
        )
    )


@zkey.command("verify")
@click.argument("r1cs", type=FILE)
@click.argument("ptau", type=FILE)
@click.argument("key", metavar="ZKEY", type=FILE)
@user_errors
@refusals
def verify_cmd(r1cs: Path, ptau: Path, key: Path) -> None:
    """Check ZKEY against the circuit R1CS and the ptau: every section, the circuit hash, the
    origin in the ptau and each contribution; list the contributions."""
    from zkmargin.ceremony import zkey_verify
    from zkmargin.formats.r1cs import read_r1cs

    result = zkey_verify.verify(read_r1cs(r1cs), ptau, key, r1cs)
    click.echo(fmt_hash("Circuit hash:", result.circuit_hash))
    for i, c in enumerate(result.contributions, 1):
        kind = " (beacon)" if c.type == 1 else ""
        click.echo(fmt_hash(f"contribution #{i} {c.name}{kind}:", c.hash()))
    click.echo(f"OK: key verified ({len(result.contributions)} contributions)")


@export.command("verificationkey")
@click.argument("key", metavar="ZKEY", type=FILE)
@click.argument("vk", type=FILE)
@user_errors
def export_vk_cmd(key: Path, vk: Path) -> None:
    """Write the verification key JSON of ZKEY (snarkjs's, with its types)."""
    from zkmargin.formats.snarkjs_json import write_json
    from zkmargin.formats.zkey import read_zkey
    from zkmargin.groth16 import verification_key

    write_json(vk, verification_key(read_zkey(key)))
