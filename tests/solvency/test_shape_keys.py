"""One setup, many markets: keys made for a shape prove any market and snapshot that fits it.

Keys are made on market A (3 instruments; capacity 8, 2 slots, a Merkle path per slot); market
B lists three more instruments sorted between A's (every index shifts) and changes every price
and vol. A's keys prove B's snapshot, ``verify --vk`` with A's key passes, snarkjs verifies every
batch, and the totals are the calculator's on B. What does not fit the keys exits 2 with one
line and writes nothing; every row of the published table is bound, held or not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from interop import run_tool
from solvency.test_cli import one_error_line
from solvency.test_cli import run as cli
from solvency.tiny import SCENARIO_ACCOUNTS as ACCOUNTS
from solvency.tiny import SCENARIO_MARKET as MARKET_A
from solvency.tiny import SCENARIO_SHAPE as SHAPE

from zkmargin.margin import calculate, load_market, read_accounts
from zkmargin.solvency import layout

OPTION = {"kind": "option", "expiry": "2026-12-27T08:00:00Z"}


def market_b() -> dict:
    doc = json.loads(MARKET_A.read_text())
    doc["underlyings"]["BTC"].update(price="61000", vol="0.6")
    doc["underlyings"]["ETH"].update(price="3100", vol="0.75")
    doc["assets"]["BTC"]["price"] = "61000"
    doc["instruments"].update(
        {
            "BTC-27DEC26-60000-P": {
                **OPTION,
                "underlying": "BTC",
                "right": "put",
                "strike": "60000",
            },
            "BTC-26MAR27": {
                "kind": "future",
                "underlying": "BTC",
                "expiry": "2027-03-26T08:00:00Z",
            },
            "ETH-27DEC26-3000-C": {
                **OPTION,
                "underlying": "ETH",
                "right": "call",
                "strike": "3000",
            },
        }
    )
    doc["instruments"] = dict(sorted(doc["instruments"].items()))
    return doc


@pytest.fixture(scope="module")
def keys_a(circuit_keys) -> Path:
    return circuit_keys("scenario", MARKET_A, **SHAPE)


@pytest.fixture(scope="module")
def proven_b(keys_a: Path, tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("market-b")
    market = base / "market_b.json"
    market.write_text(json.dumps(market_b()))
    res = cli("prove", ACCOUNTS, "--market", market, "--keys", keys_a, "--out", base / "report",
              "--seed", 3, "--quiet")  # fmt: skip
    assert res.exit_code == 0, res.output
    return market, base / "report"


def test_keys_of_a_prove_market_b(keys_a: Path, proven_b: tuple[Path, Path]) -> None:
    market_path, report = proven_b
    shape = json.loads((keys_a / layout.CIRCUIT_INFO).read_text())["shape"]
    assert shape["instruments"] == 8 and shape["slots"] == 2 and shape["lookup"] == "merkle"
    res = cli("verify", report, "--vk", keys_a / layout.VKEY)
    assert res.exit_code == 0, res.output
    market = load_market(market_path)
    result = calculate(market, list(read_accounts(ACCOUNTS, market)), mode="exact")
    totals = json.loads((report / layout.REPORT).read_text())["totals"]
    assert int(totals["requirement"]) == int(result.requirement.sum()) > 0
    assert int(totals["collateral_value"]) == int(result.collateral_value.sum())
    receipt = layout.receipt_path(layout.private_dir(report), "ben")
    res = cli("verify-inclusion", receipt, "--report", report)
    assert res.exit_code == 0 and "BTC-27DEC26-60000-P 2" in res.output, res.output


@pytest.mark.interop
def test_snarkjs_verifies_every_batch_with_keys_of_a(
    keys_a: Path, proven_b: tuple[Path, Path], snarkjs: str
) -> None:
    _, report = proven_b
    for batch in sorted((report / layout.BATCHES).iterdir()):
        run_tool(snarkjs, "groth16", "verify", str(keys_a / layout.VKEY),
                 str(batch / layout.PUBLIC), str(batch / layout.PROOF))  # fmt: skip


def test_an_unheld_row_moved_fails_verification(proven_b: tuple[Path, Path], tmp_path) -> None:
    """Nobody holds BTC-26MAR27 (row 0): changing its row still breaks the table root."""
    import shutil

    report = Path(shutil.copytree(proven_b[1], tmp_path / "report"))
    doc = json.loads((report / layout.MARKET_TABLE).read_text())
    row = doc["table"]["rows"][0]
    row[4] = str(int(row[4]) + 1)
    (report / layout.MARKET_TABLE).write_text(json.dumps(doc))
    res = cli("verify", report)
    assert res.exit_code == 1 and "table_root is not the root" in res.output, res.output


def test_what_does_not_fit_the_keys_exits_2(keys_a: Path, tmp_path: Path) -> None:
    crowded = tmp_path / "crowded.jsonl"
    crowded.write_text(
        ACCOUNTS.read_text() + '{"id": "u42", "positions": {"BTC-PERP": "1", "ETH-PERP": "1", '
        '"BTC-27DEC26-70000-C": "1"}, "collateral": {"USDT": "90000"}}\n'
    )
    out = tmp_path / "report"
    (tmp_path / "b.json").write_text(json.dumps(market_b()))
    one_error_line(
        cli("prove", crowded, "--market", tmp_path / "b.json", "--keys", keys_a, "--out", out),
        "crowded.jsonl:4: u42: 3 positions, the keys hold 2",
    )
    wide = market_b()
    for k in range(3):
        wide["instruments"][f"ETH-PERP-{k}"] = {"kind": "perpetual", "underlying": "ETH"}
    (tmp_path / "wide.json").write_text(json.dumps(wide))
    one_error_line(
        cli("prove", ACCOUNTS, "--market", tmp_path / "wide.json", "--keys", keys_a, "--out", out),
        "wide.json: instruments: 9 listed, the keys hold 8",
    )
    assert not out.exists() and not (tmp_path / "report.partial").exists()
    for command in (
        ["setup", "--circuit", "scenario", "--batch-size", "2", "--out", tmp_path / "k"],
        ["inspect", "scenario", "-p", "batch_size=2"],
    ):
        one_error_line(
            cli(*command, "--market", MARKET_A, "-p", "instruments=2"),
            "instruments: 3 listed, the keys hold 2",
        )
    assert not (tmp_path / "k").exists()
