"""Tampering with any file of a report folder makes verification fail, naming what is wrong.

Changes that break a cheap consistency check (hashes, ranges, totals) are caught before any
pairing; a change that keeps report.json self-consistent (statement, its hash and public.json
all updated) is caught by the proof.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zkmargin.batch import Statement
from zkmargin.errors import InputError
from zkmargin.solvency import Invalid, layout, verify_inclusion, verify_report
from zkmargin.solvency.verifier import load_report


def edit(path: Path, change: Callable[[Any], Any]) -> None:
    doc = json.loads(path.read_text())
    doc = change(doc) or doc
    path.write_text(json.dumps(doc))


def bump(doc: dict, *keys: Any, by: int = 1) -> None:
    for key in keys[:-1]:
        doc = doc[key]
    doc[keys[-1]] = str(int(doc[keys[-1]]) + by)


def restate(report: Path, n: int, change: Callable[[dict], None]) -> None:
    """Change batch n's statement and keep report.json and public.json consistent with it."""

    def apply(doc: dict) -> None:
        entry = doc["batches"][n]
        change(entry["statement"])
        entry["statement_hash"] = str(Statement.from_json(entry["statement"]).hash())
        (layout.batch_dir(report, n) / layout.PUBLIC).write_text(
            json.dumps([entry["statement_hash"]])
        )

    edit(report / layout.REPORT, apply)


# report.json: each change, and a fragment of the message it must produce (cheap checks only)
REPORT_CHANGES = {
    "statement number": (
        lambda d: bump(d, "batches", 1, "statement", "total_collateral"),
        "batch 1: statement_hash is not the hash of the statement",
    ),
    "stated hash": (
        lambda d: bump(d, "batches", 0, "statement_hash"),
        "batch 0: statement_hash is not the hash",
    ),
    "total collateral": (
        lambda d: bump(d, "totals", "collateral_value", by=-1),
        "totals.collateral_value",
    ),
    "total requirement": (lambda d: bump(d, "totals", "requirement"), "totals.requirement"),
    "asset total": (lambda d: bump(d, "totals", "assets", "BTC"), "totals.assets.BTC"),
    "account count": (lambda d: d["totals"].update(accounts=6), "totals.accounts"),
    "market hash": (lambda d: bump(d, "market_hash"), "market_hash is not the hash of"),
    "table root": (lambda d: bump(d, "table_root"), "table_root is not the root of market_table"),
    "circuit name": (lambda d: d.update(circuit="other"), "circuit_id is not the id of circuit"),
    "batch size": (
        lambda d: d["shape"].update(batch_size=4),
        "circuit_id is not the id of circuit",
    ),
    "slots": (lambda d: d["shape"].update(slots=2), "circuit_id is not the id of circuit"),
    "epoch": (lambda d: d.update(epoch="2026-11-21T08:00:00Z"), "epoch 2026-11-21T08:00:00Z"),
    "batch order": (
        lambda d: d["batches"].reverse(),
        "batch 0: index 2, expected 0",
    ),
    "root": (lambda d: bump(d, "root"), "report.json: root is not the root of the account tree"),
}


@pytest.mark.parametrize("case", sorted(REPORT_CHANGES))
def test_report_json_changes_are_named(report_copy: Path, case: str) -> None:
    change, message = REPORT_CHANGES[case]
    edit(report_copy / layout.REPORT, change)
    with pytest.raises(Invalid, match=re.escape(message)):
        load_report(report_copy)


def test_restated_ranges_are_refused_before_the_proofs(report_copy: Path) -> None:
    # A self-consistent statement (hash and public.json updated) with an overlapping range.
    restate(report_copy, 2, lambda s: s.update(first_index="3"))
    with pytest.raises(Invalid, match=re.escape("batch 2: statement.first_index 3, expected 4")):
        load_report(report_copy)


def test_restated_batch_root_misses_the_report_root(report_copy: Path) -> None:
    # A batch root changed consistently in its statement, hash and public.json: the report's
    # root no longer covers it (caught before any pairing).
    restate(report_copy, 1, lambda s: bump(s, "batch_root"))
    with pytest.raises(
        Invalid, match=re.escape("report.json: root is not the root of the account tree")
    ):
        load_report(report_copy)


def test_restated_batch_root_with_its_tree_root_fails_the_proof(report_copy: Path) -> None:
    # ... and with the report's root recomputed as well, only the proof can tell.
    from zkmargin.solvency.snapshot_tree import TopTree

    restate(report_copy, 1, lambda s: bump(s, "batch_root"))

    def reroot(doc: dict) -> None:
        roots = [int(b["statement"]["batch_root"]) for b in doc["batches"]]
        doc["root"] = str(TopTree(roots, batch_depth=1).root)

    edit(report_copy / layout.REPORT, reroot)
    with pytest.raises(Invalid, match=r"batch 1: the proof does not verify"):
        verify_report(report_copy)


def test_partly_filled_batch_before_the_last_is_refused(report_copy: Path) -> None:
    # Batch 0 claims one account (slot 1 would then be an unproven leaf between the ranges).
    restate(report_copy, 0, lambda s: s.update(count="1"))
    restate(report_copy, 1, lambda s: s.update(first_index="1"))
    restate(report_copy, 2, lambda s: s.update(first_index="3"))
    with pytest.raises(
        Invalid, match=re.escape("batch 0: statement.count 1 in a batch that is not the last")
    ):
        load_report(report_copy)


def test_restated_statement_fails_its_proof(report_copy: Path) -> None:
    # Claim one more unit of collateral in batch 1, consistently everywhere but in the proof.
    restate(report_copy, 1, lambda s: bump(s, "total_collateral"))
    edit(report_copy / layout.REPORT, lambda d: bump(d, "totals", "collateral_value"))
    with pytest.raises(Invalid, match=r"batch 1: the proof does not verify"):
        verify_report(report_copy)


def test_swapped_proof_fails_naming_the_batch(report_copy: Path) -> None:
    a, b = (layout.batch_dir(report_copy, n) / layout.PROOF for n in (0, 2))
    first, second = a.read_bytes(), b.read_bytes()
    a.write_bytes(second)
    b.write_bytes(first)
    with pytest.raises(Invalid, match=r"batch 0: the proof does not verify"):
        verify_report(report_copy)


def test_public_json_change(report_copy: Path) -> None:
    edit(layout.batch_dir(report_copy, 1) / layout.PUBLIC, lambda d: [str(int(d[0]) + 1)])
    with pytest.raises(Invalid, match=re.escape("batch 1: public.json is not the statement hash")):
        load_report(report_copy)


def test_proof_point_off_the_curve_is_bad_input(report_copy: Path) -> None:
    edit(layout.batch_dir(report_copy, 0) / layout.PROOF, lambda d: bump(d, "pi_a", 0))
    with pytest.raises(InputError, match=re.escape("proof.json: pi_a")):
        load_report(report_copy)


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (layout.MARKET_TABLE, lambda d: bump_text(d["vector"], 2), "market_hash is not the hash"),
        (layout.MARKET_TABLE, lambda d: bump_text(d["vector"], 0), "market_hash is not the hash"),
        (layout.MARKET_TABLE, lambda d: d["instruments"].append("X"), "over the instruments"),
        (layout.MARKET, lambda d: d.update(epoch="2026-11-20T08:00:01Z"), "market.json's is"),
    ],
    ids=["price", "buffer", "instruments", "epoch"],
)
def test_market_changes(report_copy: Path, file: str, change, message: str) -> None:
    """The verifier hashes the published integers (market_table.json), never market.json's
    decimals: those are checked against it by an audit, not by verify."""
    edit(report_copy / file, change)
    with pytest.raises(Invalid, match=re.escape(message)):
        load_report(report_copy)


def bump_text(values: list, i: int) -> None:
    values[i] = str(int(values[i]) + 1)


def test_stray_batch_folder(report_copy: Path) -> None:
    (report_copy / layout.BATCHES / "3").mkdir()
    with pytest.raises(
        Invalid, match=re.escape("batches/3: a batch folder report.json does not list")
    ):
        load_report(report_copy)


def test_missing_proof_is_bad_input(report_copy: Path) -> None:
    (layout.batch_dir(report_copy, 1) / layout.PROOF).unlink()
    with pytest.raises(InputError, match=re.escape("proof.json: file not found")):
        load_report(report_copy)


def test_published_key_must_match(report_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "published_vk.json"
    doc = json.loads((report_copy / layout.VKEY).read_text())
    doc["vk_gamma_2"], doc["vk_delta_2"] = doc["vk_delta_2"], doc["vk_gamma_2"]
    other.write_text(json.dumps(doc))
    with pytest.raises(Invalid, match="not the verification key"):
        load_report(report_copy, other)


# -- receipts ------------------------------------------------------------------------------------


def _receipt(report: Path, account_id: str) -> Path:
    return layout.receipt_path(layout.private_dir(report), account_id)


def _rename(doc: dict, new_id: str) -> None:
    """Another id, with the commitment it gives (a receipt states its own commitment)."""
    from zkmargin.batch import account_commitment

    doc["account"]["id"] = new_id
    doc["commitment"] = str(account_commitment(new_id, int(doc["secret"])))


def _resecret(doc: dict, secret: int) -> None:
    from zkmargin.batch import account_commitment

    doc["secret"] = str(secret)
    doc["commitment"] = str(account_commitment(doc["account"]["id"], secret))


def _releaf(doc: dict, report: Path) -> None:
    """Recompute the receipt's stated leaf from its (changed) data, as a forger would."""
    from zkmargin.margin import load_market, parse_account
    from zkmargin.solvency import circuit_class
    from zkmargin.solvency.report import Report

    market = load_market(report / layout.MARKET)
    account = parse_account(doc["account"], market=market)
    shape = Report.from_json(json.loads((report / layout.REPORT).read_text())).shape
    cls = circuit_class(json.loads((report / layout.REPORT).read_text())["circuit"])
    secret = int(doc["secret"])
    doc["leaf"] = str(cls.account_leaf(market, account, int(doc["salt"]), shape, secret))


RECEIPT_CHANGES = {
    "position": (
        lambda d: d["account"]["positions"].update({"BTC-PERP": "0.4"}),
        "leaf does not match the account data",
    ),
    "balance": (
        lambda d: d["account"]["collateral"].update({"USDT": "2001"}),
        "leaf does not match",
    ),
    "salt": (lambda d: bump(d, "salt"), "leaf does not match"),
    "id": (lambda d: _rename(d, "alicf"), "leaf does not match"),
    "secret": (lambda d: _resecret(d, int(d["secret"]) + 1), "leaf does not match"),
    "index": (lambda d: d.update(index=3), "index 3 is not first_index 0 + position 0"),
    "batch": (lambda d: d.update(batch=9), "batch 9 is not in the report"),
    "depth": (
        lambda d: d["siblings"].append("0"),
        "4 siblings, the account tree has depth 3 (batch 1 + top 2)",
    ),
}


@pytest.mark.parametrize("case", sorted(RECEIPT_CHANGES))
def test_receipt_changes_are_named(report_copy: Path, case: str) -> None:
    change, message = RECEIPT_CHANGES[case]
    path = _receipt(report_copy, "alice")
    edit(path, change)
    with pytest.raises(Invalid, match=re.escape(message)):
        verify_inclusion(path, report_copy)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["account"]["positions"].update({"BTC-PERP": "0.4"}),
        lambda d: d["account"]["collateral"].update({"USDT": "1999.99999999"}),
        lambda d: bump(d, "salt"),
        lambda d: bump(d, "siblings", 0),
    ],
    ids=["position", "balance", "salt", "sibling"],
)
def test_forged_receipt_with_its_own_leaf_misses_the_root(report_copy: Path, change) -> None:
    path = _receipt(report_copy, "alice")

    def forge(doc: dict) -> None:
        change(doc)
        _releaf(doc, report_copy)

    edit(path, forge)
    with pytest.raises(Invalid, match="Merkle path does not lead to batch 0's root"):
        verify_inclusion(path, report_copy)


def test_receipt_with_other_top_siblings(report_copy: Path) -> None:
    # The batch part of the path is right; the part above the batch root is not.
    path = _receipt(report_copy, "alice")
    edit(path, lambda d: bump(d, "siblings", 2))
    with pytest.raises(
        Invalid, match="the path from batch 0's root does not lead to the report's root"
    ):
        verify_inclusion(path, report_copy)


def test_receipt_of_a_report_with_another_root(report_copy: Path) -> None:
    path = _receipt(report_copy, "dave")
    edit(report_copy / layout.REPORT, lambda d: bump(d, "root"))
    with pytest.raises(Invalid, match=re.escape("report.json: root is not the root")):
        verify_inclusion(path, report_copy)


def test_receipt_for_another_report(report_copy: Path) -> None:
    path = _receipt(report_copy, "bob")
    edit(report_copy / layout.REPORT, lambda d: bump(d, "batches", 0, "statement", "batch_root"))
    with pytest.raises(Invalid, match="batch 0: statement_hash is not the hash"):
        verify_inclusion(path, report_copy)


def test_receipt_with_unknown_instrument_is_bad_input(report_copy: Path) -> None:
    path = _receipt(report_copy, "alice")
    edit(path, lambda d: d["account"]["positions"].update({"ETH-PERP": "1"}))
    with pytest.raises(InputError, match=re.escape("positions.ETH-PERP: unknown instrument")):
        verify_inclusion(path, report_copy)


def test_a_report_cannot_make_the_verifier_import_a_file(tmp_path: Path) -> None:
    # report.json names its circuit; the verifier looks it up (leaf, own totals) by name, never
    # by path.
    from zkmargin.solvency import verifier

    marker = tmp_path / "imported"
    evil = tmp_path / "evil.py"
    evil.write_text(f"open({str(marker)!r}, 'w').close()\n")
    assert verifier.circuit_class(str(evil)) is None
    assert verifier.circuit_class(f"{evil}:Cross") is None
    assert not marker.exists()
    assert verifier.circuit_class("nosuch") is None  # unknown name: refused, never imported
    assert verifier.circuit_class("scenario").columns_of  # a shipped circuit loads by name
