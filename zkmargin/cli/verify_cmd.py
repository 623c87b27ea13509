"""``zkmargin verify`` and ``zkmargin verify-inclusion``: a report folder checked, and one
receipt against it (:mod:`zkmargin.solvency.verifier`).

Exit status: 0 OK; 1 the report or receipt does not verify; 2 bad input (one line).
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import DIR, FILE
from zkmargin.cli.root import main
from zkmargin.cli.wording import money, plural, shortfall_list, state_counts
from zkmargin.errors import printable
from zkmargin.margin.fixed import QTY_SCALE, format_decimal

UNPINNED = (
    "warning: the verifying key came from the report itself: anyone can make a report that "
    "verifies under a key of their own.\nPin the key the exchange published: --vk FILE or "
    "--vk-fingerprint HEX (zkmargin keys fingerprint KEYS/ prints it)."
)


def key_line(loaded) -> str:
    """Which key the proofs verify under, and what it was compared with."""
    if loaded.pinned_by is None:
        return (
            f"verifying key {loaded.fingerprint}: NOT PINNED, it came from the report itself "
            "(compare it with the fingerprint the exchange published)"
        )
    return f"verifying key {loaded.fingerprint}, pinned by {loaded.pinned_by}"


def _summary(loaded) -> list[str]:
    r = loaded.report
    if loaded.recompiled:
        circuit = f"circuit {r.circuit} (digest {r.circuit_digest:x}: compiled again, equal)"
        said = r.claim
    else:
        circuit = (
            f"circuit {printable(r.circuit, 64)} (digest {r.circuit_digest:x}): not a built-in "
            "circuit, not compiled again here"
        )
        said = f"the report says: {printable(r.claim, 500)}"
    batches = f"{plural(len(r.batches), 'batch')} of up to {r.batch_size}"
    if r.count_hidden:
        counted = f"{batches} (the number of accounts is hidden)"
    else:
        counted = f"{plural(r.totals.accounts, 'account')} in {batches}"
    lines = [
        f"epoch {r.epoch}, {circuit}, model {r.model}, {r.level} margin",
        said,
        counted,
        *([state_counts(r.totals)] if state_counts(r.totals) else []),
        f"collateral value {money(r.totals.collateral_value)}, requirement "
        f"{money(r.totals.requirement)}",
        "balances: "
        + ", ".join(
            f"{a} {format_decimal(v, QTY_SCALE)}"
            for a, v in zip(r.assets, r.totals.assets, strict=True)
        ),
    ]
    if r.excluded:
        lines.append(f"excluded: {shortfall_list(r.excluded)}")
    lines.append(key_line(loaded))
    lines += [f"publishes the {name} key {fp} (claim_keys/)" for name, fp in r.claim_keys]
    return lines


def _pins(vk: Path | None, vk_fingerprint: str | None) -> tuple[Path | None, str | None]:
    from zkmargin.formats.vk_fingerprint import parse_fingerprint

    return vk, None if vk_fingerprint is None else parse_fingerprint(vk_fingerprint)


_VK_HELP = "The verification key the exchange published (a file): the report's must be it."


_FP_HELP = "The fingerprint the exchange published (zkmargin keys fingerprint): must match."


@main.command("verify")
@click.argument("report", type=DIR)
@click.option("--vk", type=FILE, help=_VK_HELP)
@click.option("--vk-fingerprint", metavar="HEX", help=_FP_HELP)
@click.option("--zkey", type=FILE, help="The ceremony's final key (with --ptau): check the chain.")
@click.option("--ptau", type=FILE, help="The ceremony's powers of tau (with --zkey).")
@click.option("--quiet", is_flag=True, help="Print nothing on success.")
@user_errors
def verify_command(
    report: Path,
    vk: Path | None,
    vk_fingerprint: str | None,
    zkey: Path | None,
    ptau: Path | None,
    quiet: bool,
) -> None:
    """Check every batch proof of the REPORT folder, its key, circuit, claim, statements, totals
    and index ranges.

    With --zkey and --ptau, first check that the report's key comes from that ceremony: the
    recompiled circuit, every phase-2 contribution, the powers of tau, the verification key.
    """
    from zkmargin.errors import InputError
    from zkmargin.solvency import Invalid, verify_report

    if (zkey is None) != (ptau is None):
        raise InputError(
            "--zkey" if zkey is None else "--ptau", "", "give --zkey and --ptau together"
        )
    try:
        chain = None
        if zkey is not None:
            from zkmargin.solvency.ceremony import verify_ceremony

            chain = verify_ceremony(report, zkey, ptau)
        loaded = verify_report(report, *_pins(vk, vk_fingerprint))
    except Invalid as err:
        fail(f"invalid: {printable(err, 500)}", 1)
    if not quiet:
        click.echo("OK: " + "\n    ".join(_summary(loaded)))
        if chain is not None:
            names = ", ".join(c.name or "(anonymous)" for c in chain.zkey_contributions)
            click.echo(
                f"    keys from a ceremony: {len(chain.ptau_contributions)} powers-of-tau and "
                f"{len(chain.zkey_contributions)} phase-2 contributions ({names}), circuit hash "
                f"{chain.circuit_hash.hex()[:16]}…"
            )
    if loaded.pinned_by is None:
        click.echo(UNPINNED, err=True)


@main.command("verify-inclusion")
@click.argument("receipt", type=FILE)
@click.option("--report", required=True, type=DIR, help="The report folder.")
@click.option("--vk", type=FILE, help=_VK_HELP)
@click.option("--vk-fingerprint", metavar="HEX", help=_FP_HELP)
@click.option("--quiet", is_flag=True, help="Print nothing on success.")
@user_errors
def verify_inclusion_command(
    receipt: Path, report: Path, vk: Path | None, vk_fingerprint: str | None, quiet: bool
) -> None:
    """Check that the account in RECEIPT, exactly as stated there, is in a proven batch."""
    from zkmargin.solvency import Invalid, circuit_class, verify_inclusion

    try:
        inc = verify_inclusion(receipt, report, *_pins(vk, vk_fingerprint))
    except Invalid as err:
        fail(f"invalid: {printable(err, 500)}", 1)
    if quiet:
        if inc.loaded.pinned_by is None:
            click.echo(UNPINNED, err=True)
        return
    rc, st = inc.receipt, inc.batch.statement
    held = ", ".join(
        [f"{k} {format_decimal(v, QTY_SCALE)}" for k, v in rc.account.positions.items()]
        + [f"{k} {format_decimal(v, QTY_SCALE)}" for k, v in rc.account.collateral.items()]
        + [f"isolated {k} {money(v)}" for k, v in rc.account.isolated.items()]
    )
    cls = circuit_class(inc.report.circuit) if inc.loaded.recompiled else None
    if cls is not None and cls.proves_cover:
        what = f"it meets its {inc.report.level} margin"
    elif cls is not None and inc.report.totals.extra:
        what = (
            "it is counted in the batch's published totals ("
            + ", ".join(inc.report.totals.extra_names)
            + "; its own state is not disclosed)"
        )
    else:
        what = "it is one of the accounts the report's circuit proves (the report says: "
        what += f"{printable(inc.report.claim, 500)})"
    click.echo(
        f"OK: account {printable(rc.account.id, 64)} ({held or 'empty'}) is account {rc.index} of the snapshot, "
        f"position {rc.position} of batch {rc.batch} (accounts {st.first_index}.."
        f"{st.first_index + st.count - 1}), whose proof verifies: {what} at epoch "
        f"{inc.report.epoch}\n    {key_line(inc.loaded)}"
    )
    if inc.loaded.pinned_by is None:
        click.echo(UNPINNED, err=True)
