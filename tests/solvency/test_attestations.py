"""User-side attestations: the ``attestation`` circuit against the calculator, ``attest`` and
``verify-attestation`` on the tiny health report (alice healthy, excess 1,863.5; mia in margin
call, excess 370), each refusal beside its control.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solvency.tiny import MARKET

from zkmargin.account_circuits.statement import AttestationStatement
from zkmargin.batch import load_model_circuit
from zkmargin.batch.digest import compile_with_digest
from zkmargin.cli import main
from zkmargin.dsl import UnsatisfiedConstraint, check
from zkmargin.formats.snarkjs_json import vk_from_json
from zkmargin.groth16 import prove, verify
from zkmargin.hash import MerkleTree
from zkmargin.margin import Account, calculate, load_market, parse_account
from zkmargin.margin.arith import EXACT
from zkmargin.models.health.calculator import threshold
from zkmargin.solvency import layout
from zkmargin.solvency.keys import load_keys

Attestation = load_model_circuit("attestation")
ALICE = {"id": "alice", "positions": {"BTC-PERP": "0.5"}, "collateral": {"USDT": "2000"}}
MIA = {"id": "mia", "positions": {"BTC-PERP": "2"}, "collateral": {"USDT": "1000"}}
UNIT = 10**8


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def attestation_compiled():
    market = load_market(MARKET)
    circuit = Attestation(market)
    return market, circuit, compile_with_digest(circuit)[0]


def _inputs(market, circuit, account: Account, **claim):
    leaf = Attestation.account_leaf(market, account, 9, circuit.shape, 5)
    tree = MerkleTree([11, leaf, 13], depth=2)
    path = (1, tree.path(1)[0])
    return Attestation.account_inputs(
        market, circuit.shape, account, (5, 9), path, tree.root, 100, circuit.digest_value, **claim
    )


def _excess(market, account: Account) -> tuple[int, bool]:
    r = calculate(market, [account], model="cross", mode="exact")
    thr = int(threshold(EXACT, EXACT.array([int(r.requirement[0])]), market.model.buffer)[0])
    return int(r.collateral_value[0]) - thr, int(r.health[0]) == 0


@pytest.mark.parametrize(
    ("doc", "claim", "constraint"),
    [
        (ALICE, {}, None),  # control: healthy
        (MIA, {}, "attest/healthy"),  # in margin call, claimed healthy
        (MIA, {"min_excess": 370 * UNIT}, None),  # control: exactly its excess
        (MIA, {"min_excess": 370 * UNIT + 1}, "attest/excess"),  # 10^-8 more
        (ALICE, {"min_excess": 1863 * UNIT}, None),
    ],
)
def test_attestation_circuit_holds_exactly_when_the_claim_does(
    attestation_compiled, doc, claim, constraint
) -> None:
    market, circuit, cc = attestation_compiled
    account = parse_account(doc, market=market)
    excess, healthy = _excess(market, account)
    assert (excess, healthy) in ((370 * UNIT, False), (1863 * UNIT + UNIT // 2, True))
    inputs, statement = _inputs(market, circuit, account, **claim)
    witness = cc.solve(inputs)
    if constraint is None:
        check(cc.r1cs, witness)
        assert cc.public_values(witness) == [statement.hash()]
    else:
        with pytest.raises(UnsatisfiedConstraint) as err:
            check(cc.r1cs, witness)
        assert err.value.name.startswith(constraint), err.value.name


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"kind": 2}, "attest/kind/boolean"),
        ({"min_excess": 5}, "attest/min_excess_unused"),  # a healthy claim carrying a floor
        ({"account": [3]}, "path/root"),  # another pseudonym for the leaf
        ({"depth_used": 1}, "path/root"),
    ],
)
def test_a_malicious_attestation_witness_fails_naming_the_constraint(
    attestation_compiled, change, constraint
) -> None:
    market, circuit, cc = attestation_compiled
    inputs, _ = _inputs(market, circuit, parse_account(ALICE, market=market))
    check(cc.r1cs, cc.solve(inputs))  # control
    inputs.update(change)
    with pytest.raises(UnsatisfiedConstraint) as err:
        check(cc.r1cs, cc.solve(inputs))
    assert err.value.name.startswith(constraint), err.value.name


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    qty=st.integers(-300, 300).filter(bool),
    usdt=st.integers(0, 3000),
    floor=st.integers(0, 2000 * UNIT),
)
def test_random_portfolios_attest_exactly_what_the_calculator_says(
    attestation_compiled, qty: int, usdt: int, floor: int
) -> None:
    market, circuit, cc = attestation_compiled
    account = Account("r", {"BTC-PERP": qty * 10**6}, {"USDT": usdt * UNIT})
    excess, healthy = _excess(market, account)
    for claim, holds in (({}, healthy), ({"min_excess": floor}, excess >= floor)):
        witness = cc.solve(_inputs(market, circuit, account, **claim)[0])
        if holds:
            check(cc.r1cs, witness)
        else:
            with pytest.raises(UnsatisfiedConstraint, match="attest/"):
                check(cc.r1cs, witness)


# -- the commands ---------------------------------------------------------------------------------
def _receipt(base: Path, name: str) -> Path:
    return layout.receipt_path(base / "report.private", name)


def _attest(base: Path, name: str, out: Path, *claim: str):
    return run("attest", _receipt(base, name), "--report", base / "report",
               "--keys", base / "attestation-keys", *claim, "--out", out)  # fmt: skip


@pytest.fixture(scope="session")
def attested(health_reports: Path) -> Path:
    """``alice.json`` (healthy) and ``mia-370.json`` (excess at least 370) beside the reports."""
    base = health_reports
    res = _attest(base, "alice", base / "alice.json", "--state", "healthy")
    assert res.exit_code == 0, res.output
    res = _attest(base, "mia", base / "mia-370.json", "--min-excess", "370")
    assert res.exit_code == 0, res.output
    return base


def test_an_attestation_verifies_revealing_the_claim_and_pseudonym_only(attested: Path) -> None:
    base = attested
    doc = json.loads((base / "alice.json").read_text())
    assert doc["account"] == json.loads(_receipt(base, "alice").read_text())["commitment"]
    assert not {"alice", "BTC-PERP", "USDT", "positions", "salt", "secret"} & set(
        json.dumps(doc).replace('"', " ").split()
    )
    res = run("verify-attestation", base / "alice.json", "--report", base / "report")
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"OK: account {doc['account']} is healthy at 2026-11-20")
    res = run("verify-attestation", base / "mia-370.json", "--report", base / "report")
    assert res.exit_code == 0 and "has an excess of at least 370 at" in res.output


@pytest.mark.parametrize(
    ("name", "claim", "problem"),
    [
        ("mia", ("--state", "healthy"), "the account is in margin_call, not healthy"),
        ("mia", ("--min-excess", "370.00000001"), "the account's excess is 370, below the claim"),
        ("alice", ("--min-excess", "1863.50000001"), "excess is 1863.5, below"),
    ],
)
def test_attest_refuses_a_claim_that_does_not_hold(
    attested: Path, tmp_path: Path, name: str, claim: tuple[str, str], problem: str
) -> None:
    out = tmp_path / "a.json"
    res = _attest(attested, name, out, *claim)
    assert res.exit_code == 1 and res.output.count("\n") == 1, res.output
    assert res.output.startswith(f"refused: {name}.json: ") and problem in res.output
    assert not out.exists()


def test_attest_options(attested: Path, tmp_path: Path) -> None:
    res = _attest(attested, "alice", tmp_path / "a.json")
    assert res.exit_code == 2 and "give one of --state healthy and --min-excess" in res.output
    res = _attest(attested, "alice", tmp_path / "a.json", "--min-excess", "-1")
    assert res.exit_code == 2 and res.output.startswith("error: --min-excess: ")


def _rehashed(doc: dict) -> None:
    doc["statement_hash"] = str(AttestationStatement.from_json(doc["statement"]).hash())


def _raise_floor(doc: dict) -> None:
    doc["statement"]["min_excess"] = str(1000 * UNIT)
    doc["min_excess"] = "1000"
    _rehashed(doc)


def _other_account(doc: dict, commitment: str) -> None:
    doc["account"] = doc["statement"]["account"] = commitment
    _rehashed(doc)


def _other_epoch(doc: dict) -> None:
    doc["statement"]["epoch"] = str(int(doc["statement"]["epoch"]) + 3600)
    _rehashed(doc)


def test_an_edited_or_replayed_attestation_is_refused(attested: Path, tmp_path: Path) -> None:
    base = attested
    ned = json.loads(_receipt(base, "ned").read_text())["commitment"]
    cases = [
        (_raise_floor, "report", "the proof does not verify"),  # more excess than it has
        (lambda d: _other_account(d, ned), "report", "the proof does not verify"),
        (lambda d: d.update(min_excess="1000"), "report", "claim or min_excess"),
        (_other_epoch, "report", "statement.epoch is not the report's"),
        (lambda d: None, "other", "statement.root is not the report's"),  # another report
    ]
    for change, report, problem in cases:
        doc = json.loads((base / "mia-370.json").read_text())
        change(doc)
        path = tmp_path / "mia-370.json"
        path.write_text(json.dumps(doc))
        res = run("verify-attestation", path, "--report", base / report)
        assert res.exit_code == 1, (problem, res.output)
        assert res.output.startswith("invalid: mia-370.json: ") and problem in res.output


def test_a_forged_attestation_witness_yields_no_verifying_proof(
    attested: Path, attestation_compiled
) -> None:
    market, circuit, cc = attestation_compiled
    keys = load_keys(attested / "attestation-keys")
    vk = vk_from_json(json.loads((attested / "alice.json").read_text())["verification_key"])
    mia = parse_account(MIA, market=market)
    honest, _ = _inputs(market, circuit, mia, min_excess=370 * UNIT)
    proof, public = prove(keys.zkey, cc.solve(honest), random.Random(1))
    assert verify(vk, public, proof)  # control
    forged, _ = _inputs(market, circuit, mia, min_excess=371 * UNIT)  # one unit too many
    proof, public = prove(keys.zkey, cc.solve(forged), random.Random(1))
    assert not verify(vk, public, proof)
