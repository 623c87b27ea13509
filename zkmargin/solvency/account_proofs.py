"""Proving and checking single-account claims (notices, attestations) against a report.

A claim file holds ``format``, ``epoch``, ``account`` (the pseudonym), the claim's own keys, the
``statement`` (:mod:`zkmargin.account_circuits.statement`), its ``statement_hash``, the Groth16
``proof`` and the circuit's ``verification_key``. :func:`prove_claim` makes one from a receipt
(the account, its secret, salt and path) and a report proven with ``health``;
:func:`check_claim` rebuilds the statement's header from the report — root and tree depth,
table root, market hash, epoch, the circuit's id for the report's shape — so a claim cannot be
moved to another report, market or account, and verifies the proof. A claim is only as good as
its verification key: the claim file's own key must be the one the report publishes, or the one
``expected_vk`` pins (:mod:`zkmargin.solvency.claim_keys`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkmargin.account_circuits.statement import AccountStatement
from zkmargin.batch import load_model_circuit, tree_depth
from zkmargin.dsl import UnsatisfiedConstraint
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey, proof_from_json, proof_to_json, vk_from_json
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.groth16 import prove, verification_key, verify
from zkmargin.json_input import load_json
from zkmargin.solvency import layout
from zkmargin.solvency.batch_model import batch_model
from zkmargin.solvency.claim_keys import REPORT_CIRCUIT, claim_shape, trusted_key
from zkmargin.solvency.keys import load_keys
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import Report
from zkmargin.solvency.snapshot_tree import top_depth
from zkmargin.solvency.verifier import Invalid, LoadedReport, circuit_digest, load_report

_COMMON = {"format", "epoch", "account", "statement", "statement_hash", "proof",
           "verification_key"}  # fmt: skip


class Refused(Exception):
    """The claim does not hold for the account (the command exits 1); nothing is proven."""


@dataclass(frozen=True)
class CheckedClaim:
    """A verified claim file: its statement, the report it was checked against, its key (the
    fingerprint's start and what it was compared with)."""

    statement: AccountStatement
    report: LoadedReport
    key: str


def health_report(report: str | Path) -> LoadedReport:
    """The report folder, consistent (:func:`load_report`) and proven with ``health``."""
    loaded = load_report(report)
    if loaded.report.circuit != REPORT_CIRCUIT:
        raise InputError(
            str(Path(report) / layout.REPORT),
            "circuit",
            f"{loaded.report.circuit}: single-account proofs check against a health report",
        )
    return loaded


def prove_claim(
    circuit: str,
    loaded: LoadedReport,
    receipt: Receipt,
    keys: str | Path,
    refusal: Callable[[AccountStatement], str | None],
    rng: random.Random | None = None,
    **claim: Any,
) -> tuple[dict[str, Any], AccountStatement]:
    """The common part of a claim file (``claim`` passed to the circuit's ``claim_inputs``) and
    its statement. :class:`Refused` with ``refusal(statement)``'s message when it gives one
    (the calculator says the claim does not hold), before any proving; ``InputError`` for keys
    or a receipt that do not fit the report."""
    r, market = loaded.report, loaded.market
    claim_keys = load_keys(keys)
    if claim_keys.info.circuit != circuit:
        raise InputError(str(keys), "circuit", f"{claim_keys.info.circuit}, expected {circuit}")
    if claim_keys.info.shape != claim_shape(r.shape):
        raise InputError(str(keys), "shape", "not the report's shape (at batch size 1)")
    if receipt.epoch != r.epoch:
        raise InputError("receipt", "epoch", f"{receipt.epoch}, the report's is {r.epoch}")
    model = batch_model(circuit, market, claim_keys.info.shape)
    d = tree_depth(r.batch_size)
    inputs, statement = model.cls.account_inputs(
        market,
        model.shape,
        receipt.account,
        (receipt.secret, receipt.salt),
        ((receipt.batch << d) + receipt.position, list(receipt.siblings)),
        r.root,
        r.batches[0].statement.epoch,
        model.circuit_digest,
        **claim,
    )
    problem = refusal(statement)
    if problem is not None:
        raise Refused(problem)
    witness = model.compiled.solve(inputs)
    try:
        model.check(witness, fast=False)
    except UnsatisfiedConstraint as err:  # the receipt is not what the report committed
        raise InputError(
            "receipt", "", f"the {circuit} circuit rejects it at {err.name!r}"
        ) from None
    proof, public = prove(claim_keys.zkey, witness, rng)
    doc = {
        "format": "",
        "epoch": r.epoch,
        "account": str(statement.account),
        "statement": statement.to_json(),
        "statement_hash": str(public[0]),
        "proof": proof_to_json(proof),
        "verification_key": verification_key(claim_keys.zkey),
    }
    return doc, statement


def check_claim(
    path: str | Path,
    report: str | Path,
    circuit: str,
    file_format: str,
    own_keys: set[str],
    expected_vk: str | Path | None = None,
) -> tuple[dict[str, Any], CheckedClaim]:
    """Read the claim file ``path`` and check it against ``report`` (module docstring): the
    parsed document and the checked claim; :class:`Invalid` or ``InputError``."""
    doc = load_json(Path(path))
    loaded = health_report(report)
    r = loaded.report
    header = report_header(r, load_model_circuit(circuit))
    stated, key = check_claim_doc(
        doc, str(path), circuit, file_format, own_keys, header, r.epoch, loaded.claim_keys,
        expected_vk,
    )  # fmt: skip
    return doc, CheckedClaim(stated, loaded, key)


def circuit_header(report: Report, cls: Any) -> dict[str, int]:
    """The circuit a claim about ``report`` must name: its id, and the digest of the circuit
    compiled here (:func:`~zkmargin.solvency.verifier.circuit_digest`, once per process)."""
    shape = claim_shape(report.shape)
    return {"circuit_id": cls.claim_circuit_id(shape), "circuit_digest": circuit_digest(cls, shape)}


def report_header(report: Report, cls: Any) -> dict[str, int]:
    """What a single-account statement must state about ``report`` (proven with ``health``)."""
    return {
        "root": report.root,
        "depth": tree_depth(report.batch_size) + top_depth(len(report.batches)),
        "table_root": report.table_root,
        "market_hash": report.market_hash,
        **circuit_header(report, cls),
        "epoch": report.batches[0].statement.epoch,
    }


def check_claim_doc(
    doc: Any,
    source: str,
    circuit: str,
    file_format: str,
    own_keys: set[str],
    header: dict[str, int],
    epoch: str,
    published: dict[str, VerifyingKey],
    expected_vk: str | Path | None = None,
) -> tuple[AccountStatement, str]:
    """Check a parsed claim ``doc`` against the statement ``header`` it must carry (a report's,
    :func:`report_header`), the report's ``epoch`` text and its ``published`` claim keys (or
    ``expected_vk``'s key): its statement and key (:class:`CheckedClaim`)."""
    name = Path(source).name
    keys = _COMMON | own_keys
    if not isinstance(doc, dict) or set(doc) != keys:
        raise InputError(source, "", f"expected an object with exactly {', '.join(sorted(keys))}")
    if doc["format"] != file_format:
        raise InputError(source, "format", f"expected {file_format!r}")
    cls = load_model_circuit(circuit)
    try:
        stated = cls.statement_class.from_json(doc["statement"])
    except ValueError as err:
        raise InputError(source, "statement", str(err)) from None
    proof = proof_from_json(doc["proof"], f"{source}: proof")
    vk = vk_from_json(doc["verification_key"], f"{source}: verification_key")
    for field, want in header.items():
        if getattr(stated, field) != want:
            raise Invalid(f"{name}: statement.{field} is not the report's")
    if doc["epoch"] != epoch:
        raise Invalid(f"{name}: epoch {doc['epoch']!r}, the report's is {epoch}")
    if doc["account"] != str(stated.account):
        raise Invalid(f"{name}: account is not the statement's")
    if doc["statement_hash"] != str(stated.hash()):
        raise Invalid(f"{name}: statement_hash is not the hash of the statement")
    source_of_key = trusted_key(vk, published, circuit, name, expected_vk)
    if vk.n_public != 1 or not verify(vk, [stated.hash()], proof):
        raise Invalid(f"{name}: the proof does not verify")
    return stated, f"{vk_fingerprint(vk)[:16]}..., {source_of_key}"


def read_receipt(path: str | Path, loaded: LoadedReport | None = None) -> Receipt:
    """A receipt file (names checked against the report's market when given)."""
    market = loaded.market if loaded is not None else None
    return Receipt.from_json(load_json(Path(path)), str(path), market)


__all__ = [
    "CheckedClaim",
    "Refused",
    "check_claim",
    "check_claim_doc",
    "circuit_header",
    "health_report",
    "prove_claim",
    "read_receipt",
    "report_header",
]
