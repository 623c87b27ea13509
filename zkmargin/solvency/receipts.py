"""Receipts: what one user needs to check that their account is in a proven batch.

A receipt holds the account exactly as the exchange committed it (in the accounts-file format,
so it can be compared with the user's own statement line by line), the account's secret and the
commitment it gives (``commitment``: the account's pseudonym, the same in every epoch's receipt;
notices and attestations name the account by it), the salt of its leaf, where
the leaf sits (batch, position in the batch, index in the snapshot) and the Merkle siblings from
the leaf up to the snapshot root: first up to its batch's root (the batch tree's depth), then
up the top tree over the batch roots (:mod:`zkmargin.solvency.snapshot_tree`). ``leaf`` is
stated for convenience; the verifier recomputes it.

>>> from zkmargin.margin import Account
>>> r = Receipt(Account("u1", {"BTC-PERP": -150000000}, {"USDT": 10**10}), salt=5, batch=0,
...     position=1, index=1, leaf=9, siblings=(1, 2), epoch="2026-11-20T08:00:00Z")
>>> r.to_json()["account"]
{'id': 'u1', 'positions': {'BTC-PERP': '-1.5'}, 'collateral': {'USDT': '100'}}
>>> Receipt.from_json(r.to_json(), "u1.json").position
1
>>> r.to_json()["commitment"] == str(account_commitment("u1", 0))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zkmargin.batch.encoding import account_commitment
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.json_input import decimal_string
from zkmargin.margin import Account, Market, parse_account
from zkmargin.margin.fixed import QTY_SCALE, format_decimal

RECEIPT_FORMAT = "zkmargin-receipt/3"
_KEYS = {
    "format",
    "epoch",
    "account",
    "commitment",
    "secret",
    "salt",
    "batch",
    "position",
    "index",
    "leaf",
    "siblings",
}


@dataclass(frozen=True)
class Receipt:
    """One account's inclusion data (see the module docstring)."""

    account: Account
    salt: int
    batch: int
    position: int
    index: int
    leaf: int
    siblings: tuple[int, ...]
    epoch: str
    secret: int = 0

    @property
    def commitment(self) -> int:
        """The account's pseudonym (:func:`zkmargin.batch.account_commitment`)."""
        return account_commitment(self.account.id, self.secret)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RECEIPT_FORMAT,
            "epoch": self.epoch,
            "account": account_json(self.account),
            "commitment": str(self.commitment),
            "secret": str(self.secret),
            "salt": str(self.salt),
            "batch": self.batch,
            "position": self.position,
            "index": self.index,
            "leaf": str(self.leaf),
            "siblings": [str(s) for s in self.siblings],
        }

    @classmethod
    def from_json(cls, doc: Any, source: str, market: Market | None = None) -> Receipt:
        """Parse a receipt; with ``market``, names are checked against its instruments/assets."""
        if not isinstance(doc, dict):
            raise InputError(source, "", "expected a JSON object")
        missing, extra = _KEYS - set(doc), set(doc) - _KEYS
        if missing or extra:
            what = f"missing {', '.join(sorted(missing))}" if missing else ""
            what += ("; " if what and extra else "") + (
                f"unknown field(s) {', '.join(sorted(extra))}" if extra else ""
            )
            raise InputError(source, "", what)
        if doc["format"] != RECEIPT_FORMAT:
            raise InputError(
                source, "format", f"expected {RECEIPT_FORMAT!r}, got {doc['format']!r}"
            )
        if not isinstance(doc["epoch"], str):
            raise InputError(source, "epoch", "expected a string")
        siblings = doc["siblings"]
        if not isinstance(siblings, list):
            raise InputError(source, "siblings", "expected a list of decimal strings")
        receipt = cls(
            account=parse_account(doc["account"], source, market=market),
            secret=decimal_string(doc["secret"], source, "secret"),
            salt=decimal_string(doc["salt"], source, "salt"),
            batch=_count(doc["batch"], source, "batch"),
            position=_count(doc["position"], source, "position"),
            index=_count(doc["index"], source, "index"),
            leaf=decimal_string(doc["leaf"], source, "leaf"),
            siblings=tuple(
                decimal_string(s, source, f"siblings[{i}]") for i, s in enumerate(siblings)
            ),
            epoch=doc["epoch"],
        )
        if receipt.secret >= BN254_FR.p:
            raise InputError(source, "secret", "is not a field element")
        if decimal_string(doc["commitment"], source, "commitment") != receipt.commitment:
            raise InputError(source, "commitment", "is not the commitment of the id and secret")
        return receipt


def account_json(account: Account) -> dict[str, Any]:
    """An account in the accounts-file (JSON Lines) format: amounts as exact decimals
    (``isolated`` margin balances only when the account has some)."""
    doc = {
        "id": account.id,
        "positions": {k: format_decimal(v, QTY_SCALE) for k, v in account.positions.items()},
        "collateral": {k: format_decimal(v, QTY_SCALE) for k, v in account.collateral.items()},
    }
    if account.isolated:
        doc["isolated"] = {k: format_decimal(v, QTY_SCALE) for k, v in account.isolated.items()}
    return doc


def _count(value: Any, source: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(source, field, f"expected an integer >= 0, got {value!r}")
    return value
