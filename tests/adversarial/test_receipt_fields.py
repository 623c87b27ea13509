"""Every field a receipt shows is bound: changing any one makes verify-inclusion fail (the
account's data through its leaf, where it sits through the range and index checks and the
Merkle path). A new receipt field fails ``test_every_receipt_field_is_tried`` until it is tried.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from adversarial.forge import cli, read, write
from solvency.tiny import DATA, MARKET

from zkmargin.batch import account_commitment
from zkmargin.errors import InputError
from zkmargin.solvency import Invalid, layout, verify_inclusion


def _bump(text: str) -> str:
    return str(int(text) + 1)


def _other_secret(doc: dict) -> None:
    """Another secret with its own commitment: the receipt is consistent, the leaf is not."""
    doc["secret"] = _bump(doc["secret"])
    doc["commitment"] = str(account_commitment(doc["account"]["id"], int(doc["secret"])))


CHANGES = {
    "format": lambda d: d.update(format="zkmargin-receipt/1"),
    "epoch": lambda d: d.update(epoch="2026-11-21T08:00:00Z"),
    "account.id": lambda d: d["account"].update(id="alicf"),
    "account.positions": lambda d: d["account"]["positions"].update({"BTC-PERP": "0.50000001"}),
    "account.collateral": lambda d: d["account"]["collateral"].update(USDT="2000.00000001"),
    "account.collateral (an asset added)": lambda d: d["account"]["collateral"].update(BTC="1"),
    "salt": lambda d: d.update(salt=_bump(d["salt"])),
    "secret": lambda d: d.update(secret=_bump(d["secret"])),
    "secret (its commitment recomputed)": _other_secret,
    "commitment": lambda d: d.update(commitment=_bump(d["commitment"])),
    "batch": lambda d: d.update(batch=1),
    "position": lambda d: d.update(position=1),
    "index": lambda d: d.update(index=1),
    "leaf": lambda d: d.update(leaf=_bump(d["leaf"])),
    "siblings (batch tree)": lambda d: d["siblings"].__setitem__(0, _bump(d["siblings"][0])),
    "siblings (top tree)": lambda d: d["siblings"].__setitem__(-1, _bump(d["siblings"][-1])),
}


def test_every_receipt_field_is_tried(proven: Path) -> None:
    doc = read(layout.receipt_path(proven / "report.private", "alice"))
    shown = set(doc) | {f"account.{k}" for k in doc["account"]} | {"account.isolated"}
    tried = {name.split(" ")[0] for name in CHANGES} | {"account.isolated"}
    assert shown - {"account"} == tried - {"account"}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_changed_receipt_field_fails(report_copy: Path, field: str) -> None:
    path = layout.receipt_path(layout.private_dir(report_copy), "alice")
    verify_inclusion(path, report_copy)  # control
    doc = read(path)
    CHANGES[field](doc)
    write(path, doc)
    with pytest.raises((Invalid, InputError)):
        verify_inclusion(path, report_copy)
    code, out = cli("verify-inclusion", path, "--report", report_copy)
    assert code in (1, 2) and len(out.strip().splitlines()) == 1, out


def test_changed_isolated_balance_fails(circuit_keys, tmp_path: Path) -> None:
    report = tmp_path / "report"
    code, out = cli("prove", DATA / "isolated_accounts.jsonl", "--market", MARKET,
                    "--keys", circuit_keys("isolated"), "--out", report, "--seed", 7,
                    "--quiet")  # fmt: skip
    assert code == 0, out
    path = next(
        p
        for p in (layout.private_dir(report) / layout.RECEIPTS).iterdir()
        if read(p)["account"].get("isolated")
    )
    verify_inclusion(path, report)  # control
    doc = read(path)
    name, value = next(iter(doc["account"]["isolated"].items()))
    doc["account"]["isolated"][name] = str(float(value) + 1)
    write(path, doc)
    with pytest.raises(Invalid, match="leaf does not match"):
        verify_inclusion(path, report)
