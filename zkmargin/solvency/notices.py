"""Margin-call notices: ``zkmargin call`` proves one account's state, ``verify-notice`` checks it.

A notice (``"format": "zkmargin-notice/1"``) names the account by its pseudonym (``account``,
:func:`zkmargin.batch.account_commitment`), states ``margin_call`` or ``liquidation`` and carries
the notice statement (:class:`zkmargin.batch.notice.NoticeStatement`), its hash, the Groth16
proof of the ``notice`` circuit (``circuits/notice.py``) and that circuit's verification key.
It reveals neither positions nor balances. The report must have been proven with ``health``
(the notice circuit reads the same table, market vector and leaf); the exchange proves a notice
from the account's receipt in the report's private folder.

:func:`verify_notice` rebuilds the statement from the report — its root and tree depth, table
root, market hash, epoch and the notice circuit's id for the report's shape — so a notice made
for another report, market, account or state does not verify. A notice is only as good as its
verification key: compare ``key_sha256`` with the notice key the exchange published (``--vk``).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zkmargin.batch import load_model_circuit, tree_depth
from zkmargin.batch.encoding import circuit_id
from zkmargin.batch.notice import STATES, NoticeStatement
from zkmargin.circuit import UnsatisfiedConstraint
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import proof_from_json, proof_to_json, vk_from_json, vk_to_json
from zkmargin.groth16 import prove, verification_key, verify
from zkmargin.json_input import load_json
from zkmargin.solvency import layout
from zkmargin.solvency.circuits import batch_model
from zkmargin.solvency.keys import load_keys
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import Report
from zkmargin.solvency.snapshot_tree import top_depth
from zkmargin.solvency.verifier import Invalid, load_report

NOTICE_FORMAT = "zkmargin-notice/1"
NOTICE_CIRCUIT = "notice"
REPORT_CIRCUIT = "health"
_KEYS = {"format", "epoch", "account", "state", "statement", "statement_hash", "proof",
         "verification_key"}  # fmt: skip


class Healthy(Exception):
    """The account is healthy: no notice can be proven (``call`` exits 1)."""


@dataclass(frozen=True)
class Notice:
    """A verified notice: the account's commitment, its state and the report's epoch."""

    account: int
    state: str
    epoch: str
    key_sha256: str


def issue_notice(
    report: str | Path,
    account_id: str,
    keys: str | Path,
    private: str | Path | None = None,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """The notice JSON for ``account_id`` in ``report`` (its receipt read from ``private``,
    default ``REPORT.private``), proven with the notice keys ``keys``. :class:`Healthy` for a
    healthy account; ``InputError`` for keys, a report or an account that do not fit."""
    report = Path(report)
    loaded = load_report(report)
    r, market = loaded.report, loaded.market
    _require_health(r, str(report / layout.REPORT))
    notice_keys = load_keys(keys)
    if notice_keys.info.circuit != NOTICE_CIRCUIT:
        raise InputError(str(keys), "circuit", f"{notice_keys.info.circuit}, expected notice")
    if notice_keys.info.shape != replace(r.shape, batch_size=1):
        raise InputError(str(keys), "shape", "not the report's shape (at batch size 1)")
    folder = layout.private_dir(report) if private is None else Path(private)
    path = layout.receipt_path(folder, account_id)
    if not path.is_file():
        raise InputError(str(path), "", f"no receipt of account {account_id!r} in {folder}")
    receipt = Receipt.from_json(load_json(path), str(path), market)
    model = batch_model(NOTICE_CIRCUIT, market, notice_keys.info.shape)
    d = tree_depth(r.batch_size)
    inputs, statement = model.cls.notice_inputs(
        market,
        model.shape,
        receipt.account,
        (receipt.secret, receipt.salt),
        ((receipt.batch << d) + receipt.position, list(receipt.siblings)),
        r.root,
        r.batches[0].statement.epoch,
    )
    if statement.state not in STATES:
        raise Healthy(f"{account_id} is healthy in {report}: no notice")
    witness = model.compiled.solve(inputs)
    try:
        model.check(witness, fast=False)
    except UnsatisfiedConstraint as err:  # the receipt is not what the report committed
        raise InputError(str(path), "", f"the notice circuit rejects it at {err.name!r}") from None
    proof, public = prove(notice_keys.zkey, witness, rng)
    return {
        "format": NOTICE_FORMAT,
        "epoch": r.epoch,
        "account": str(statement.account),
        "state": STATES[statement.state],
        "statement": statement.to_json(),
        "statement_hash": str(public[0]),
        "proof": proof_to_json(proof),
        "verification_key": verification_key(notice_keys.zkey),
    }


def verify_notice(
    notice: str | Path,
    report: str | Path,
    receipt: str | Path | None = None,
    expected_vk: str | Path | None = None,
) -> Notice:
    """Check a notice against ``report`` (and that it names the account of ``receipt``):
    :class:`Invalid` naming the problem, ``InputError`` for a malformed file."""
    source = str(notice)
    doc = load_json(Path(notice))
    if not isinstance(doc, dict) or set(doc) != _KEYS:
        raise InputError(source, "", f"expected an object with exactly {', '.join(sorted(_KEYS))}")
    if doc["format"] != NOTICE_FORMAT:
        raise InputError(source, "format", f"expected {NOTICE_FORMAT!r}")
    try:
        stated = NoticeStatement.from_json(doc["statement"])
    except ValueError as err:
        raise InputError(source, "statement", str(err)) from None
    proof = proof_from_json(doc["proof"], f"{source}: proof")
    vk = vk_from_json(doc["verification_key"], f"{source}: verification_key")
    key_sha256 = hashlib.sha256(
        json.dumps(doc["verification_key"], sort_keys=True).encode()
    ).hexdigest()
    loaded = load_report(report)
    r = loaded.report
    _require_health(r, str(Path(report) / layout.REPORT))
    cls = load_model_circuit(NOTICE_CIRCUIT)
    shape = replace(r.shape, batch_size=1)
    expected = NoticeStatement(
        root=r.root,
        depth=tree_depth(r.batch_size) + top_depth(len(r.batches)),
        table_root=r.table_root,
        market_hash=r.market_hash,
        circuit_id=circuit_id(f"{cls.circuit_name()}/{cls.MAX_DEPTH}", 1, shape.encoding()),
        epoch=r.batches[0].statement.epoch,
        account=stated.account,
        state=stated.state,
    )
    name = Path(notice).name
    for field, want in expected.to_json().items():
        if doc["statement"][field] != want:
            raise Invalid(f"{name}: statement.{field} is not the report's ({report})")
    if doc["epoch"] != r.epoch:
        raise Invalid(f"{name}: epoch {doc['epoch']!r}, the report's is {r.epoch}")
    if doc["state"] != STATES.get(stated.state) or doc["account"] != str(stated.account):
        raise Invalid(f"{name}: state or account is not the statement's")
    if doc["statement_hash"] != str(expected.hash()):
        raise Invalid(f"{name}: statement_hash is not the hash of the statement")
    if expected_vk is not None:
        published = vk_from_json(load_json(Path(expected_vk)), str(expected_vk))
        if vk_to_json(published) != vk_to_json(vk):
            raise Invalid(f"{name}: not proven under the notice key {expected_vk}")
    if vk.n_public != 1 or not verify(vk, [expected.hash()], proof):
        raise Invalid(f"{name}: the proof does not verify")
    if receipt is not None:
        own = Receipt.from_json(load_json(Path(receipt)), str(receipt))
        if own.commitment != stated.account:
            raise Invalid(f"{name}: names another account than {Path(receipt).name}")
    return Notice(stated.account, doc["state"], r.epoch, key_sha256)


def _require_health(report: Report, source: str) -> None:
    if report.circuit != REPORT_CIRCUIT:
        raise InputError(
            source, "circuit", f"{report.circuit}: notices check against a health report"
        )


__all__ = ["NOTICE_FORMAT", "Healthy", "Notice", "issue_notice", "verify_notice"]
