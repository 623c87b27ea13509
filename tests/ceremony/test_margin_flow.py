"""A margin circuit's keys from a ceremony: setup --ptau, contributions, setup --zkey, prove,
then verify --zkey --ptau checks the chain end to end (and refuses a key that is not the one
the report was proven with)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from solvency.tiny import ACCOUNTS, CIRCUIT, MARKET

from zkmargin.cli import main

pytestmark = pytest.mark.slow


def zk(*args, code: int = 0) -> str:
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == code, res.output
    return res.output


@pytest.fixture(scope="module")
def ceremony(tmp_path_factory, shared_initial_keys):
    from dealer import dealer_ptau

    d = tmp_path_factory.mktemp("margin")
    ptau = dealer_ptau(d, 12)  # batches of 1: 4013 constraints, a 2^12 domain
    common = ["--circuit", CIRCUIT, "--market", MARKET, "--batch-size", "1"]
    out = zk("setup", *common, "--ptau", ptau, "--out", d / "start", "--quiet")
    assert "setup phase2-start" in out
    zk("zkey", "contribute", d / "start" / "circuit.zkey", d / "1.zkey", "--name=user", "-e=u")
    zk("zkey", "beacon", d / "1.zkey", d / "final.zkey", "0a0b0c", "10", "-n", "beacon")
    out = zk("setup", *common, "--zkey", d / "final.zkey", "--ptau", ptau, "--out", d / "keys")
    assert "setup ceremony" in out
    assert json.loads((d / "keys" / "circuit.json").read_text())["setup"] == "ceremony"
    zk("prove", ACCOUNTS, "--market", MARKET, "--keys", d / "keys", "--out", d / "report",
       "--allow-shortfall", "--seed", "1", "--quiet")  # fmt: skip
    assert len(shared_initial_keys) == 1  # setup --ptau built it, setup --zkey reused it
    return d, ptau


def test_verify_checks_the_ceremony_chain(ceremony) -> None:
    d, ptau = ceremony
    out = zk("verify", d / "report", "--zkey", d / "final.zkey", "--ptau", ptau)
    assert "keys from a ceremony: 1 powers-of-tau and 2 phase-2 contributions (user, beacon)" in out


def test_a_key_other_than_the_reports_is_refused(ceremony) -> None:
    d, ptau = ceremony
    out = zk("verify", d / "report", "--zkey", d / "1.zkey", "--ptau", ptau, code=1)
    assert "not the verification key of" in out


def test_adopting_a_key_for_another_circuit_is_refused(ceremony, tmp_path) -> None:
    d, _ = ceremony
    out = zk("setup", "--circuit", CIRCUIT, "--market", MARKET, "--batch-size", "2",
             "--zkey", d / "final.zkey", "--out", tmp_path / "k", code=2)  # fmt: skip
    assert "wires" in out
    assert not (tmp_path / "k").exists()


def test_zkey_and_ptau_go_together(ceremony) -> None:
    d, _ = ceremony
    out = zk("verify", d / "report", "--zkey", d / "final.zkey", code=2)
    assert "--ptau" in out
