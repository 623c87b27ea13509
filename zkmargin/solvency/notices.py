"""Margin-call notices: ``zkmargin call`` proves one account's state, ``verify-notice`` checks it.

A notice (``"format": "zkmargin-notice/1"``) names the account by its pseudonym (``account``,
:func:`zkmargin.batch.account_commitment`), states ``margin_call`` or ``liquidation``, and
carries the statement, proof and key of the ``notice`` circuit (``zkmargin/account_circuits/notice.py``;
:mod:`zkmargin.solvency.account_proofs`). It reveals neither positions nor balances. The
exchange proves it from the account's receipt in the report's private folder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkmargin.account_circuits.statement import STATES
from zkmargin.errors import InputError
from zkmargin.solvency import layout
from zkmargin.solvency.account_proofs import check_claim, health_report, prove_claim, read_receipt
from zkmargin.solvency.verifier import Invalid

NOTICE_FORMAT = "zkmargin-notice/1"
NOTICE_CIRCUIT = "notice"


@dataclass(frozen=True)
class Notice:
    """A verified notice: the account's commitment, its state, the report's epoch, the key."""

    account: int
    state: str
    epoch: str
    key: str


def issue_notice(
    report: str | Path,
    account_id: str,
    keys: str | Path,
    private: str | Path | None = None,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """The notice JSON for ``account_id`` in ``report`` (its receipt read from ``private``,
    default ``REPORT.private``), proven with the notice keys ``keys``.
    :class:`~zkmargin.solvency.account_proofs.Refused` for a healthy account; ``InputError`` for keys, a report or an account that do not fit."""
    loaded = health_report(report)
    folder = layout.private_dir(Path(report)) if private is None else Path(private)
    path = layout.receipt_path(folder, account_id)
    if not path.is_file():
        raise InputError(str(path), "", f"no receipt of account {account_id!r} in {folder}")
    receipt = read_receipt(path, loaded)

    def refusal(statement: Any) -> str | None:
        healthy = statement.state not in STATES
        return f"{account_id} is healthy in {report}: no notice" if healthy else None

    doc, statement = prove_claim(NOTICE_CIRCUIT, loaded, receipt, keys, refusal, rng)
    doc["format"] = NOTICE_FORMAT
    doc["state"] = STATES[statement.state]  # type: ignore[attr-defined]
    return doc


def verify_notice(
    notice: str | Path,
    report: str | Path,
    receipt: str | Path | None = None,
    expected_vk: str | Path | None = None,
) -> Notice:
    """Check a notice against ``report`` (and that it names the account of ``receipt``):
    :class:`Invalid` naming the problem, ``InputError`` for a malformed file."""
    doc, checked = check_claim(
        notice, report, NOTICE_CIRCUIT, NOTICE_FORMAT, {"state"}, expected_vk
    )
    stated, name = checked.statement, Path(notice).name
    if doc["state"] != STATES.get(stated.state):  # type: ignore[attr-defined]
        raise Invalid(f"{name}: state is not the statement's")
    if receipt is not None and read_receipt(receipt).commitment != stated.account:
        raise Invalid(f"{name}: names another account than {Path(receipt).name}")
    return Notice(stated.account, doc["state"], checked.report.report.epoch, checked.key)


__all__ = ["NOTICE_FORMAT", "Notice", "issue_notice", "verify_notice"]
