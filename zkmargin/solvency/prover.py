"""``zkmargin prove``: a snapshot of accounts -> batch proofs, report and receipts.

1. The reference calculator margins every account with the circuit's figures; an account whose
   collateral value misses its buffered requirement stops everything (:class:`UnderMargined`,
   nothing written) unless ``allow_shortfall``, which leaves it out and lists it in the report.
2. The remaining accounts, in input order, are cut into batches of the key's batch size (the
   last one padded with zero accounts); each gets fresh salts from :mod:`secrets`.
3. Per batch: witness (:meth:`BatchCircuit.witness_inputs` then ``solve``), ``check`` (a failure
   names the batch, the account and the constraint: the circuit and the calculator disagree),
   Groth16 proof; the batch tree is rebuilt from the leaves for the receipts and must have the
   statement's root.
4. Everything is written into a hidden folder renamed onto ``out`` at the end.
"""

from __future__ import annotations

import multiprocessing
import random
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zkmargin.batch import Statement, tree_depth
from zkmargin.circuit import UnsatisfiedConstraint, check
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import Proof, write_json, write_proof, write_public
from zkmargin.formats.wtns import write_wtns
from zkmargin.formats.zkey import ZKey
from zkmargin.groth16 import prove, verification_key
from zkmargin.hash import MerkleTree
from zkmargin.margin import Account, load_market, read_accounts
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.solvency import layout
from zkmargin.solvency.circuits import BatchModel, batch_model
from zkmargin.solvency.keys import Keys, check_shape, load_keys
from zkmargin.solvency.receipts import Receipt, leaf_of
from zkmargin.solvency.report import BatchEntry, Excluded, Report, Totals
from zkmargin.solvency.staging import check_destination, staged_folder


@dataclass(frozen=True)
class Progress:
    """Where proving stands (passed to the ``progress`` callback after each batch)."""

    batches_done: int
    batches_total: int
    accounts_done: int
    accounts_total: int
    seconds: float


class UnderMargined(Exception):
    """Accounts whose collateral value misses the buffered requirement (no report written)."""

    def __init__(self, accounts: Sequence[Excluded]) -> None:
        self.accounts = tuple(accounts)
        super().__init__(f"{len(self.accounts)} account(s) miss their margin requirement")


class ProvingError(RuntimeError):
    """The circuit rejected a witness the reference calculator accepted: a bug, not bad input."""


@dataclass(frozen=True)
class ProveResult:
    """What ``prove_snapshot`` wrote: the report, where, and how much was proven."""

    report: Report
    folder: Path
    constraints_per_batch: int
    seconds: float


def shortfalls(model: BatchModel, accounts: Sequence[Account]) -> list[Excluded]:
    """Accounts the circuit cannot prove, each with its shortfall (money, 10^-8).

    The circuit proves ``collateral·10^6 >= (10^6 + buffer)·requirement``; the shortfall is
    ``ceil((10^6 + buffer)·requirement / 10^6) − collateral`` (the calculator's ``−excess``).
    """
    if not accounts:
        return []
    collateral, requirement = model.figures(accounts)
    buffer = model.market.model.buffer
    out = []
    for acct, c, r in zip(accounts, collateral, requirement, strict=True):
        need = -(-(RATE_SCALE + buffer) * r // RATE_SCALE)
        if c < need:
            out.append(Excluded(acct.id, need - c))
    return out


def prove_snapshot(
    accounts_path: str | Path,
    market_path: str | Path,
    keys: str | Path | Keys,
    out: str | Path,
    *,
    witness_dir: str | Path | None = None,
    allow_shortfall: bool = False,
    progress: Callable[[Progress], None] | None = None,
    rng: random.Random | None = None,
    jobs: int = 1,
) -> ProveResult:
    """Prove every account of ``accounts_path`` against ``market_path`` with the keys folder
    ``keys``; write the report folder ``out`` (see the module docstring).

    ``jobs`` > 1 proves batches in that many forked processes (results are written in batch
    order by this process). ``rng`` (seeded) makes salts and proofs reproducible — tests only.
    """
    if jobs < 1:
        raise InputError("--jobs", "", f"must be at least 1, got {jobs}")
    start = time.perf_counter()
    out = check_destination(out)
    market_path = Path(market_path)
    market = load_market(market_path)
    if not isinstance(keys, Keys):
        keys = load_keys(keys)
    model = batch_model(keys.info.circuit, market, keys.info.batch_size)
    check_shape(keys, model)
    accounts = list(read_accounts(accounts_path, market))
    if not accounts:
        raise InputError(str(accounts_path), "", "no accounts to prove")

    short = shortfalls(model, accounts)
    if short and not allow_shortfall:
        raise UnderMargined(short)
    left_out = {e.id for e in short}
    included = [a for a in accounts if a.id not in left_out]
    if not included:
        raise InputError(str(accounts_path), "", "every account misses its requirement")

    size = keys.info.batch_size
    epoch = int(market.epoch.timestamp())
    p = model.compiled.field.p
    salts = [rng.randrange(1, p) if rng else 1 + secrets.randbelow(p - 1) for _ in included]
    if witness_dir is not None:
        witness_dir = Path(witness_dir)
        witness_dir.mkdir(parents=True, exist_ok=True)

    chunks = [range(i, min(i + size, len(included))) for i in range(0, len(included), size)]
    job = _Job(
        model,
        keys.zkey,
        included,
        salts,
        chunks,
        epoch,
        keep_witness=witness_dir is not None,
        seeds=[rng.getrandbits(64) for _ in chunks] if rng else None,
    )
    batches: list[BatchEntry] = []
    receipts: list[Receipt] = []
    with staged_folder(out) as tmp:
        for n, (statement, proof, public, witness) in enumerate(_run(job, jobs)):
            chunk = chunks[n]
            if witness_dir is not None:
                write_wtns(witness_dir / f"{n}.wtns", witness, p)
            folder = tmp / layout.BATCHES / str(n)
            folder.mkdir(parents=True)
            write_proof(folder / layout.PROOF, proof)
            write_public(folder / layout.PUBLIC, public)
            batches.append(BatchEntry.of(n, statement))
            batch_accounts = [included[i] for i in chunk]
            batch_salts = [salts[i] for i in chunk]
            receipts.extend(
                _receipts(model, n, batch_accounts, batch_salts, chunk.start, statement)
            )
            if progress is not None:
                done = chunk.stop
                progress(
                    Progress(n + 1, len(chunks), done, len(included), time.perf_counter() - start)
                )

        report = Report(
            epoch=market.epoch.strftime("%Y-%m-%dT%H:%M:%SZ"),
            circuit=model.name,
            model=model.model,
            level=market.model.level,
            batch_size=size,
            curve=keys.info.curve,
            market_hash=batches[0].statement.market_hash,
            circuit_id=model.circuit_id,
            assets=market.asset_names,
            totals=Totals.of(batches, len(market.assets)),
            batches=tuple(batches),
            excluded=tuple(short),
        )
        write_json(tmp / layout.REPORT, report.to_json())
        write_json(tmp / layout.VKEY, verification_key(keys.zkey))
        shutil.copyfile(market_path, tmp / layout.MARKET)
        (tmp / layout.RECEIPTS).mkdir()
        for receipt in receipts:
            write_json(layout.receipt_path(tmp, receipt.account.id), receipt.to_json())
    return ProveResult(report, out, model.compiled.r1cs.n_constraints, time.perf_counter() - start)


@dataclass
class _Job:
    """Everything a batch proof needs; inherited by forked workers rather than pickled."""

    model: BatchModel
    zkey: ZKey
    accounts: list[Account]
    salts: list[int]
    chunks: list[range]
    epoch: int
    keep_witness: bool
    seeds: list[int] | None


_JOB: _Job | None = None  # set in the parent just before forking a pool


def _prove_batch(job: _Job, n: int) -> tuple[Statement, Proof, list[int], list[int] | None]:
    """Witness, check and proof of batch ``n``: (statement, proof, public signals, witness)."""
    chunk = job.chunks[n]
    accounts = [job.accounts[i] for i in chunk]
    witness, statement = job.model.witness(
        accounts, [job.salts[i] for i in chunk], chunk.start, job.epoch
    )
    try:
        check(job.model.compiled.r1cs, witness)
    except UnsatisfiedConstraint as err:
        raise ProvingError(_explain(err, n, accounts)) from None
    rng = random.Random(job.seeds[n]) if job.seeds is not None else None
    proof, public = prove(job.zkey, witness, rng)
    if public != [statement.hash()]:
        raise ProvingError(f"batch {n}: public signal is not the statement hash")
    return statement, proof, public, witness if job.keep_witness else None


def _in_worker(n: int):
    assert _JOB is not None
    return _prove_batch(_JOB, n)


def _run(job: _Job, jobs: int) -> Iterator[tuple[Statement, Proof, list[int], list[int] | None]]:
    """The batches' results in batch order, from ``jobs`` forked processes or this one."""
    global _JOB
    workers = min(jobs, len(job.chunks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_prove_batch(job, n) for n in range(len(job.chunks)))
        return
    _JOB = job
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_in_worker, range(len(job.chunks)))
    finally:
        _JOB = None


def _receipts(
    model: BatchModel,
    n: int,
    accounts: Sequence[Account],
    salts: Sequence[int],
    first_index: int,
    statement: Statement,
) -> list[Receipt]:
    leaves = [leaf_of(model.market, a, s) for a, s in zip(accounts, salts, strict=True)]
    tree = MerkleTree(leaves, tree_depth(model.batch_size))
    if tree.root != statement.batch_root:
        raise ProvingError(f"batch {n}: the receipts' tree root is not the statement's")
    epoch = model.market.epoch.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = []
    for pos, (acct, salt, leaf) in enumerate(zip(accounts, salts, leaves, strict=True)):
        siblings, _ = tree.path(pos)
        out.append(Receipt(acct, salt, n, pos, first_index + pos, leaf, tuple(siblings), epoch))
    return out


def _explain(err: UnsatisfiedConstraint, n: int, accounts: Sequence[Account]) -> str:
    where = f"batch {n}"
    match = re.match(r"account\[(\d+)\]/", err.name)
    if match and int(match.group(1)) < len(accounts):
        where += f", account {accounts[int(match.group(1))].id}"
    return f"{where}: the circuit rejects the witness at {err.name!r} (circuit and calculator disagree)"
