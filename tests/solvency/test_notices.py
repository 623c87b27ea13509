"""Margin-call notices: the ``notice`` circuit against the calculator, ``call`` and
``verify-notice`` on a health report of the tiny market (alice healthy, mia in margin call, ned
in liquidation), each refusal beside its control.
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solvency.tiny import DATA, MARKET

from zkmargin.batch import load_model_circuit
from zkmargin.batch.digest import compile_with_digest
from zkmargin.cli import main
from zkmargin.dsl import UnsatisfiedConstraint, check
from zkmargin.formats.snarkjs_json import vk_from_json
from zkmargin.groth16 import prove, verify
from zkmargin.hash import MerkleTree
from zkmargin.margin import Account, calculate, load_market, parse_account
from zkmargin.models.health.calculator import HEALTH_NAMES
from zkmargin.solvency import layout
from zkmargin.solvency.keys import load_keys

Notice = load_model_circuit("notice")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def notice_compiled():
    market = load_market(MARKET)
    circuit = Notice(market)
    return market, circuit, compile_with_digest(circuit)[0]


def _inputs(market, circuit, account: Account, position: int = 2):
    """A notice's inputs for ``account`` at ``position`` of a depth-3 tree of stand-in leaves."""
    leaf = Notice.account_leaf(market, account, 9, circuit.shape, 5)
    leaves = [11, 12, 13, 14]
    leaves[position] = leaf
    tree = MerkleTree(leaves, depth=3)
    path = (position, tree.path(position)[0])
    return Notice.account_inputs(
        market, circuit.shape, account, (5, 9), path, tree.root, 100, circuit.digest_value
    )


def _state(market, account: Account) -> str:
    result = calculate(market, [account], model="cross", mode="exact")
    return HEALTH_NAMES[int(result.health[0])]


def _account(doc: dict, market) -> Account:
    return parse_account(doc, market=market)


MIA = {"id": "mia", "positions": {"BTC-PERP": "2"}, "collateral": {"USDT": "1000"}}
NED = {"id": "ned", "positions": {"BTC-PERP": "-2"}, "collateral": {"USDT": "500"}}
ALICE = {"id": "alice", "positions": {"BTC-PERP": "0.5"}, "collateral": {"USDT": "2000"}}


@pytest.mark.parametrize(("doc", "state"), [(MIA, 1), (NED, 2)])
def test_notice_circuit_proves_the_calculators_state(notice_compiled, doc, state) -> None:
    market, circuit, cc = notice_compiled
    account = _account(doc, market)
    inputs, statement = _inputs(market, circuit, account)
    assert statement.state == state and HEALTH_NAMES[state] == _state(market, account)
    witness = cc.solve(inputs)
    check(cc.r1cs, witness)
    assert cc.public_values(witness) == [statement.hash()]


@pytest.mark.parametrize(
    ("doc", "change", "constraint"),
    [
        (ALICE, {}, "notice/not_healthy"),  # a healthy account, honestly encoded
        (MIA, {"state": 2}, "notice/state"),  # margin call claimed as liquidation
        (NED, {"state": 1}, "notice/state"),
        (MIA, {"root": 7}, "path/root"),  # another tree
        (MIA, {"depth_used": 2}, "path/root"),  # a shallower tree (an inner node as root)
        (MIA, {"account": [3]}, "path/root"),  # another pseudonym for the same leaf
    ],
)
def test_a_malicious_notice_witness_fails_naming_the_constraint(
    notice_compiled, doc, change, constraint
) -> None:
    market, circuit, cc = notice_compiled
    inputs, _ = _inputs(market, circuit, _account(doc, market))
    inputs.update(change)
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(cc.r1cs, cc.solve(inputs))
    assert err.value.name.startswith(constraint) or constraint in err.value.name, err.value.name


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    qty=st.integers(-300, 300).filter(bool),
    usdt=st.integers(0, 3000),
    position=st.integers(0, 3),
)
def test_random_portfolios_get_a_notice_exactly_when_the_calculator_says(
    notice_compiled, qty: int, usdt: int, position: int
) -> None:
    market, circuit, cc = notice_compiled
    account = Account("r", {"BTC-PERP": qty * 10**6}, {"USDT": usdt * 10**8})
    inputs, statement = _inputs(market, circuit, account, position)
    state = _state(market, account)
    assert HEALTH_NAMES[statement.state] == state
    witness = cc.solve(inputs)
    if state == "healthy":
        with pytest.raises(UnsatisfiedConstraint, match="notice/not_healthy"):
            check(cc.r1cs, witness)
    else:
        check(cc.r1cs, witness)


# -- the commands ---------------------------------------------------------------------------------
def _receipt(base: Path, name: str) -> Path:
    return layout.receipt_path(base / "report.private", name)


def test_a_notice_verifies_and_names_the_users_account(health_reports: Path) -> None:
    base = health_reports
    notice = json.loads((base / "mia.json").read_text())
    assert notice["account"] == json.loads(_receipt(base, "mia").read_text())["commitment"]
    assert {"positions", "collateral", "balances"}.isdisjoint(json.dumps(notice))
    res = run("verify-notice", base / "mia.json", "--report", base / "report",
              "--receipt", _receipt(base, "mia"))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"OK: account {notice['account']} is in margin_call")
    res = run("verify-notice", base / "mia.json", "--report", base / "report",
              "--receipt", _receipt(base, "alice"))  # fmt: skip
    assert res.exit_code == 1
    assert res.output == "invalid: mia.json: names another account than alice.json\n"


def test_call_refuses_a_healthy_account(health_reports: Path, tmp_path: Path) -> None:
    base = health_reports
    out = tmp_path / "alice.json"
    res = run("call", base / "report", "alice", "--keys", base / "notice-keys", "--out", out)
    assert res.exit_code == 1
    assert res.output.startswith("refused: alice is healthy in ") and res.output.count("\n") == 1
    assert not out.exists()
    res = run(
        "call",
        base / "report",
        "ned",
        "--keys",
        base / "notice-keys",
        "--out",
        tmp_path / "ned.json",
    )  # fmt: skip (control: an account in liquidation)
    assert res.exit_code == 0 and "is in liquidation" in res.output


def test_a_notice_checked_against_another_report_is_refused(health_reports: Path) -> None:
    base = health_reports
    res = run("verify-notice", base / "mia.json", "--report", base / "other")
    assert res.exit_code == 1
    assert res.output.startswith("invalid: mia.json: statement.root is not the report's")


def _edited(base: Path, tmp_path: Path, change) -> Path:
    doc = json.loads((base / "mia.json").read_text())
    change(doc)
    path = tmp_path / "mia.json"
    path.write_text(json.dumps(doc))
    return path


def _swap_account(doc: dict, other: str) -> None:
    doc["account"] = doc["statement"]["account"] = other


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("state", "the proof does not verify"),
        ("account", "the proof does not verify"),
        ("label", "state is not the statement's"),
        ("name", "account is not the statement's"),
        ("hash", "statement_hash is not the hash of the statement"),
        ("digest", "statement.circuit_digest is not the report's"),
    ],
)
def test_an_edited_notice_is_refused(
    health_reports: Path, tmp_path: Path, case: str, problem: str
) -> None:
    base = health_reports
    ned = json.loads(_receipt(base, "ned").read_text())["commitment"]
    changes = {
        "state": lambda d: d.update(state="liquidation") or d["statement"].update(state="2"),
        "account": lambda d: _swap_account(d, ned),
        "label": lambda d: d.update(state="liquidation"),
        "name": lambda d: d.update(account=ned),
        "hash": lambda d: d.update(statement_hash="1"),
        "digest": lambda d: d["statement"].update(circuit_digest="1"),
    }
    for fix in (
        "state",
        "account",
        "digest",
    ):  # the hash follows the edited statement, as a forger's
        if case == fix:
            changes[case] = _rehashed(changes[case])
    res = run("verify-notice", _edited(base, tmp_path, changes[case]), "--report", base / "report")
    assert res.exit_code == 1
    assert res.output == f"invalid: mia.json: {problem}\n"


def _rehashed(change):
    from zkmargin.account_circuits.statement import NoticeStatement

    def both(doc: dict) -> None:
        change(doc)
        doc["statement_hash"] = str(NoticeStatement.from_json(doc["statement"]).hash())

    return both


def test_notice_keys_hash_the_statement_whatever_the_report(tmp_path: Path) -> None:
    """A single-account statement is always hashed: ``statement=fields`` is one line, exit 2
    (the control, keys of the default mode, is the ``health_reports`` fixture's set-up)."""
    res = run("setup", "--circuit", "notice", "--market", MARKET, "--batch-size", 1,
              "-p", "statement=fields", "--out", tmp_path / "keys")  # fmt: skip
    assert res.exit_code == 2 and res.output.count("\n") == 1, res.output
    assert "statement=hash only" in res.output and not (tmp_path / "keys").exists()


def test_the_notice_binds_its_own_circuit_digest(notice_compiled) -> None:
    market, circuit, cc = notice_compiled
    honest, statement = _inputs(market, circuit, _account(MIA, market))
    assert statement.circuit_digest == circuit.digest_value != 0
    check(cc.r1cs, cc.solve(honest))  # control
    stated = dataclasses.replace(statement, circuit_digest=circuit.digest_value + 1)
    other = dict(honest, circuit_digest=stated.circuit_digest, statement=stated.hash())
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(cc.r1cs, cc.solve(other))
    assert err.value.name == "circuit_digest"


def test_a_forged_witness_yields_no_verifying_proof(health_reports: Path, notice_compiled) -> None:
    market, circuit, cc = notice_compiled
    keys = load_keys(health_reports / "notice-keys")
    vk = vk_from_json(json.loads((health_reports / "mia.json").read_text())["verification_key"])
    honest, statement = _inputs(market, circuit, _account(MIA, market))
    proof, public = prove(keys.zkey, cc.solve(honest), random.Random(1))
    assert verify(vk, public, proof)  # control
    forged = dict(honest, state=2)
    forged["statement"] = type(statement)(**{**statement.__dict__, "state": 2}).hash()
    proof, public = prove(keys.zkey, cc.solve(forged), random.Random(1))
    assert not verify(vk, public, proof)


def test_a_notice_checks_against_a_fields_report(
    health_reports: Path, circuit_keys, tmp_path: Path
) -> None:
    """A health report whose proofs take the statement's fields as public inputs (keys for an
    EVM contract): the notice circuit is the same (its own statement is hashed), so a notice
    against it proves and checks like any other."""
    report = tmp_path / "fields"
    res = run("prove", DATA / "health_accounts.jsonl", "--market", MARKET, "--keys",
              circuit_keys("health", statement="fields"), "--out", report, "--seed", 4,
              "--quiet", "--claim-keys", circuit_keys("notice"))  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads((report / layout.REPORT).read_text())["shape"]["statement"] == "fields"
    notice = tmp_path / "ned.json"
    res = run("call", report, "ned", "--keys", circuit_keys("notice"), "--out", notice)
    assert res.exit_code == 0, res.output
    receipt = layout.receipt_path(layout.private_dir(report), "ned")
    res = run("verify-notice", notice, "--report", report, "--receipt", receipt)
    assert res.exit_code == 0, res.output
    assert "is in liquidation" in res.output
    res = run("verify-notice", notice, "--report", health_reports / "report")
    assert res.exit_code == 1  # beside the control: not the hashed report's tree
    assert res.output.startswith("invalid: ned.json: statement.")
