"""Under-margined accounts: named with their shortfall, nothing written, or left out and listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from solvency.tiny import ACCOUNTS, BATCH_SIZE, CIRCUIT, MARKET

from zkmargin.cli import main
from zkmargin.margin import Account, calculate, load_market, parse_account, read_accounts
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE, parse_decimal
from zkmargin.solvency import (
    Snapshot,
    UnderMargined,
    layout,
    prove_snapshot,
    shortfalls,
    verify_report,
)
from zkmargin.solvency.batch_model import batch_model

SHORT = '{"id": "frank", "positions": {"BTC-PERP": "-3"}, "collateral": {"USDT": "700"}}\n'
GOOD = '{"id": "grace", "positions": {"BTC-PERP": "0.1"}, "collateral": {"BTC": "0.01"}}\n'


@pytest.fixture(scope="module")
def model():
    return batch_model(CIRCUIT, load_market(MARKET), BATCH_SIZE)


def test_shortfall_is_the_calculators_missing_excess(model) -> None:
    market = load_market(MARKET)
    accounts = list(read_accounts(ACCOUNTS, market))
    frank = Account("frank", {"BTC-PERP": -3 * QTY_SCALE}, {"USDT": 700 * QTY_SCALE})
    result = calculate(market, [*accounts, frank])
    assert int(result.excess[-1]) < 0
    assert [(e.id, e.shortfall) for e in shortfalls(model, [*accounts, frank])] == [
        ("frank", -int(result.excess[-1]))
    ]


@settings(max_examples=40)
@given(
    st.integers(-(10**10), 10**10),
    st.integers(0, 10**12),
    st.integers(0, 10**8),
)
def test_shortfall_matches_the_calculator(model, qty: int, usdt: int, btc: int) -> None:
    market = load_market(MARKET)
    acct = Account("u", {"BTC-PERP": qty}, {"USDT": usdt, "BTC": btc})
    excess = int(calculate(market, [acct]).excess[0])
    found = shortfalls(model, [acct])
    assert [e.shortfall for e in found] == ([-excess] if excess < 0 else [])


def _frank_shortfall() -> str:
    """frank's shortfall as the calculator states it (a decimal, quote units)."""
    market = load_market(MARKET)
    frank = parse_account(json.loads(SHORT), market=market)
    return calculate(market, [frank]).to_json()["accounts"][0]["excess"].removeprefix("-")


def test_prove_refuses_and_writes_nothing(keys_dir: Path, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(GOOD + SHORT)
    with pytest.raises(UnderMargined) as err:
        prove_snapshot(Snapshot(accounts, MARKET, keys_dir), tmp_path / "report")
    assert [e.id for e in err.value.accounts] == ["frank"]
    assert not (tmp_path / "report").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl"]


def test_cli_names_the_account_and_its_shortfall(keys_dir: Path, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(GOOD + SHORT)
    args = ["prove", str(accounts), "--market", str(MARKET), "--keys", str(keys_dir)]
    res = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "report")])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"error: an account misses its requirement (frank short by {_frank_shortfall()}); no "
        "report written (--allow-shortfall proves the others and lists these in the report)"
    ]
    assert not (tmp_path / "report").exists()


def test_allow_shortfall_with_every_account_short_is_a_claim_that_fails(
    keys_dir: Path, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(SHORT)
    args = ["prove", str(accounts), "--market", str(MARKET), "--keys", str(keys_dir)]
    res = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "r"), "--allow-shortfall"])
    assert res.exit_code == 1 and res.output.startswith("error: every account misses"), res.output
    assert len(res.output.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl"]


def test_allow_shortfall_lists_the_excluded(keys_dir: Path, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(SHORT + GOOD)
    report = tmp_path / "report"
    args = ["prove", str(accounts), "--market", str(MARKET), "--keys", str(keys_dir), "--quiet"]
    res = CliRunner().invoke(main, [*args, "--out", str(report), "--allow-shortfall"])
    assert res.exit_code == 0, res.output
    assert f"left out, listed in the report: frank short by {_frank_shortfall()}" in res.output
    doc = json.loads((report / layout.REPORT).read_text())
    shortfall = parse_decimal(_frank_shortfall(), MONEY_SCALE)
    assert doc["excluded"] == [{"id": "frank", "shortfall": str(shortfall)}]
    assert doc["totals"]["accounts"] == 1
    assert sorted(p.name for p in (layout.private_dir(report) / layout.RECEIPTS).iterdir()) == [
        "grace.json"
    ]
    assert verify_report(report).report.excluded[0].id == "frank"
