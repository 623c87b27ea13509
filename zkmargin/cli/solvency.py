"""``zkmargin setup | prove | verify | verify-inclusion``: the solvency flow (zkmargin.solvency).

Exit status: 0 OK; 1 the claim does not hold (an account misses its requirement, a report or
receipt does not verify); 2 bad input (one ``error: FILE: FIELD: PROBLEM`` line).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from zkmargin.cli.errors import fail, os_error_line, user_errors
from zkmargin.cli.options import DIR, FILE, backend_option
from zkmargin.cli.params import param_option, parse_params
from zkmargin.cli.root import main
from zkmargin.cli.wording import plural
from zkmargin.errors import printable
from zkmargin.limits import MAX_BATCH_SIZE
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE, format_decimal

UNSAFE = (
    "warning: UNSAFE single-party setup, for development only: whoever ran it can forge proofs.\n"
    "For production, run a ceremony on {r1cs} (snarkjs) and drop its .zkey in as {zkey}."
)


def money(x: int) -> str:
    return format_decimal(x, MONEY_SCALE)


def state_counts(totals) -> str:
    """The health circuits' own totals in words ("" for a circuit without them); a count left
    out because the number of accounts is hidden is not shown.

    >>> from zkmargin.solvency import Totals
    >>> state_counts(Totals(3, 0, 0, (), (("healthy", 1), ("margin_call", 1), ("liquidation", 1),
    ...     ("shortfall", 250_000_000))))
    'health: 1 healthy, 1 in margin call, 1 in liquidation (shortfall 2.5)'
    >>> state_counts(Totals(None, 0, 0, (), (("margin_call", 1), ("liquidation", 0),
    ...     ("shortfall", 0))))
    'health: 1 in margin call, 0 in liquidation (shortfall 0)'
    """
    from zkmargin.batch.health import HEALTH_TOTALS

    extra = dict(totals.extra)
    if not extra:
        return ""
    if set(extra) <= set(HEALTH_TOTALS):
        words = {"healthy": "{} healthy", "margin_call": "{} in margin call",
                 "liquidation": "{} in liquidation"}  # fmt: skip
        parts = [words[k].format(v) for k, v in extra.items() if k in words]
        return f"health: {', '.join(parts)} (shortfall {money(extra.get('shortfall', 0))})"
    return "own totals: " + ", ".join(f"{k} {v}" for k, v in extra.items())


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


def _note(quiet: bool, text: str) -> None:
    if not quiet:
        click.echo(text, err=True)


@main.command("setup")
@click.option("--circuit", required=True, help="Model circuit: a name in circuits/ or FILE.py.")
@click.option("--market", "market_path", required=True, type=FILE, help="Market snapshot JSON.")
@click.option(
    "--batch-size",
    required=True,
    type=click.IntRange(1, MAX_BATCH_SIZE),
    help="Accounts per batch proof.",
)
@param_option
@click.option("--out", required=True, type=DIR, help="Keys folder to create.")
@click.option("--ptau", type=FILE, help="Powers of tau (prepared): start a phase-2 ceremony.")
@click.option("--zkey", type=FILE, help="A finished ceremony's key to adopt (checked).")
@click.option("--quiet", is_flag=True, help="No progress messages.")
@user_errors
def setup_command(
    circuit: str,
    market_path: Path,
    batch_size: int,
    params: tuple[str, ...],
    out: Path,
    ptau: Path | None,
    zkey: Path | None,
    quiet: bool,
) -> None:
    """Compile CIRCUIT for the shape of MARKET at BATCH-SIZE; write proving and verification
    keys to OUT. One set of keys proves every market and snapshot that fits its shape.

    Writes circuit.zkey, verification_key.json, circuit.r1cs (iden3) and circuit.json. Without
    --ptau/--zkey the setup is UNSAFE (one party knows the toxic waste): development only.
    --ptau writes the start of a phase-2 ceremony (contribute with zkmargin zkey contribute,
    finish with zkey beacon); --zkey adopts the finished key, checked against the circuit (in
    full, contributions included, when --ptau is given too).
    """
    from zkmargin.margin import load_market
    from zkmargin.solvency import layout
    from zkmargin.solvency.batch_model import circuit_shape
    from zkmargin.solvency.keys import setup_keys
    from zkmargin.solvency.staging import check_destination

    check_destination(out)  # options and inputs first: nothing is printed before they pass
    shape_params = parse_params(params)
    market = load_market(market_path)
    circuit_shape(circuit, market, batch_size, shape_params)  # what does not fit: before anything
    start = time.perf_counter()
    _note(quiet, f"compiling {circuit} for batches of {batch_size} and running the setup...")
    info = setup_keys(circuit, market, batch_size, out, params=shape_params, ptau=ptau, zkey=zkey)
    if ptau is None and zkey is None:
        click.echo(UNSAFE.format(r1cs=out / layout.R1CS_FILE, zkey=out / layout.ZKEY), err=True)
    shape = info.shape
    click.echo(
        f"keys for circuit {info.circuit} (model {info.model}), batches of {shape.batch_size}, "
        f"{shape.slots} slots, {shape.instruments} instruments: "
        f"{info.constraints} constraints, {info.wires} wires, {info.curve}, setup "
        f"{info.setup} -> {out} ({time.perf_counter() - start:.1f} s)"
    )
    if info.setup == "phase2-start":
        click.echo(
            f"phase-2 start: collect contributions on {out / layout.ZKEY} (zkmargin zkey "
            "contribute), end with zkey beacon, then adopt it with setup --zkey",
            err=True,
        )


class ProgressPrinter:
    """``prove``'s progress on stderr: a redrawn bar on a terminal; one plain line per batch when
    stderr is a file or pipe (logs); one JSON object per line with ``--progress-json`` (even with
    ``--quiet``); nothing with ``--quiet``."""

    WIDTH = 30

    def __init__(
        self, *, quiet: bool, json_lines: bool, tty: bool | None = None, preface: str | None = None
    ) -> None:
        self.quiet, self.json_lines, self.preface = quiet, json_lines, preface
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.drawn = False

    def __call__(self, p) -> None:
        if p.event == "start" and self.preface is not None:
            click.echo(self.preface, err=True)
        if self.json_lines:
            click.echo(json.dumps(self.record(p), sort_keys=True), err=True)
        elif self.quiet:
            return
        elif p.event == "start":
            if p.resumed_batches:
                click.echo(
                    f"resuming: {p.resumed_batches} of {plural(p.batches_total, 'batch')} "
                    "already proven",
                    err=True,
                )
        elif self.tty:
            filled = self.WIDTH * p.batches_done // p.batches_total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            click.echo(f"\r[{bar}] {self.line(p)}\x1b[K", err=True, nl=False)
            self.drawn = True
        else:
            click.echo(self.line(p), err=True)

    @staticmethod
    def line(p) -> str:
        eta = "?" if p.eta is None else _duration(p.eta)
        return (
            f"batch {p.batches_done}/{p.batches_total}: {p.accounts_done}/{p.accounts_total} "
            f"accounts, {p.rate:.2f} accounts/s, {eta} left"
        )

    @staticmethod
    def record(p) -> dict:
        return {
            "event": p.event,
            "batches_done": p.batches_done,
            "batches_total": p.batches_total,
            "accounts_done": p.accounts_done,
            "accounts_total": p.accounts_total,
            "elapsed_s": round(p.seconds, 3),
            "accounts_per_s": round(p.rate, 3),
            "eta_s": None if p.eta is None else round(p.eta, 1),
            "resumed_batches": p.resumed_batches,
        }

    def finish(self) -> None:
        """End the bar's line (so later messages start on a fresh one)."""
        if self.drawn:
            click.echo("", err=True)
            self.drawn = False


def _duration(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


SEEDED = (
    "warning: --seed derives every salt and the proofs' blinding from the seed: anyone who knows "
    "it can\nrecover the accounts from this report. A seeded report is NOT zero-knowledge: for "
    "tests and audits\nof the pipeline only, never for publication."
)


@main.command("prove")
@click.argument("accounts", type=FILE)
@click.option("--market", "market_path", required=True, type=FILE, help="Market snapshot JSON.")
@click.option("--keys", required=True, type=DIR, help="Keys folder from zkmargin setup.")
@click.option("--out", required=True, type=DIR, help="Report folder to create (public).")
@click.option(
    "--private",
    type=DIR,
    help="Folder for receipts, job ledger, witnesses  [default: OUT.private beside OUT].",
)
@click.option(
    "--keep-witnesses", is_flag=True, help="Keep each batch's witness in the private folder."
)
@click.option(
    "--allow-shortfall",
    is_flag=True,
    help="Leave out accounts that miss their requirement (listed in the report) instead of failing.",
)
@click.option("--workers", type=int, default=None, help="Batches proven at once  [default: 1].")
@click.option("--jobs", type=int, default=None, hidden=True)  # the option's former name
@click.option("--executor", help="Where batches run: 'local' (default) or dask://HOST:PORT.")
@backend_option
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    help="Derive salts and blinding from N (NOT zero-knowledge).",
)
@click.option("--hide-count", is_flag=True, help="Pad to a power-of-two number of full batches.")
@click.option("--pad-to", type=click.IntRange(min=1), help="Pad with zero accounts to N accounts.")
@click.option(
    "--restart", is_flag=True, help="Discard an interrupted run of OUT instead of resuming."
)
@click.option(
    "--previous", type=DIR, help="The report this one follows (its chain hash is proven in)."
)
@click.option(
    "--account-key",
    type=FILE,
    help="The exchange's account key file, kept across epochs (created if absent)  "
    "[default: PRIVATE/account.key; with --seed, derived from the seed].",
)
@click.option(
    "--claim-keys",
    multiple=True,
    type=DIR,
    help="A notice or attestation keys folder whose verifying key the report publishes (repeat).",
)
@click.option("--progress-json", is_flag=True, help="One JSON progress line per batch on stderr.")
@click.option("--quiet", is_flag=True, help="No progress messages.")
@user_errors
def prove_command(
    accounts: Path,
    market_path: Path,
    keys: Path,
    out: Path,
    private: Path | None,
    keep_witnesses: bool,
    allow_shortfall: bool,
    workers: int | None,
    jobs: int | None,
    executor: str | None,
    backend: str | None,
    seed: int | None,
    hide_count: bool,
    pad_to: int | None,
    restart: bool,
    previous: Path | None,
    account_key: Path | None,
    claim_keys: tuple[Path, ...],
    progress_json: bool,
    quiet: bool,
) -> None:
    """Prove every account of ACCOUNTS meets its margin (or, for a health circuit, its health
    state); write the report folder OUT.

    OUT gets only what is meant to be published; receipts (each account's positions and salt),
    the job ledger and kept witnesses go to the private folder (--private, default OUT.private).
    An account that misses its requirement is named with its shortfall and nothing is written
    (exit 1), unless --allow-shortfall. The run builds OUT.partial and renames it at the end;
    an interrupted run (Ctrl-C, a kill, a full disk) resumes when the same command is run again.
    """
    from zkmargin.solvency import (
        ProveOptions,
        ProvingError,
        Snapshot,
        UnderMargined,
        prove_snapshot,
    )

    # the seed warning waits for the start of proving: options and inputs are checked first
    printer = ProgressPrinter(
        quiet=quiet, json_lines=progress_json, preface=SEEDED if seed is not None else None
    )
    try:
        result = prove_snapshot(
            Snapshot(accounts, market_path, keys, previous=previous),
            out,
            ProveOptions(
                private=private,
                keep_witnesses=keep_witnesses,
                allow_shortfall=allow_shortfall,
                progress=printer,
                seed=seed,
                workers=workers if workers is not None else jobs if jobs is not None else 1,
                executor=executor,
                backend=backend,
                hide_count=hide_count,
                pad_to=pad_to,
                restart=restart,
                account_key=account_key,
                claim_keys=claim_keys,
            ),
        )
    except UnderMargined as err:
        n = len(err.accounts)
        if allow_shortfall:
            what, hint = "every account misses its", ""
        else:
            what = "an account misses its" if n == 1 else f"{n:,} accounts miss their"
            hint = " (--allow-shortfall proves the others and lists these in the report)"
        listed = shortfall_list(err.accounts)
        fail(f"error: {what} requirement ({listed}); no report written{hint}", 1)
    except ProvingError as err:
        printer.finish()
        fail(f"error: {printable(err, 300)}", 1)
    except KeyboardInterrupt:
        printer.finish()
        fail(
            f"interrupted: finished batches are kept in {out}.partial; run the same command "
            "again to resume",
            130,
        )
    except OSError as err:  # a full disk, a refused write: the finished batches are kept
        printer.finish()
        fail(f"{os_error_line(err)}; finished batches are kept: run the same command to resume")
    printer.finish()
    r = result.report
    resumed = f", {result.resumed_batches} resumed" if result.resumed_batches else ""
    slots = len(r.batches) * r.batch_size
    if r.count_hidden:
        counted = f"{plural(slots, 'slot')} (the report hides how many are accounts)"
    else:
        counted = plural(r.totals.accounts, "account")
    click.echo(
        f"proved {counted} in {plural(len(r.batches), 'batch')} of "
        f"{r.batch_size} ({result.constraints_per_batch:,} constraints each{resumed}) in "
        f"{result.seconds:.1f} s -> {out} (public)"
    )
    click.echo(f"  {r.claim}")
    if state_counts(r.totals):
        click.echo(f"  {state_counts(r.totals)}")
    if r.excluded:
        click.echo(f"  left out, listed in the report: {shortfall_list(r.excluded)}")
    click.echo(
        f"  receipts and job ledger -> {result.private} (PRIVATE: send each user their own "
        "receipt; never publish this folder)"
    )


def shortfall_list(accounts, shown: int = 3) -> str:
    """``acct-1 short by 2.5, acct-7 short by 1, and 41 more`` (ids escaped for the terminal)."""
    parts = [f"{printable(e.id, 64)} short by {money(e.shortfall)}" for e in accounts[:shown]]
    more = len(accounts) - shown
    return ", ".join(parts) + (f", and {more} more" if more > 0 else "")


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
