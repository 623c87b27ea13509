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
import itertools
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zkmargin.atomic_files import atomic_write
from zkmargin.batch import Statement, check_account_fits, tree_depth
from zkmargin.batch.claims import claim
from zkmargin.curve import available_backends
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import (
    VerifyingKey,
    proof_to_json,
    public_to_json,
    write_json,
)
from zkmargin.formats.wtns import write_wtns
from zkmargin.groth16 import verification_key, verify, verifying_key
from zkmargin.groth16.key_checks import key_defect
from zkmargin.margin import Account, Market, load_market, read_accounts
from zkmargin.solvency import layout
from zkmargin.solvency.batch_jobs import (
    PADDING_ID,
    BatchOutput,
    BatchTask,
    ModelSpec,
    ProvingError,
    prove_batch,
    remember,
)
from zkmargin.solvency.batch_model import BatchModel, batch_model, check_market_model
from zkmargin.solvency.executors import open_executor
from zkmargin.solvency.keys import Keys, check_shape, load_keys
from zkmargin.solvency.ledger import LEDGER, FingerprintMismatch, Ledger
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import BatchEntry, Excluded, Report, Totals, market_table_json
from zkmargin.solvency.seeding import Randomness, load_account_key
from zkmargin.solvency.snapshot_tree import TopTree
from zkmargin.solvency.staging import (
    PUBLIC_README,
    check_destination,
    check_private,
    discard_run,
    make_dir,
    open_folders,
    partial_folder,
    publish,
)

SCAN_CHUNK = 1024
"""Accounts margined at once in the scan (the calculator is vectorised over a chunk)."""

WORK = "work"
"""Folder of the partial report holding each finished batch's receipts until assembly."""

ASSEMBLED = ("assembled", "done")
"""Ledger states after which the batch files may be gone (their receipts are final)."""

__all__ = [
    "Progress",
    "ProveResult",
    "UnderMargined",
    "padded_count",
    "prove_snapshot",
    "shortfalls",
]


@dataclass(frozen=True)
class Progress:
    """Where proving stands: passed to the ``progress`` callback once when proving starts
    (``event`` ``"start"``) and after each batch is written and recorded (``"batch"``).

    ``resumed_*``: what an earlier, interrupted run had already proven (not counted in rates).
    """

    event: str
    batches_done: int
    batches_total: int
    accounts_done: int
    accounts_total: int
    seconds: float
    resumed_batches: int = 0
    resumed_accounts: int = 0

    @property
    def rate(self) -> float:
        """Accounts per second proven by this run (0 before the first batch)."""
        fresh = self.accounts_done - self.resumed_accounts
        return fresh / self.seconds if self.seconds > 0 and fresh > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at this run's rate (``None`` before it is known)."""
        rate = self.rate
        return (self.accounts_total - self.accounts_done) / rate if rate else None


class UnderMargined(Exception):
    """Accounts whose collateral value misses the buffered requirement (no report written):
    raised unless ``allow_shortfall``, and with it when every account misses."""

    def __init__(self, accounts: Sequence[Excluded]) -> None:
        self.accounts = tuple(accounts)
        n = len(self.accounts)
        super().__init__(f"{n} {'account misses its' if n == 1 else 'accounts miss their'} "
                         "margin requirement")  # fmt: skip


@dataclass(frozen=True)
class ProveResult:
    """What ``prove_snapshot`` wrote: the report, where, and how much was proven."""

    report: Report
    folder: Path
    private: Path
    """The private folder: receipts, job ledger, witnesses (never to be published)."""
    constraints_per_batch: int
    seconds: float
    resumed_batches: int = 0
    proves_cover: bool = True
    """Whether the circuit proves each account's buffered cover (``BatchCircuit.proves_cover``);
    the health circuits prove states instead."""


def shortfalls(model: BatchModel, accounts: Sequence[Account]) -> list[Excluded]:
    """Accounts the circuit cannot prove, each with its shortfall (money, 10^-8), as the
    circuit's class states them (:meth:`~zkmargin.batch.BatchCircuit.shortfalls`).

    A margin circuit proves ``collateral·10^6 >= (10^6 + buffer)·requirement``; the shortfall is
    ``ceil((10^6 + buffer)·requirement / 10^6) − collateral`` (the calculator's ``−excess``).
    ``isolated`` sums the shortfalls of its parts (an account can be short on one isolated
    position while its totals cover); the health circuits prove states, never cover: nobody.
    """
    if not accounts:
        return []
    short = model.cls.shortfalls(model.market, accounts)
    return [Excluded(a.id, s) for a, s in zip(accounts, short, strict=True) if s > 0]


def padded_count(real: int, batch_size: int, hide_count: bool, pad_to: int | None) -> int:
    """How many accounts the report states: ``real``, or padded with zero accounts.

    ``hide_count`` pads to a power-of-two number of full batches; ``pad_to`` to that many
    accounts (at least ``real``).

    >>> padded_count(5, 2, False, None), padded_count(5, 2, True, None), padded_count(5, 2, False, 9)
    (5, 8, 9)
    """
    if hide_count and pad_to is not None:
        raise InputError("--pad-to", "", "use --hide-count or --pad-to, not both")
    if pad_to is not None:
        if pad_to < real:
            raise InputError("--pad-to", "", f"{pad_to} is less than the {real} accounts to prove")
        return pad_to
    if hide_count:
        batches = -(-real // batch_size)
        return (1 << (batches - 1).bit_length()) * batch_size
    return real


def prove_snapshot(
    accounts_path: str | Path,
    market_path: str | Path,
    keys: str | Path | Keys,
    out: str | Path,
    *,
    private: str | Path | None = None,
    keep_witnesses: bool = False,
    allow_shortfall: bool = False,
    progress: Callable[[Progress], None] | None = None,
    seed: int | None = None,
    workers: int = 1,
    executor: str | None = None,
    backend: str | None = None,
    hide_count: bool = False,
    pad_to: int | None = None,
    restart: bool = False,
    previous: str | Path | None = None,
    account_key: str | Path | None = None,
) -> ProveResult:
    """Prove every account of ``accounts_path`` against ``market_path`` with the keys folder
    ``keys``; write the report folder ``out`` — public material only — and the receipts,
    the job ledger and (``keep_witnesses``) the witnesses into ``private`` (default
    ``out.private`` beside it; see :mod:`zkmargin.solvency.layout`).

    ``seed`` derives salts and proof blinding (reproducible, byte-identical reports — but NOT
    zero-knowledge: tests and audits only); by default they come from :mod:`secrets`.
    ``workers``/``executor``: where batches are proven (:func:`~zkmargin.solvency.executors.
    open_executor`); ``backend``: the MSM backend of :func:`zkmargin.groth16.prove`.
    ``hide_count``/``pad_to``: pad with zero accounts (:func:`padded_count`). ``restart``
    discards an interrupted run (``out.partial`` and the private folder's run files) instead of
    resuming it. ``previous``: the report folder this one follows (verified; its chain hash goes
    into every statement, :mod:`zkmargin.solvency.chain`). ``account_key``: the file of the
    exchange's account key, which fixes each account's secret and so its commitment across
    epochs (created when absent; default ``private/account.key``, or derived from ``seed``).

    Example (seconds per batch on the tests' tiny market)::

        prove_snapshot("accounts.jsonl", "market.json", "keys", "report", seed=7, workers=2)
    """
    start = time.perf_counter()
    out = check_destination(out)
    private = check_private(out, private)
    _check_options(workers, backend, seed)
    market_path = Path(market_path)
    market = load_market(market_path)
    if not isinstance(keys, Keys):
        keys = load_keys(keys)
    model = batch_model(keys.info.circuit, market, keys.info.shape)
    check_market_model(model)
    check_shape(keys, model)
    vk = _checked_key(keys)
    accounts_hash = _sha256_file(Path(accounts_path))
    linked = previous_link(previous, market) if previous is not None else 0

    # a key given is read first (a bad one writes nothing); the default one lives in the
    # private folder, made below
    key = load_account_key(Path(account_key)) if account_key is not None else None
    real, short = _scan(model, accounts_path, market)
    if short and (not allow_shortfall or real == 0):
        raise UnderMargined(short)
    size = keys.info.batch_size
    total = padded_count(real, size, hide_count, pad_to)
    n_batches = -(-total // size)
    fingerprint = {
        "accounts": accounts_hash,
        "market": _sha256_file(market_path),
        "proving_key": _sha256_file(keys.folder / layout.ZKEY),
        "circuit": keys.info.circuit,
        "batch_size": size,
        "accounts_proven": total,
        "allow_shortfall": allow_shortfall,
        "previous": str(linked),
    }  # what must match for a partial run to be resumed (ledger.py)
    spec = ModelSpec(
        keys.info.circuit,
        str(market_path.resolve()),
        str(keys.folder.resolve()),
        keys.info.shape,
        backend,
        keep_witnesses,
    )
    remember(spec, model, keys.zkey)
    with open_executor(executor, workers) as ex:  # a bad --executor fails before any write
        partial = partial_folder(out)
        if restart:
            discard_run(partial, private, (LEDGER, WORK))
        open_folders(partial, private, LEDGER)
        if key is None and seed is None:
            key = load_account_key(private / layout.ACCOUNT_KEY)
        randomness = Randomness(seed, model.compiled.field.p, key)
        fingerprint["randomness"] = randomness.fingerprint()
        make_dir(private / WORK, layout.PRIVATE_DIR_MODE)
        if keep_witnesses:
            make_dir(private / layout.WITNESSES, layout.PRIVATE_DIR_MODE)
        with Ledger(private / LEDGER) as ledger:
            os.chmod(private / LEDGER, layout.PRIVATE_FILE_MODE)
            try:
                ledger.start(fingerprint, n_batches)
            except FingerprintMismatch as err:
                raise InputError(
                    "--out",
                    "",
                    f"{private} holds an interrupted run with other arguments ({err}); run the "
                    "same command to resume it, or add --restart to discard it",
                ) from None
            if ledger.state in ASSEMBLED and not (partial / layout.REPORT).is_file():
                raise InputError(
                    "--private",
                    "",
                    f"{private} holds a finished run whose report is gone; add --restart to "
                    "prove again, or choose another --private folder",
                )
            done = _still_valid(ledger, partial, private)
            if ledger.state not in ASSEMBLED:
                run = _Run(partial, private, ledger, keep_witnesses, model.compiled.field.p,
                           progress)  # fmt: skip
                resumed_accounts = sum(min(size, total - n * size) for n in done)
                run.announce(Progress("start", len(done), n_batches, resumed_accounts, total, 0.0,
                                      len(done), resumed_accounts))  # fmt: skip
                excluded = {e.id for e in short}
                tasks = _tasks(
                    spec, model, accounts_path, market, excluded, (real, total), randomness,
                    done, linked,
                )  # fmt: skip
                try:
                    for output in ex.imap(prove_batch, tasks):
                        _self_check(vk, output)
                        run.save(output)
                except InputError:
                    raise
                except ValueError as err:  # an account the circuit cannot encode (its windows)
                    raise InputError(
                        str(accounts_path), "", f"{err}; fix it, then run again with --restart"
                    ) from None
                if _sha256_file(Path(accounts_path)) != accounts_hash:
                    raise InputError(str(accounts_path), "", "the file changed while it was proven")
            report = _assemble(
                partial, private, ledger, model, keys, market_path, n_batches, short, total != real
            )
            ledger.set_state("done")
    shutil.rmtree(private / WORK, ignore_errors=True)
    publish(partial, out, layout.public_files(n_batches))
    resumed = len(done)
    return ProveResult(
        report,
        out,
        private,
        model.compiled.r1cs.n_constraints,
        time.perf_counter() - start,
        resumed,
        model.cls.proves_cover,
    )


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


def _scan(model: BatchModel, accounts_path: str | Path, market) -> tuple[int, list[Excluded]]:
    """Pass 1: how many accounts are provable, and the shortfalls of the others; an account
    with more positions than the shape's slots stops everything (one line, nothing written)."""
    real, short = 0, []
    for chunk in _chunks(read_accounts(accounts_path, market), SCAN_CHUNK):
        for account in chunk:
            check_account_fits(account, model.shape, str(accounts_path))
        found = shortfalls(model, chunk)
        short.extend(found)
        real += len(chunk) - len(found)
    if real == 0 and not short:
        raise InputError(str(accounts_path), "", "no accounts to prove")
    return real, short


def _chunks(items: Iterable[Account], size: int) -> Iterator[list[Account]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _tasks(
    spec: ModelSpec,
    model: BatchModel,
    accounts_path: str | Path,
    market,
    excluded: set[str],
    counts: tuple[int, int],
    randomness: Randomness,
    done: set[int],
    previous: int,
) -> Iterator[BatchTask]:
    """Pass 2: the batches still to prove, lazily (the executor pulls them as it has room).

    ``counts`` = (real accounts, accounts proven); the real ones are spread over the batches
    (:func:`real_per_batch`) and each batch is topped up with zero accounts.
    """
    real, total = counts
    included = (a for a in read_accounts(accounts_path, market) if a.id not in excluded)
    epoch = market.epoch_seconds
    size = spec.batch_size
    for n, k in enumerate(real_per_batch(real, total, size)):
        chunk = list(itertools.islice(included, k))  # read even when skipped: the file's order
        if n in done:
            continue
        width = min(size, total - n * size)
        chunk += [Account(PADDING_ID, {}, {})] * (width - k)
        first = n * size
        salts = tuple(randomness.salt(first + i) for i in range(width))
        secrets = tuple(randomness.secret(a.id) for a in chunk)
        blinding = randomness.blinding_seed(n)
        yield BatchTask(spec, n, first, epoch, tuple(chunk), salts, blinding, secrets, previous)


def real_per_batch(real: int, total: int, size: int) -> list[int]:
    """How many of the ``real`` accounts go into each batch when ``total`` are proven.

    Spread in proportion to the batches' widths, so that with ``real >= batches`` every batch
    holds a real account and no batch's public totals are those of padding alone (which would
    give the count away to within a batch).

    >>> real_per_batch(5, 5, 2), real_per_batch(5, 8, 2), real_per_batch(3, 8, 2)
    ([2, 2, 1], [1, 1, 1, 2], [0, 1, 1, 1])
    """
    bounds = [min(total, n * size) for n in range(-(-total // size) + 1)]
    return [real * hi // total - real * lo // total for lo, hi in itertools.pairwise(bounds)]


class _Run:
    """Writes each finished batch (files first, then its ledger row) and reports progress."""

    def __init__(self, partial: Path, private: Path, ledger: Ledger, keep_witnesses: bool,
                 p: int, progress) -> None:  # fmt: skip
        self.partial, self.private, self.ledger, self.p = partial, private, ledger, p
        self.keep_witnesses, self.progress = keep_witnesses, progress
        self.started = time.perf_counter()
        self.state: Progress | None = None

    def announce(self, state: Progress) -> None:
        self.state = state
        if self.progress is not None:
            self.progress(state)

    def save(self, output: BatchOutput) -> None:
        n = output.index
        if output.witness is not None and self.keep_witnesses:
            folder = self.private / layout.WITNESSES
            write_wtns(folder / f"{n}.wtns", output.witness, self.p, layout.PRIVATE_FILE_MODE)
        folder = layout.batch_dir(self.partial, n)
        make_dir(folder.parent, layout.PUBLIC_DIR_MODE)
        make_dir(folder, layout.PUBLIC_DIR_MODE)
        write_json(folder / layout.PROOF, proof_to_json(output.proof), layout.PUBLIC_FILE_MODE)
        write_json(folder / layout.PUBLIC, public_to_json(output.public), layout.PUBLIC_FILE_MODE)
        lines = "".join(json.dumps(r.to_json(), sort_keys=True) + "\n" for r in output.receipts)
        atomic_write(_work_file(self.private, n), lines.encode(), layout.PRIVATE_FILE_MODE)
        self.ledger.record(
            n,
            json.dumps(output.statement.to_json()),
            output.statement_hash,
            _output_hash(self.partial, self.private, n),
            output.seconds,
        )
        assert self.state is not None
        s = self.state
        self.announce(
            Progress("batch", s.batches_done + 1, s.batches_total,
                     s.accounts_done + output.statement.count, s.accounts_total,
                     time.perf_counter() - self.started, s.resumed_batches, s.resumed_accounts)
        )  # fmt: skip


def _work_file(private: Path, n: int) -> Path:
    return private / WORK / f"receipts-{n}.jsonl"


def _output_hash(partial: Path, private: Path, n: int) -> str:
    """SHA-256 over batch ``n``'s files (proof, public signals, receipts), length-prefixed."""
    digest = hashlib.sha256()
    folder = layout.batch_dir(partial, n)
    for path in (folder / layout.PROOF, folder / layout.PUBLIC, _work_file(private, n)):
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _still_valid(ledger: Ledger, partial: Path, private: Path) -> set[int]:
    """The recorded batches whose files are intact; the others are forgotten (proven again)."""
    if ledger.state in ASSEMBLED:
        return set(ledger.finished())
    valid = set()
    for n, row in ledger.finished().items():
        try:
            intact = _output_hash(partial, private, n) == row.output_sha256
        except FileNotFoundError:
            intact = False
        if intact:
            valid.add(n)
        else:
            ledger.forget(n)
    return valid


def _assemble(
    partial: Path,
    private: Path,
    ledger: Ledger,
    model: BatchModel,
    keys: Keys,
    market_path: Path,
    n_batches: int,
    short: Sequence[Excluded],
    count_hidden: bool,
) -> Report:
    """Pass 3: the top tree over the batch roots, ``report.json``, the receipts' full paths."""
    rows = ledger.finished()
    missing = [n for n in range(n_batches) if n not in rows]
    if missing:
        raise ProvingError(f"batch {missing[0]} was not proven")
    # The stored hash is the proof's public signal, which the worker checked equal to the
    # statement's hash (with statement=fields, computed once when the batch was recorded):
    # no Poseidon sponge per batch here.
    try:
        batches = [
            BatchEntry(
                n, Statement.from_json(json.loads(rows[n].statement)), rows[n].statement_hash
            )
            for n in range(n_batches)
        ]
    except ValueError as err:
        raise ledger.damaged(f"a batch's statement: {err}") from None
    depth = tree_depth(model.batch_size)
    top = TopTree([b.statement.batch_root for b in batches], depth)
    market = model.market
    cls = model.cls
    totals = Totals.of(
        batches,
        len(market.assets),
        cls.statement_extra_names,
        hidden=cls.padding_counts if count_hidden else None,
    )
    report = Report(
        epoch=market.epoch.strftime("%Y-%m-%dT%H:%M:%SZ"),
        circuit=model.name,
        model=model.model,
        level=market.model.level,
        shape=model.shape,
        curve=keys.info.curve,
        table_root=model.market_data.table_root,
        market_hash=model.market_data.vector.hash(),
        circuit_id=model.circuit_id,
        assets=market.asset_names,
        totals=totals,
        batches=tuple(batches),
        excluded=tuple(short),
        root=top.root,
        circuit_digest=model.circuit_digest,
        claim=claim(cls, market, totals.accounts),
    )
    if ledger.state not in ASSEMBLED:
        make_dir(private / layout.RECEIPTS, layout.PRIVATE_DIR_MODE)
        for n in range(n_batches):
            upper = tuple(top.path(n))
            with _work_file(private, n).open(encoding="utf-8") as fh:
                for line in fh:
                    r = Receipt.from_json(json.loads(line), f"batch {n}")
                    full = Receipt(
                        r.account,
                        r.salt,
                        r.batch,
                        r.position,
                        r.index,
                        r.leaf,
                        r.siblings + upper,
                        r.epoch,
                        r.secret,
                    )
                    write_json(
                        layout.receipt_path(private, r.account.id),
                        full.to_json(),
                        layout.PRIVATE_FILE_MODE,
                    )
        public = layout.PUBLIC_FILE_MODE
        write_json(partial / layout.VKEY, verification_key(keys.zkey), public)
        atomic_write(partial / layout.MARKET, market_path.read_bytes(), public)
        write_json(
            partial / layout.MARKET_TABLE,
            market_table_json(market.instrument_names, model.market_data),
            public,
        )
        write_json(partial / layout.REPORT, report.to_json(), public)
        atomic_write(partial / layout.README, PUBLIC_README.encode(), public)
        ledger.set_state("assembled")
    return report


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise InputError(str(path), "", "no such file") from None
    return digest.hexdigest()
