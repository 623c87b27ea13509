"""``zkmargin calc`` and ``zkmargin demo``: output formats, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from zkmargin.batch import load_model_circuit
from zkmargin.cli import main
from zkmargin.margin import calculate, example_paths, load_market, read_accounts
from zkmargin.margin.calculator import CHUNK
from zkmargin.models.registry import market_models

MARKET, ACCOUNTS = example_paths()


def _run(*args: str):
    # Separate streams: the error line must go to stderr and stdout must stay empty.
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_calc_json_on_the_example_matches_the_library():
    code, out, err = _run("calc", str(ACCOUNTS), "--market", str(MARKET), "--json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    market = load_market(MARKET)
    expected = calculate(market, read_accounts(ACCOUNTS, market)).to_json()
    assert doc == expected
    assert set(doc["accounts"][0]) == {"id", "requirement", "collateral_value", "excess", "health"}
    assert all(isinstance(v, str) for v in doc["accounts"][0].values())
    assert doc["totals"]["liquidation"] > 0 and doc["totals"]["margin_call"] > 0


def test_calc_table_lists_every_account_and_totals():
    code, out, _ = _run("calc", str(ACCOUNTS.with_suffix(".csv")), "--market", str(MARKET))
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:2] == ["id", "requirement"]
    assert sum(1 for line in lines if line.startswith("acct-")) == 300
    assert lines[-2].startswith("TOTAL") and "liquidation" in lines[-1]


def test_calc_table_shows_the_json_figures_signs_and_all():
    table = _run("calc", str(ACCOUNTS), "--market", str(MARKET))[1].splitlines()
    doc = json.loads(_run("calc", str(ACCOUNTS), "--market", str(MARKET), "--json")[1])
    rows = {line.split()[0]: line.split() for line in table if line.startswith("acct-")}
    negative = 0
    for account in doc["accounts"]:
        cells = rows[account["id"]]
        shown = [cell.replace(",", "") for cell in cells[1:4]]
        assert shown == [account[k] for k in ("requirement", "collateral_value", "excess")]
        assert cells[4] == account["health"]
        negative += account["excess"].startswith("-")
    assert negative > 0  # the example has accounts short of their requirement, minus shown
    total = table[-2].split()
    assert [c.replace(",", "") for c in total[1:4]] == [
        doc["totals"][k] for k in ("requirement", "collateral_value", "excess")
    ]


def test_calc_summary_prints_totals_and_counts_only():
    code, out, _ = _run("calc", str(ACCOUNTS), "--market", str(MARKET), "--summary")
    doc = json.loads(_run("calc", str(ACCOUNTS), "--market", str(MARKET), "--json")[1])
    totals = doc["totals"]
    assert code == 0 and len(out.splitlines()) == 2 and "acct-" not in out
    assert f"{totals['liquidation']} in liquidation" in out and "300 accounts" in out
    code, out, _ = _run("calc", str(ACCOUNTS), "--market", str(MARKET), "--summary", "--json")
    assert code == 0 and json.loads(out) == {k: doc[k] for k in ("model", "level", "totals")}


@pytest.mark.parametrize("model", market_models())
def test_the_example_works_with_every_model(model: str) -> None:
    code, out, err = _run("calc", str(ACCOUNTS), "--market", str(MARKET), "--model", model,
                          "--summary")  # fmt: skip
    assert code == 0 and err == "" and f"300 accounts ({model} model" in out


@pytest.mark.parametrize(
    "circuit",
    ["collateral", "cross", "isolated", "scenario", "greeks", "health", "health_portfolio"],
)
def test_every_shipped_circuit_margins_the_example(circuit: str) -> None:
    # what prove scans with: the circuit's own figures for every example account
    market = load_market(MARKET)
    accounts = list(read_accounts(ACCOUNTS, market))
    short = load_model_circuit(circuit).shortfalls(market, accounts)
    assert len(short) == 300 and all(s >= 0 for s in short)


def test_calc_options_override_the_market(tmp_path):
    code, out, _ = _run(
        "calc", str(ACCOUNTS), "--market", str(MARKET), "--json", "--model", "greeks",
        "--level", "initial",
    )  # fmt: skip
    doc = json.loads(out)
    assert code == 0 and (doc["model"], doc["level"]) == ("greeks", "initial")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: ("a.jsonl", '{"id": "u1"}\n{"id": "u2", "collateral": {"USDT": "-1"}}\n'),
         "a.jsonl:2: collateral.USDT: negative value not allowed: '-1' (balances cannot be negative; "
         "liabilities are not supported yet)"),
        (lambda d: ("a.jsonl", '{"id": "u1", "positions": {"BTC-PERP": "1.123456789"}}\n'),
         "a.jsonl:1: positions.BTC-PERP: more than 8 decimals: '1.123456789'"),
        (lambda d: ("a.csv", "account,kind,name,amount\nu1,position,NOPE,1\n"),
         "a.csv:2: positions.NOPE: unknown instrument 'NOPE'"),
        (lambda d: ("a.txt", ""), "a.txt: accounts file must end in .jsonl or .csv"),
    ],
)  # fmt: skip
def test_bad_accounts_print_one_line_and_exit_2(tmp_path, make, expected):
    name, text = make(None)
    path = tmp_path / name
    path.write_text(text)
    code, out, err = _run("calc", str(path), "--market", str(MARKET))
    assert code == 2 and out == ""
    assert err == f"error: {tmp_path}/{expected}\n"


def test_bad_market_names_file_line_field(tmp_path):
    doc = json.loads(MARKET.read_text())
    doc["assets"]["BTC"]["price"] = "65000.123456789"
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(doc, indent=2))
    code, out, err = _run("calc", str(ACCOUNTS), "--market", str(bad))
    line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if "65000.123456789" in t)
    assert (code, out) == (2, "")
    assert (
        err == f"error: {bad}:{line}: assets.BTC.price: more than 8 decimals: '65000.123456789'\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "zkmargin calc: missing option '--market' (see zkmargin calc --help)\n"),
        (
            ("--model", "var"),
            "zkmargin calc: invalid value for '--model': 'var' is not one of 'collateral', 'cross', "
            "'greeks', 'scenario' (see zkmargin calc --help)\n",
        ),
    ],
)
def test_bad_options_print_one_line_and_exit_2(args, expected):
    market = () if not args and "'--market'" in expected else ("--market", str(MARKET))
    code, out, err = _run("calc", str(ACCOUNTS), *market, *args)
    assert (code, out) == (2, "") and err.endswith(expected) and err.count("\n") == 1


def test_demo_runs_from_any_directory(tmp_path):
    # The embedded example ships inside the package; the proving part of the demo is covered by
    # tests/solvency (slow) and by .ci/run, which runs `zkmargin demo` itself.
    proc = subprocess.run(
        [sys.executable, "-c", "from zkmargin.cli import main; main()", "demo", "--calc-only"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Example snapshot 2026-11-20T08:00:00Z" in proc.stdout
    assert "300 accounts (greeks model" in proc.stdout  # the summary, in the proofs' model


def test_a_bad_line_after_the_first_chunk_still_prints_nothing_else(tmp_path):
    # More accounts than one calculation chunk: the error must come before any output.
    lines = [f'{{"id": "u{k}", "collateral": {{"USDT": "1"}}}}' for k in range(CHUNK + 10)]
    lines.append('{"id": "last", "collateral": {"USDT": "-1"}}')
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = _run("calc", str(path), "--market", str(MARKET))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}:{CHUNK + 11}: collateral.USDT: negative value")


def test_an_empty_accounts_file_is_an_error(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("")
    assert _run("calc", str(path), "--market", str(MARKET)) == (
        2,
        "",
        f"error: {path}: no accounts\n",
    )
