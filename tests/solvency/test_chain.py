"""Epoch chains: ``prove --previous`` links reports, ``verify-chain`` checks the links, and an
account's commitment stays the same from epoch to epoch under one account key.

Three tiny reports (two accounts, one batch each) an hour apart, proven once per session.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.cli import main
from zkmargin.solvency import layout
from zkmargin.solvency.chain import chain_hash, previous_of
from zkmargin.solvency.verifier import load_report

EPOCHS = ("2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def market_at(epoch: str, folder: Path) -> Path:
    doc = json.loads(MARKET.read_text())
    doc["epoch"] = epoch
    path = folder / f"market-{epoch[11:13]}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture(scope="session")
def chain(keys_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``r0``, ``r1``, ``r2`` chained, and ``other0`` (epoch 0 again, another seed), all under
    one account key; two accounts each."""
    base = tmp_path_factory.mktemp("chain")
    accounts = base / "accounts.jsonl"
    accounts.write_text("".join(ACCOUNTS.read_text().splitlines(keepends=True)[:2]))
    key = base / "account.key"
    previous: list[str] = []
    for n, epoch in enumerate(EPOCHS):
        res = run("prove", accounts, "--market", market_at(epoch, base), "--keys", keys_dir,
                  "--out", base / f"r{n}", "--seed", n, "--account-key", key, "--quiet",
                  *previous)  # fmt: skip
        assert res.exit_code == 0, res.output
        previous = ["--previous", base / f"r{n}"]
    res = run("prove", accounts, "--market", market_at(EPOCHS[0], base), "--keys", keys_dir,
              "--out", base / "other0", "--seed", 9, "--account-key", key, "--quiet")  # fmt: skip
    assert res.exit_code == 0, res.output
    return base


def test_a_chain_verifies_and_each_report_names_the_one_before(chain: Path) -> None:
    res = run("verify-chain", chain / "r0", chain / "r1", chain / "r2")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("OK: 3 reports chained, epochs 2026-11-20T08:00:00Z")
    reports = [load_report(chain / f"r{n}").report for n in range(3)]
    assert previous_of(reports[0]) == 0
    assert previous_of(reports[1]) == chain_hash(reports[0]) != 0
    assert previous_of(reports[2]) == chain_hash(reports[1])


@pytest.mark.parametrize(
    ("order", "named", "problem"),
    [
        (("r0", "r2"), "r2", "does not follow"),  # r1 missing
        (("r1", "r0", "r2"), "r0", "not after"),  # reordered
        (("r2", "r1"), "r1", "not after"),
        (("other0", "r1", "r2"), "r1", "does not follow"),  # r0 replaced by a valid report
    ],
)
def test_verify_chain_refuses_a_missing_reordered_or_replaced_report(
    chain: Path, order: tuple[str, ...], named: str, problem: str
) -> None:
    res = run("verify-chain", *(chain / n for n in order))
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"invalid: {chain / named}: "), res.output
    assert problem in lines[0]


def test_verify_chain_refuses_a_report_that_does_not_verify(chain: Path, tmp_path: Path) -> None:
    r1 = Path(shutil.copytree(chain / "r1", tmp_path / "r1"))
    doc = json.loads((r1 / layout.REPORT).read_text())
    doc["batches"][0]["statement"]["previous"] = "1"  # re-linked to another report by hand
    (r1 / layout.REPORT).write_text(json.dumps(doc))
    assert run("verify-chain", chain / "r0", chain / "r1").exit_code == 0  # control
    res = run("verify-chain", chain / "r0", r1)
    assert res.exit_code == 1
    assert res.output.startswith(f"invalid: {r1}: batch 0: statement_hash"), res.output


def test_prove_refuses_a_previous_report_that_is_not_earlier(chain: Path, keys_dir: Path) -> None:
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys_dir,
              "--out", chain / "never", "--seed", 1, "--previous", chain / "r1")  # fmt: skip
    assert res.exit_code == 2
    assert res.output.startswith("error: --previous: ") and "is not before" in res.output
    assert not (chain / "never").exists()


def _receipt(report: Path, name: str) -> dict:
    return json.loads(layout.receipt_path(layout.private_dir(report), name).read_text())


def test_an_accounts_commitment_is_stable_across_epochs_and_hidden_otherwise(
    chain: Path, keys_dir: Path, tmp_path: Path
) -> None:
    first, later = _receipt(chain / "r0", "alice"), _receipt(chain / "r2", "alice")
    assert first["commitment"] == later["commitment"]
    assert first["salt"] != later["salt"] and first["leaf"] != later["leaf"]
    assert first["commitment"] != _receipt(chain / "r0", "bob")["commitment"]
    # control: another account key gives the same account another commitment
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys_dir, "--out",
              tmp_path / "r", "--seed", 0, "--account-key", tmp_path / "other.key", "--quiet")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert _receipt(tmp_path / "r", "alice")["commitment"] != first["commitment"]
    assert run("verify-inclusion", layout.receipt_path(tmp_path / "r.private", "alice"),
               "--report", tmp_path / "r").exit_code == 0  # fmt: skip


def test_an_account_key_that_is_not_hex_is_refused(keys_dir: Path, tmp_path: Path) -> None:
    key = tmp_path / "bad.key"
    key.write_text("not a key\n")
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys_dir,
              "--out", tmp_path / "r", "--account-key", key)  # fmt: skip
    assert res.exit_code == 2 and res.output.startswith(f"error: {key}: expected 64 hex digits")
    assert not (tmp_path / "r").exists()


def test_a_receipt_stating_another_commitment_is_refused(chain: Path, tmp_path: Path) -> None:
    receipt = layout.receipt_path(layout.private_dir(chain / "r1"), "alice")
    assert run("verify-inclusion", receipt, "--report", chain / "r1").exit_code == 0  # control
    doc = json.loads(receipt.read_text())
    doc["commitment"] = _receipt(chain / "r1", "bob")["commitment"]
    forged = tmp_path / "alice.json"
    forged.write_text(json.dumps(doc))
    res = run("verify-inclusion", forged, "--report", chain / "r1")
    assert res.exit_code == 2
    assert res.output.startswith(f"error: {forged}: commitment: is not the commitment"), res.output
