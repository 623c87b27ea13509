"""``zkmargin prove``: a snapshot of accounts -> batch proofs, one account tree, report, receipts.

The accounts file is read twice, as a stream, never held in memory:

1. *scan*: the reference calculator margins the accounts chunk by chunk; an account that misses
   its buffered requirement stops everything (:class:`UnderMargined`, nothing written) unless
   ``allow_shortfall``, which leaves it out and lists it in the report;
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

import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from zkmargin.curve import available_backends
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey
from zkmargin.groth16 import verify, verifying_key
from zkmargin.groth16.key_checks import key_defect
from zkmargin.margin import Market, load_market
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
from zkmargin.solvency.batch_model import BatchModel, batch_model, check_market_model
from zkmargin.solvency.batch_plan import batch_tasks, padded_count, scan_accounts
from zkmargin.solvency.claim_keys import fingerprints, read_claim_keys
from zkmargin.solvency.executors import Executor, open_executor
from zkmargin.solvency.keys import Keys, check_shape, load_keys
from zkmargin.solvency.ledger import LEDGER, FingerprintMismatch, Ledger
from zkmargin.solvency.prove_request import (
    Progress,
    ProveOptions,
    ProveResult,
    Snapshot,
    UnderMargined,
)
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import Excluded
from zkmargin.solvency.seeding import Randomness, load_account_key
from zkmargin.solvency.staging import (
    check_destination,
    check_private,
    discard_run,
    make_dir,
    open_folders,
    partial_folder,
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

    Example::

        prove_snapshot(Snapshot("accounts.jsonl", "market.json", "keys"), "report",
                       ProveOptions(seed=7, workers=2))
    """
    start = time.perf_counter()
    run = _prepare(snapshot, out, options or ProveOptions())
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


@dataclass
class _Prepared:
    """A run checked and scanned, before anything is written."""

    snapshot: Snapshot
    options: ProveOptions
    out: Path
    private: Path
    keys: Keys
    model: BatchModel
    vk: VerifyingKey
    accounts_hash: str
    previous: int
    account_key: bytes | None
    real: int
    short: list[Excluded]
    total: int
    claim_vks: dict[str, VerifyingKey]

    @property
    def partial(self) -> Path:
        return partial_folder(self.out)

    @property
    def market_path(self) -> Path:
        return Path(self.snapshot.market)

    @property
    def n_batches(self) -> int:
        return -(-self.total // self.keys.info.batch_size)

    def fingerprint(self) -> dict[str, object]:
        """What must match for a partial run to be resumed (:mod:`zkmargin.solvency.ledger`)."""
        return {
            "accounts": self.accounts_hash,
            "market": _sha256_file(self.market_path),
            "proving_key": _sha256_file(self.keys.folder / layout.ZKEY),
            "circuit": self.keys.info.circuit,
            "batch_size": self.keys.info.batch_size,
            "accounts_proven": self.total,
            "allow_shortfall": self.options.allow_shortfall,
            "previous": str(self.previous),
            "claim_keys": fingerprints(self.claim_vks),
        }


def _prepare(snapshot: Snapshot, out: str | Path, options: ProveOptions) -> _Prepared:
    """Every check that needs no write: folders, options, market, keys, the model's fit, the
    previous report, the account key, and the scan of the accounts (pass 1)."""
    out = check_destination(out)
    private = check_private(out, options.private)
    _check_options(options.workers, options.backend, options.seed)
    market = load_market(Path(snapshot.market))
    keys = snapshot.keys if isinstance(snapshot.keys, Keys) else load_keys(snapshot.keys)
    model = batch_model(keys.info.circuit, market, keys.info.shape)
    check_market_model(model)
    check_shape(keys, model)
    vk = _checked_key(keys)
    accounts_hash = _sha256_file(Path(snapshot.accounts))
    linked = previous_link(snapshot.previous, market) if snapshot.previous is not None else 0
    claim_vks = read_claim_keys(options.claim_keys, keys.info.circuit, keys.info.shape)
    # a key given is read first (a bad one writes nothing); the default one lives in the
    # private folder, made later
    key = load_account_key(Path(options.account_key)) if options.account_key is not None else None
    real, short = scan_accounts(model, snapshot.accounts, market)
    if short and (not options.allow_shortfall or real == 0):
        raise UnderMargined(short)
    total = padded_count(real, keys.info.batch_size, options.hide_count, options.pad_to)
    return _Prepared(
        snapshot, options, out, private, keys, model, vk,
        accounts_hash, linked, key, real, short, total, claim_vks,
    )  # fmt: skip


def _prove_and_assemble(run: _Prepared, ex: Executor) -> tuple[set[int], Report]:
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


def _start_ledger(ledger: Ledger, fingerprint: dict[str, object], run: _Prepared) -> None:
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
    run: _Prepared,
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
    if _sha256_file(Path(accounts)) != run.accounts_hash:
        raise InputError(str(accounts), "", "the file changed while it was proven")


def _checked_key(keys: Keys) -> VerifyingKey:
    """The proving key's verifying key, refused (:class:`ProvingError`) if anyone could forge
    under it: what ``prove`` would publish must be a key ``verify`` accepts."""
    vk = verifying_key(keys.zkey)
    defect = key_defect(vk, n_public=keys.info.public_count)
    if defect is not None:
        raise ProvingError(f"{keys.folder / layout.ZKEY}: its verifying key: {defect}")
    return vk


def _self_check(vk: VerifyingKey, output: BatchOutput) -> None:
    """Verify a batch proof before it is written: a damaged proving key (valid points, wrong
    values) yields proofs that do not verify, and nothing of them may be published."""
    if not verify(vk, output.public, output.proof):
        raise ProvingError(
            f"batch {output.index}: the proof does not verify under the proving key's own "
            f"verifying key (a damaged {layout.ZKEY}?); nothing was published"
        )


def previous_link(previous: str | Path, market: Market) -> int:
    """The chain hash of the verified report ``previous``, whose epoch must be before
    ``market``'s; ``InputError`` (``--previous``) otherwise."""
    from zkmargin.solvency.chain import chain_hash
    from zkmargin.solvency.verifier import Invalid, verify_report

    try:
        report = verify_report(previous).report
    except Invalid as err:
        raise InputError("--previous", "", f"{previous} does not verify: {err}") from None
    if report.batches[0].statement.epoch >= market.epoch_seconds:
        raise InputError(
            "--previous", "", f"{previous}'s epoch {report.epoch} is not before the market's"
        )
    return chain_hash(report)


def _check_options(workers: int, backend: str | None, seed: int | None) -> None:
    if workers < 1:
        raise InputError("--workers", "", f"must be at least 1, got {workers}")
    if backend is not None and backend not in available_backends():
        raise InputError(
            "--backend", "", f"unknown backend {backend!r}; available: {available_backends()}"
        )
    if seed is not None and seed < 0:
        raise InputError("--seed", "", f"must be >= 0, got {seed}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise InputError(str(path), "", "no such file") from None
    return digest.hexdigest()
