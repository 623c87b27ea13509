"""The CLI: one-line errors with exit 2 for bad input, exit 1 for claims that do not hold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.cli import main
from zkmargin.solvency import layout


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_error_line(res, *fragments: str) -> None:
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_setup_bad_input(tmp_path: Path) -> None:
    common = ["--market", MARKET, "--out", tmp_path / "keys"]
    res = run("setup", "--circuit", "collateral", "--batch-size", "0", *common)
    assert res.output == (
        "zkmargin setup: invalid value for '--batch-size': 0 is not in the range 1<=x<=4096 "
        "(see zkmargin setup --help)\n"
    )
    res = run("setup", "--circuit", "nosuch", "--batch-size", "2", *common)
    # checked before anything is printed: the one line, no progress note or warning first
    assert res.exit_code == 2
    assert res.output.startswith("error: nosuch: circuit: no circuit of that name (known: ")
    assert len(res.output.splitlines()) == 1
    res = run("setup", "--circuit", "collateral", "--batch-size", "2", "--market", tmp_path / "m.json",
              "--out", tmp_path / "keys")  # fmt: skip
    assert res.exit_code == 2 and "m.json" in res.output
    assert not (tmp_path / "keys").exists()


def test_setup_refuses_a_full_folder(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "x").write_text("")
    res = run("setup", "--circuit", "collateral", "--batch-size", "2", "--market", MARKET,
              "--out", tmp_path / "keys")  # fmt: skip
    assert res.exit_code == 2 and "already exists" in res.output


def test_prove_bad_input(keys_dir: Path, tmp_path: Path) -> None:
    base = ["--market", MARKET, "--keys", keys_dir, "--out", tmp_path / "r"]
    one_error_line(run("prove", tmp_path / "none.jsonl", *base), "none.jsonl", "no such file")
    one_error_line(
        run("prove", ACCOUNTS, "--market", MARKET, "--keys", tmp_path, "--out", tmp_path / "r"),
        "circuit.json",
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "u1", "positions": {"ETH-PERP": "1"}}\n')
    one_error_line(run("prove", bad, *base), "bad.jsonl:1: positions.ETH-PERP: unknown instrument")
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "old").write_text("")
    one_error_line(run("prove", ACCOUNTS, *base), "already exists")


def test_prove_refuses_keys_of_another_shape(keys_dir: Path, tmp_path: Path) -> None:
    market = json.loads(MARKET.read_text())
    market["assets"]["ETH"] = {"price": "3400", "haircut": [["0", "0.9"]]}
    other = tmp_path / "market.json"
    other.write_text(json.dumps(market))
    res = run("prove", ACCOUNTS, "--market", other, "--keys", keys_dir, "--out", tmp_path / "r")
    # the keys' shape holds two assets: the market does not fit it, named before any proving
    one_error_line(res, f"{other}: assets: 3 assets, the keys hold 2")
    assert not (tmp_path / "r").exists()


def test_prove_refuses_a_key_for_another_circuit(keys_dir: Path, tmp_path: Path) -> None:
    keys = Path(shutil.copytree(keys_dir, tmp_path / "keys"))
    info = json.loads((keys / layout.CIRCUIT_INFO).read_text())
    info["wires"] += 1
    (keys / layout.CIRCUIT_INFO).write_text(json.dumps(info))
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys, "--out", tmp_path / "r")
    one_error_line(res, "circuit.zkey", f"the circuit has {info['wires']} wires")


def test_verify_cli(proven: Path, report_copy: Path) -> None:
    res = run("verify", proven / "report")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("OK: epoch 2026-11-20T08:00:00Z, circuit cross")
    assert "5 accounts in 3 batches" in res.output
    doc = json.loads((report_copy / layout.REPORT).read_text())
    doc["totals"]["requirement"] = "1"
    (report_copy / layout.REPORT).write_text(json.dumps(doc))
    res = run("verify", report_copy)
    assert res.exit_code == 1
    assert res.output.strip().startswith("invalid: report.json: totals.requirement 1")
    one_error_line(run("verify", proven), "report.json: not found")


def test_verify_inclusion_cli(proven: Path, report_copy: Path) -> None:
    report = proven / "report"
    res = run(
        "verify-inclusion",
        layout.receipt_path(layout.private_dir(report), "Carol@EU"),
        "--report",
        report,
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("OK: account Carol@EU (BTC 0.00000001) is account 2")
    path = layout.receipt_path(layout.private_dir(report_copy), "bob")
    doc = json.loads(path.read_text())
    doc["position"] = 0
    path.write_text(json.dumps(doc))
    res = run("verify-inclusion", path, "--report", report_copy)
    assert res.exit_code == 1
    assert "index 1 is not first_index 0 + position 0" in res.output
    path.write_text("{")
    one_error_line(run("verify-inclusion", path, "--report", report_copy), "invalid JSON")


@pytest.mark.parametrize("command", ["setup", "prove", "verify", "verify-inclusion"])
def test_help(command: str) -> None:
    res = run(command, "--help")
    assert res.exit_code == 0 and "Usage:" in res.output


def test_setup_and_inspect_share_one_param_option(tmp_path: Path) -> None:
    """``-p`` is one option: the same help and the same one-line refusal in both commands."""
    from zkmargin.cli import main as cli_main

    options = [
        next(o for o in cli_main.commands[name].params if o.name == "params")
        for name in ("setup", "inspect")
    ]
    assert options[0].help == options[1].help and options[0].opts == ["-p", "--param"]
    for command in (
        ["setup", "--circuit", "collateral", "--batch-size", "2", "--out", tmp_path / "k"],
        ["inspect", "collateral"],
    ):
        one_error_line(
            run(*command, "--market", MARKET, "-p", "slots"), "--param: slots: expected KEY=VALUE"
        )
    assert not (tmp_path / "k").exists()
