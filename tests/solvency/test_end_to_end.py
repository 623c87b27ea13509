"""End to end on the tiny market: prove, verify, verify-inclusion, and snarkjs as a second
verifier (every batch proof; a witness against the keys' ``circuit.r1cs``)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from interop import run_tool
from snarkjs_pipeline import wtns_check
from solvency.tiny import ACCOUNTS, BATCH_SIZE, MARKET

from zkmargin.batch import Statement
from zkmargin.formats.wtns import read_wtns
from zkmargin.margin import calculate, load_market, read_accounts
from zkmargin.solvency import layout, verify_inclusion, verify_report
from zkmargin.solvency.keys import load_keys


def _accounts():
    market = load_market(MARKET)
    return market, list(read_accounts(ACCOUNTS, market))


def test_report_states_the_calculators_figures(proven: Path) -> None:
    loaded = verify_report(proven / "report")
    report = loaded.report
    market, accounts = _accounts()
    result = calculate(market, accounts)
    assert report.totals.accounts == len(accounts) == 5
    assert report.totals.collateral_value == sum(int(x) for x in result.collateral_value)
    assert report.totals.requirement == sum(int(x) for x in result.requirement)
    for j, asset in enumerate(market.asset_names):
        assert report.totals.assets[j] == sum(a.collateral.get(asset, 0) for a in accounts)
    counts = [b.statement.count for b in report.batches]
    assert counts == [2, 2, 1]  # 5 accounts in batches of 2: the last one padded
    assert [b.statement.first_index for b in report.batches] == [0, 2, 4]
    assert report.excluded == ()


def test_files_are_snarkjs_shaped(proven: Path) -> None:
    report = proven / "report"
    doc = json.loads((report / layout.REPORT).read_text())
    for n, entry in enumerate(doc["batches"]):
        public = json.loads((layout.batch_dir(report, n) / layout.PUBLIC).read_text())
        assert public == [entry["statement_hash"]]
        assert Statement.from_json(entry["statement"]).hash() == int(public[0])
        proof = json.loads((layout.batch_dir(report, n) / layout.PROOF).read_text())
        assert proof["protocol"] == "groth16" and proof["curve"] == "bn128"
    assert (report / layout.MARKET).read_bytes() == MARKET.read_bytes()
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_receipts_verify(proven: Path) -> None:
    _, accounts = _accounts()
    report = proven / "report"
    names = sorted(p.name for p in (layout.private_dir(report) / layout.RECEIPTS).iterdir())
    assert names == sorted(layout.receipt_filename(a.id) for a in accounts)
    # one account per batch (each check costs a pairing): full, full, and the padded batch
    for index in (1, 2, 4):
        account = accounts[index]
        inc = verify_inclusion(layout.receipt_path(layout.private_dir(report), account.id), report)
        assert inc.receipt.account.id == account.id
        assert dict(inc.receipt.account.positions) == dict(account.positions)
        assert dict(inc.receipt.account.collateral) == dict(account.collateral)
        assert inc.receipt.index == index
        assert (inc.receipt.batch, inc.receipt.position) == divmod(index, BATCH_SIZE)


def test_witness_files_are_the_proven_witnesses(proven: Path, keys_dir: Path) -> None:
    keys = load_keys(keys_dir)
    witnesses = proven / "report.private" / "witnesses"
    assert sorted(p.name for p in witnesses.iterdir()) == ["0.wtns", "1.wtns", "2.wtns"]
    for n in range(3):
        _, witness = read_wtns(witnesses / f"{n}.wtns")
        assert stat.S_IMODE((witnesses / f"{n}.wtns").stat().st_mode) == layout.PRIVATE_FILE_MODE
        assert len(witness) == keys.info.wires and witness[0] == 1
        public = json.loads((layout.batch_dir(proven / "report", n) / layout.PUBLIC).read_text())
        assert witness[1] == int(public[0])


@pytest.mark.interop
def test_snarkjs_verifies_every_batch_proof(proven: Path, snarkjs: str) -> None:
    report = proven / "report"
    for n in range(3):
        folder = layout.batch_dir(report, n)
        out = run_tool(
            snarkjs,
            "groth16",
            "verify",
            str(report / layout.VKEY),
            str(folder / layout.PUBLIC),
            str(folder / layout.PROOF),
        )
        assert "OK" in out.stdout


@pytest.mark.interop
def test_snarkjs_checks_a_witness_against_the_keys_r1cs(
    proven: Path, keys_dir: Path, snarkjs: str, tmp_path: Path
) -> None:
    r1cs = keys_dir / layout.R1CS_FILE
    assert wtns_check(r1cs, proven / "report.private" / "witnesses" / "2.wtns")  # the padded batch
    # and snarkjs refuses the same witness with its public signal changed
    from zkmargin.formats.wtns import write_wtns

    prime, witness = read_wtns(proven / "report.private" / "witnesses" / "2.wtns")
    witness[1] = (witness[1] + 1) % prime
    write_wtns(tmp_path / "bad.wtns", witness, prime)
    assert not wtns_check(r1cs, tmp_path / "bad.wtns")


@pytest.mark.slow
def test_parallel_proving_writes_the_same_report(proven: Path, keys_dir: Path, tmp_path) -> None:
    # Same seed, two worker processes: byte-identical statements, proofs and receipts.
    from zkmargin.solvency import ProveOptions, Snapshot, prove_snapshot

    prove_snapshot(
        Snapshot(ACCOUNTS, MARKET, keys_dir), tmp_path / "report", ProveOptions(seed=7, workers=2)
    )
    ours = sorted(p.relative_to(tmp_path / "report") for p in (tmp_path / "report").rglob("*.json"))
    assert ours  # the comparison below is over real files
    theirs = sorted(p.relative_to(proven / "report") for p in (proven / "report").rglob("*.json"))
    assert ours == theirs
    for rel in ours:
        assert (tmp_path / "report" / rel).read_bytes() == (proven / "report" / rel).read_bytes()
