"""The proving pipeline without proofs, for tests of what surrounds them (memory, resuming).

:func:`without_proofs` patches :mod:`zkmargin.solvency.prover` so ``prove_snapshot`` runs for
real — both passes over the accounts, the executor, per-batch writes and ledger rows, the top
tree and receipts — while each batch is "proven" by :func:`stand_in` (and neither the key nor
the proofs are checked): a statement whose count
and ranges are real, receipts with the real accounts and salts, a fixed proof. Proving thousands
of accounts (or crashing a run at a chosen batch) is then affordable in a test.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from solvency.tiny import CIRCUIT, MARKET

from zkmargin.batch import Statement, tree_depth
from zkmargin.curve import BN254
from zkmargin.formats.snarkjs_json import Proof
from zkmargin.margin import load_market
from zkmargin.solvency import assembly, layout, prepared_run, prover
from zkmargin.solvency.batch_jobs import BatchOutput, BatchTask
from zkmargin.solvency.batch_model import BatchModel, batch_model
from zkmargin.solvency.keys import KeyInfo, Keys

PROOF = Proof("bn128", BN254.g1, BN254.g2, BN254.g1)


def stand_in(task: BatchTask) -> BatchOutput:
    """A batch 'proven' without a proof (see the module docstring)."""
    from zkmargin.solvency.receipts import Receipt

    depth = tree_depth(task.spec.batch_size)
    statement = Statement(
        0, 0, 0, 0, 0, task.epoch, task.first_index, len(task.accounts), 0, 0, (0, 0)
    )
    receipts = tuple(
        Receipt(a, s, task.index, pos, task.first_index + pos, 0, (0,) * depth, "epoch")
        for pos, (a, s) in enumerate(zip(task.accounts, task.salts, strict=True))
    )
    return BatchOutput(task.index, statement, PROOF, [task.index], receipts, None, 0.0)


def tiny_model(batch_size: int) -> BatchModel:
    """The tiny market's model at ``batch_size``: only a proof needs the circuit compiled for
    the batch size, so the batch-of-2 circuit's compiled form (field, sizes) serves."""
    model = batch_model(CIRCUIT, load_market(MARKET), 2)
    return dataclasses.replace(model, shape=dataclasses.replace(model.shape, batch_size=batch_size))


def without_proofs(monkeypatch: pytest.MonkeyPatch, model: BatchModel, folder: Path) -> Keys:
    """Patch the prover to use :func:`stand_in`; a stand-in keys folder under ``folder``."""
    keys_folder = folder / "stand-in-keys"
    keys_folder.mkdir(exist_ok=True)
    (keys_folder / layout.ZKEY).write_bytes(b"stand-in key")
    monkeypatch.setattr(prepared_run, "batch_model", lambda *_: model)
    monkeypatch.setattr(prepared_run, "check_shape", lambda *_: None)
    monkeypatch.setattr(assembly, "verification_key", lambda _: {})
    monkeypatch.setattr(prover, "prove_batch", stand_in)
    monkeypatch.setattr(prepared_run, "checked_key", lambda _: None)  # no key to check...
    monkeypatch.setattr(prover, "_self_check", lambda *_: None)  # ...nor proofs to verify
    info = KeyInfo(CIRCUIT, model.model, model.shape, "bn128", 0, 0, "stand-in")
    return Keys(keys_folder, info, None)
