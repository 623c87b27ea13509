"""``zkmargin attest`` and ``zkmargin verify-attestation``: a user proves their account's health."""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.notices import write_proven
from zkmargin.cli.options import DIR, FILE
from zkmargin.cli.root import main
from zkmargin.errors import printable


@main.command("attest")
@click.argument("receipt", type=FILE)
@click.option("--report", required=True, type=DIR, help="The report the receipt is from.")
@click.option("--keys", required=True, type=DIR, help="Keys folder of the attestation circuit.")
@click.option("--state", type=click.Choice(["healthy"]), help="Claim the account is healthy.")
@click.option("--min-excess", help="Claim an excess of at least X (quote currency, >= 0).")
@click.option("--out", required=True, type=FILE, help="Attestation file to write.")
@user_errors
def attest_command(
    receipt: Path,
    report: Path,
    keys: Path,
    state: str | None,
    min_excess: str | None,
    out: Path,
) -> None:
    """Prove from your RECEIPT that your account in REPORT (a health report) is healthy, or has
    at least a given excess, revealing neither positions nor balances. A claim that does not
    hold is refused (exit 1)."""
    from zkmargin.errors import InputError
    from zkmargin.margin.fixed import MONEY_SCALE, parse_decimal
    from zkmargin.solvency.attestations import attest

    if (state is None) == (min_excess is None):
        fail("zkmargin attest: give one of --state healthy and --min-excess X", 2)
    floor = None
    if min_excess is not None:
        try:
            floor = parse_decimal(min_excess, MONEY_SCALE)
        except ValueError as err:
            raise InputError("--min-excess", "", str(err)) from None
    doc = write_proven(out, lambda: attest(receipt, report, keys, floor))
    click.echo(f"attestation: account {doc['account']} ({doc['claim']}) -> {out}")


@main.command("verify-attestation")
@click.argument("attestation", type=FILE)
@click.option("--report", required=True, type=DIR, help="The report the attestation is about.")
@click.option("--vk", type=FILE,
              help="Pin this attestation key instead of the one REPORT publishes.")  # fmt: skip
@user_errors
def verify_attestation_command(attestation: Path, report: Path, vk: Path | None) -> None:
    """Check an ATTESTATION against REPORT: the claim, the report and the account's pseudonym."""
    from zkmargin.solvency import Invalid
    from zkmargin.solvency.attestations import verify_attestation

    try:
        checked = verify_attestation(attestation, report, vk)
    except Invalid as err:
        fail(f"invalid: {printable(err, 500)}", 1)
    click.echo(
        f"OK: account {checked.account} {checked.words()} at {checked.epoch} "
        f"(attestation key {checked.key})"
    )
