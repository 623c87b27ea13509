"""``zkmargin prove``: a snapshot of accounts proven into a report folder
(:func:`zkmargin.solvency.prove_snapshot`).

Exit status: 0 OK; 1 the claim does not hold (an account misses its requirement) or a proof
fails its self-check; 2 bad input (one ``error: FILE: FIELD: PROBLEM`` line); 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import fail, os_error_line, user_errors
from zkmargin.cli.options import DIR, FILE, backend_option
from zkmargin.cli.progress import ProgressPrinter
from zkmargin.cli.root import main
from zkmargin.cli.wording import plural, shortfall_list, state_counts
from zkmargin.errors import printable

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
