"""``zkmargin prove``: a snapshot of accounts -> batch proofs, one account tree, report, receipts.

The accounts file is read twice, as a stream, never held in memory:

1. *scan*: the reference calculator margins the accounts chunk by chunk; an account that misses
   its buffered requirement stops everything (:class:`UnderMargined`, nothing written) unless
   ``allow_shortfall``, which leaves it out and lists it in the report (this pass and every
   check before it: :mod:`zkmargin.solvency.prepared_run`);
2. *prove*: the included accounts, in file order (then the zero accounts of ``hide_count`` /
   ``pad_to``), are cut into batches of the key's batch size, the last one padded; each batch
   becomes a :class:`~zkmargin.solvency.batch_jobs.BatchTask` run by an executor (this process,
   a process pool, a Dask cluster), at most a few in flight; each finished batch's proof, public
   signals and receipts are written at once (atomically) and recorded in the job ledger;
3. *assemble*: the batch roots (from the ledger's statements) go under one top tree
   (:mod:`zkmargin.solvency.snapshot_tree`); ``report.json`` states its root, every receipt gets
   the full path, and the partial folder ``REPORT.partial`` is renamed onto ``REPORT`` — if it
   holds exactly the files this run wrote.

Public and private apart: ``REPORT`` (built in ``REPORT.partial``) gets only what is published;
the receipts, the job ledger and the witnesses go to the private folder (``REPORT.private`` by
default), written in place (:mod:`zkmargin.solvency.staging`, :mod:`zkmargin.solvency.layout`).

Memory: O(batch size × batches in flight) accounts and witnesses, plus O(batches) small items
(a statement per batch, the top tree), plus what the accounts reader keeps to reject duplicate
ids (the set of ids, :func:`zkmargin.margin.read_accounts`), plus the excluded accounts' ids.

Resuming: a run killed, interrupted or failing to write (a full disk) leaves ``REPORT.partial``
and the private folder's ``ledger.sqlite``; the same
call again skips the recorded batches (after checking their files' hashes) and proves the rest.
With ``seed`` the result is byte-identical to an uninterrupted run; without, the unfinished
batches get fresh salts (the finished ones keep theirs: they are in their receipts).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey
from zkmargin.groth16 import verify
from zkmargin.solvency import layout
from zkmargin.solvency.assembly import (
    ASSEMBLED,
    WORK,
    BatchWriter,
    assemble_report,
    still_valid,
)
from zkmargin.solvency.batch_jobs import (
    BatchOutput,
    ModelSpec,
    ProvingError,
    prove_batch,
    remember,
)
from zkmargin.solvency.batch_plan import batch_tasks
from zkmargin.solvency.executors import Executor, open_executor
from zkmargin.solvency.ledger import LEDGER, FingerprintMismatch, Ledger
from zkmargin.solvency.prepared_run import PreparedRun, prepare_run, sha256_file
from zkmargin.solvency.prove_request import (
    Progress,
    ProveOptions,
    ProveResult,
    Snapshot,
    UnderMargined,
)
from zkmargin.solvency.report import Report
from zkmargin.solvency.seeding import Randomness, load_account_key
from zkmargin.solvency.staging import (
    discard_run,
    make_dir,
    open_folders,
    publish,
)

__all__ = [
    "Progress",
    "ProveOptions",
    "ProveResult",
    "Snapshot",
    "UnderMargined",
    "prove_snapshot",
]


def prove_snapshot(
    snapshot: Snapshot, out: str | Path, options: ProveOptions | None = None
) -> ProveResult:
    """Prove every account of ``snapshot`` and write the report folder ``out`` (public material
    only); the receipts, the job ledger and (``keep_witnesses``) the witnesses go to the private
    folder (:class:`ProveOptions`). Refusals raise :class:`~zkmargin.errors.InputError` (or
    :class:`UnderMargined`) before anything is written.

    A run with keys from :func:`~zkmargin.solvency.keys.setup_keys` is in ``docs/api.md``;
    without them nothing is proven or written:

    >>> from zkmargin.margin import example_paths
    >>> market_path, accounts_path = example_paths()
    >>> prove_snapshot(Snapshot(accounts_path, market_path, "no-such-keys"), "report")
    Traceback (most recent call last):
    zkmargin.errors.InputError: no-such-keys: keys folder not found (make one with zkmargin setup)
    """
    start = time.perf_counter()
    run = prepare_run(snapshot, out, options or ProveOptions())
    with open_executor(run.options.executor, run.options.workers) as ex:  # a bad one fails first
        done, report = _prove_and_assemble(run, ex)
    shutil.rmtree(run.private / WORK, ignore_errors=True)
    publish(run.partial, run.out, layout.public_files(run.n_batches, run.claim_vks))
    model = run.model
    return ProveResult(
        report,
        run.out,
        run.private,
        model.compiled.r1cs.n_constraints,
        time.perf_counter() - start,
        len(done),
        model.cls.proves_cover,
    )


def _prove_and_assemble(run: PreparedRun, ex: Executor) -> tuple[set[int], Report]:
    """Open (or resume) the run's folders and ledger, prove the batches still missing (pass 2)
    and assemble the report (pass 3)."""
    options, model, keys = run.options, run.model, run.keys
    partial, private = run.partial, run.private
    spec = ModelSpec(
        keys.info.circuit,
        str(run.market_path.resolve()),
        str(keys.folder.resolve()),
        keys.info.shape,
        options.backend,
        options.keep_witnesses,
    )
    remember(spec, model, keys.zkey)
    if options.restart:
        discard_run(partial, private, (LEDGER, WORK))
    open_folders(partial, private, LEDGER)
    key = run.account_key
    if key is None and options.seed is None:
        key = load_account_key(private / layout.ACCOUNT_KEY)
    randomness = Randomness(options.seed, model.compiled.field.p, key)
    fingerprint = run.fingerprint() | {"randomness": randomness.fingerprint()}
    make_dir(private / WORK, layout.PRIVATE_DIR_MODE)
    if options.keep_witnesses:
        make_dir(private / layout.WITNESSES, layout.PRIVATE_DIR_MODE)
    with Ledger(private / LEDGER) as ledger:
        os.chmod(private / LEDGER, layout.PRIVATE_FILE_MODE)
        _start_ledger(ledger, fingerprint, run)
        done = still_valid(ledger, partial, private)
        if ledger.state not in ASSEMBLED:
            _prove_missing(run, ex, spec, randomness, ledger, done)
        report = assemble_report(
            partial, private, ledger, model, keys, run.market_path, run.n_batches, run.short,
            run.total != run.real, run.claim_vks,
        )  # fmt: skip
        ledger.set_state("done")
    return done, report


def _start_ledger(ledger: Ledger, fingerprint: dict[str, object], run: PreparedRun) -> None:
    """Start or resume the ledger; refuse a folder holding another run, or a finished run whose
    report is gone."""
    try:
        ledger.start(fingerprint, run.n_batches)
    except FingerprintMismatch as err:
        raise InputError(
            "--out",
            "",
            f"{run.private} holds an interrupted run with other arguments ({err}); run the "
            "same command to resume it, or add --restart to discard it",
        ) from None
    if ledger.state in ASSEMBLED and not (run.partial / layout.REPORT).is_file():
        raise InputError(
            "--private",
            "",
            f"{run.private} holds a finished run whose report is gone; add --restart to "
            "prove again, or choose another --private folder",
        )


def _prove_missing(
    run: PreparedRun,
    ex: Executor,
    spec: ModelSpec,
    randomness: Randomness,
    ledger: Ledger,
    done: set[int],
) -> None:
    """Pass 2: prove the batches not yet recorded, self-check and write each as it comes."""
    size, total, accounts = run.keys.info.batch_size, run.total, run.snapshot.accounts
    p = run.model.compiled.field.p
    writer = BatchWriter(run.partial, run.private, ledger, run.options.keep_witnesses, p,
                         run.options.progress)  # fmt: skip
    resumed_accounts = sum(min(size, total - n * size) for n in done)
    writer.announce(Progress("start", len(done), run.n_batches, resumed_accounts, total, 0.0,
                             len(done), resumed_accounts))  # fmt: skip
    excluded = {e.id for e in run.short}
    tasks = batch_tasks(
        spec, run.model, accounts, run.model.market, excluded, (run.real, total), randomness,
        done, run.previous,
    )  # fmt: skip
    try:
        for output in ex.imap(prove_batch, tasks):
            _self_check(run.vk, output)
            writer.save(output)
    except InputError:
        raise
    except ValueError as err:  # an account the circuit cannot encode (its windows)
        raise InputError(
            str(accounts), "", f"{err}; fix it, then run again with --restart"
        ) from None
    if sha256_file(Path(accounts)) != run.accounts_hash:
        raise InputError(str(accounts), "", "the file changed while it was proven")


def _self_check(vk: VerifyingKey, output: BatchOutput) -> None:
    """Verify a batch proof before it is written: a damaged proving key (valid points, wrong
    values) yields proofs that do not verify, and nothing of them may be published."""
    if not verify(vk, output.public, output.proof):
        raise ProvingError(
            f"batch {output.index}: the proof does not verify under the proving key's own "
            f"verifying key (a damaged {layout.ZKEY}?); nothing was published"
        )
