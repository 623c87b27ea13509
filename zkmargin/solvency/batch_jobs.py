"""One batch proof as a picklable task, and the module-level worker that proves it.

An executor (:mod:`zkmargin.solvency.executors`) may run :func:`prove_batch` in this process,
in a local process pool or on a Dask worker on another machine, so a :class:`BatchTask` carries
data and file *paths*, never live objects: a compiled circuit's hints are closures (not
picklable), so each worker process compiles the model once from the circuit name or path and
reads the proving key once (:func:`_model_and_key`, cached per process). Paths must therefore
name the same files on every worker.

The task holds the batch's accounts and salts (chosen by the parent: the salt of the account at
snapshot index i depends only on the seed and i, see :mod:`zkmargin.solvency.seeding`), the
seed of the proof blinding, and where the batch sits. The result holds the statement, the proof,
the receipts up to the batch root (the parent adds the top of the path once every batch root is
known) and, if asked, the witness.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zkmargin.batch import Shape, Statement, batch_tree
from zkmargin.curve import default_backend
from zkmargin.dsl import UnsatisfiedConstraint
from zkmargin.formats.snarkjs_json import Proof
from zkmargin.formats.zkey import ZKey, read_zkey
from zkmargin.formats.zkey_arrays import ZKeyArrays, read_zkey_arrays
from zkmargin.groth16 import prove
from zkmargin.groth16.prove import PURE_BACKENDS
from zkmargin.margin import Account, load_market
from zkmargin.solvency import layout
from zkmargin.solvency.batch_model import BatchModel, batch_model
from zkmargin.solvency.receipts import Receipt

PADDING_ID = "~padding"
"""Id of the zero accounts ``--hide-count`` adds: not a valid account id, so never a user's."""


class ProvingError(RuntimeError):
    """The circuit rejected a witness the reference calculator accepted: a bug, not bad input."""


@dataclass(frozen=True)
class ModelSpec:
    """What a worker needs to rebuild the model and load the key (paths, names, options)."""

    circuit: str
    market_path: str
    keys_folder: str
    shape: Shape
    backend: str | None = None
    keep_witness: bool = False

    @property
    def batch_size(self) -> int:
        return self.shape.batch_size

    @property
    def cache_key(self) -> tuple[str, str, str, Shape]:
        return (self.circuit, self.market_path, self.keys_folder, self.shape)


@dataclass(frozen=True)
class BatchTask:
    """Batch ``index`` of a snapshot: its accounts (snapshot indices ``first_index``...), their
    salts and secrets (:func:`zkmargin.batch.account_commitment`), the epoch, the seed of the
    proof blinding (``None``: the OS CSPRNG) and the chain hash of the previous report (0:
    none)."""

    spec: ModelSpec
    index: int
    first_index: int
    epoch: int
    accounts: tuple[Account, ...]
    salts: tuple[int, ...]
    blinding_seed: int | None
    secrets: tuple[int, ...] | None = None
    previous: int = 0


@dataclass(frozen=True)
class BatchOutput:
    """A proven batch: statement, proof, public signals, receipts (paths to the batch root)."""

    index: int
    statement: Statement
    proof: Proof
    public: list[int]
    receipts: tuple[Receipt, ...]
    witness: list[int] | None
    seconds: float

    @property
    def statement_hash(self) -> int:
        """The statement's hash: the one public signal of ``statement=hash`` keys (a statement
        has at least ten fields, so one signal is never the fields), else computed."""
        return self.public[0] if len(self.public) == 1 else self.statement.hash()


_CACHE: dict[tuple[str, str, str, Shape], tuple[BatchModel, ZKey | ZKeyArrays]] = {}


def remember(spec: ModelSpec, model: BatchModel, zkey: ZKey) -> None:
    """Hand this process's compiled model and key to :func:`prove_batch` (no recompiling or key
    reading when tasks run in this process; pool and Dask workers load their own, once)."""
    if isinstance(zkey, ZKey) and not _pure(spec):
        zkey = ZKeyArrays.from_zkey(zkey)  # the fast prover's form, converted once
    _CACHE[spec.cache_key] = (model, zkey)


def _pure(spec: ModelSpec) -> bool:
    return (spec.backend or default_backend()) in PURE_BACKENDS


def _model_and_key(spec: ModelSpec) -> tuple[BatchModel, ZKey | ZKeyArrays]:
    found = _CACHE.get(spec.cache_key)
    if found is None:
        market = load_market(spec.market_path)
        model = batch_model(spec.circuit, market, spec.shape)
        path = Path(spec.keys_folder) / layout.ZKEY
        # the fast prover takes the key as arrays: converted once here, not once per batch
        zkey = read_zkey(path) if _pure(spec) else read_zkey_arrays(path)
        found = _CACHE[spec.cache_key] = (model, zkey)
    return found


def prove_batch(task: BatchTask) -> BatchOutput:
    """Witness, ``check`` (a failure names the batch, account and constraint), Groth16 proof and
    the batch's receipts. Module-level so every executor can ship it to a worker."""
    start = time.perf_counter()
    model, zkey = _model_and_key(task.spec)
    n, accounts = task.index, task.accounts
    witness, statement = model.witness(
        accounts, task.salts, task.first_index, task.epoch, task.secrets, task.previous
    )
    try:
        model.check(witness, fast=not _pure(task.spec))
    except UnsatisfiedConstraint as err:
        raise ProvingError(_explain(err, n, accounts)) from None
    rng = random.Random(task.blinding_seed) if task.blinding_seed is not None else None
    proof, public = prove(zkey, witness, rng, backend=task.spec.backend)
    if public != statement.public_signals(model.shape.statement):
        raise ProvingError(f"batch {n}: public signals are not the statement's")
    receipts = batch_receipts(model, task, statement)
    return BatchOutput(
        n,
        statement,
        proof,
        public,
        receipts,
        witness if task.spec.keep_witness else None,
        time.perf_counter() - start,
    )


def batch_receipts(model: BatchModel, task: BatchTask, statement: Statement) -> tuple[Receipt, ...]:
    """The receipts of the batch's real accounts, each with its path up to the batch root (which
    must be the statement's: the receipts and the proof commit to the same tree)."""
    secrets = task.secrets or (0,) * len(task.accounts)
    leaves = [
        model.cls.account_leaf(model.market, a, s, model.shape, secret)
        for a, s, secret in zip(task.accounts, task.salts, secrets, strict=True)
    ]
    tree = batch_tree(leaves, model.batch_size)
    if tree.root != statement.batch_root:
        raise ProvingError(f"batch {task.index}: the receipts' tree root is not the statement's")
    epoch = model.market.epoch.strftime("%Y-%m-%dT%H:%M:%SZ")
    return tuple(
        Receipt(
            acct,
            salt,
            task.index,
            pos,
            task.first_index + pos,
            leaf,
            tuple(tree.path(pos)[0]),
            epoch,
            secret,
        )
        for pos, (acct, salt, leaf, secret) in enumerate(
            zip(task.accounts, task.salts, leaves, secrets, strict=True)
        )
        if acct.id != PADDING_ID
    )


def _explain(err: UnsatisfiedConstraint, n: int, accounts: Sequence[Account]) -> str:
    where = f"batch {n}"
    match = re.match(r"account\[(\d+)\]/", err.name)
    if match and int(match.group(1)) < len(accounts):
        where += f", account {accounts[int(match.group(1))].id}"
    return f"{where}: the circuit rejects the witness at {err.name!r} (circuit and calculator disagree)"
