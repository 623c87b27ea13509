"""The isolated and health circuits through the whole flow on the tiny market, from the CLI:
setup (cached keys) -> prove -> verify -> verify-inclusion -> snarkjs on every batch proof.

``isolated`` proves cover per part (each isolated position by its own balance, the cross wallet
the rest); ``health`` proves no cover at all but publishes the accounts per state and the
liquidation shortfall, which the report sums and ``verify`` checks.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from interop import run_tool
from solvency.tiny import BATCH_SIZE, DATA, MARKET

from zkmargin.cli import main
from zkmargin.margin import load_market, parse_account, read_accounts
from zkmargin.margin.fixed import MONEY_SCALE, format_decimal
from zkmargin.solvency import Invalid, layout, shortfalls, verify_report
from zkmargin.solvency.batch_model import batch_model

ACCOUNTS = {
    "isolated": DATA / "isolated_accounts.jsonl",
    "health": DATA / "health_accounts.jsonl",
}
COVER = "meets its maintenance margin plus a 5% buffer under the cross model"
SHORT_ON_ISOLATED = {
    "id": "quinn",
    "positions": {"BTC-PERP": "0.5"},
    "collateral": {"USDT": "100000"},
    "isolated": {"BTC-PERP": "100"},
}
"""Plenty in the cross wallet, too little on the isolated position's own balance."""


@dataclass(frozen=True)
class Flow:
    circuit: str
    keys: Path
    report: Path
    prove_output: str


def _money(x: int) -> str:
    return format_decimal(x, MONEY_SCALE)


def _accounts(circuit: str):
    market = load_market(MARKET)
    return market, list(read_accounts(ACCOUNTS[circuit], market))


def _expected_extra(circuit: str) -> dict[str, int]:
    """The model's own totals as the reference calculator states them (one batch of all)."""
    market, accounts = _accounts(circuit)
    cls = batch_model(circuit, market, BATCH_SIZE).cls
    if not cls.statement_extra_names:
        return {}
    _, _, result = cls.reference_figures(market, accounts)
    values = cls.statement_extra(market, accounts, result)
    return dict(zip(cls.statement_extra_names, values, strict=True))


def _cli(*args: object) -> tuple[int, str]:
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.fixture(scope="module")
def proven_flows(circuit_keys, tmp_path_factory):
    """``proven_flows(circuit)``: the circuit's accounts proven once from the CLI (seeded)."""
    done: dict[str, Flow] = {}

    def flow(circuit: str) -> Flow:
        if circuit not in done:
            keys = circuit_keys(circuit)
            report = tmp_path_factory.mktemp(circuit) / "report"
            code, out = _cli(
                "prove", ACCOUNTS[circuit], "--market", MARKET, "--keys", keys, "--out", report,
                "--seed", 7, "--quiet",
            )  # fmt: skip
            assert code == 0, out
            done[circuit] = Flow(circuit, keys, report, out)
        return done[circuit]

    return flow


@pytest.fixture(params=sorted(ACCOUNTS))
def flow(request, proven_flows) -> Flow:
    return proven_flows(request.param)


@pytest.fixture
def health_flow(proven_flows) -> Flow:
    return proven_flows("health")


@pytest.fixture
def isolated_flow(proven_flows) -> Flow:
    return proven_flows("isolated")


def test_prove_states_what_the_model_proves(flow: Flow) -> None:
    _, accounts = _accounts(flow.circuit)
    n = len(accounts)
    assert f"proved {n} accounts in {-(-n // BATCH_SIZE)} batches of {BATCH_SIZE}" in (
        flow.prove_output
    )
    extra = _expected_extra(flow.circuit)
    if flow.circuit == "health":
        assert COVER not in flow.prove_output
        assert (
            f"health: {extra['healthy']} healthy, {extra['margin_call']} in margin call, "
            f"{extra['liquidation']} in liquidation (shortfall {_money(extra['shortfall'])})"
        ) in flow.prove_output
    else:
        assert COVER in flow.prove_output


def test_report_sums_the_models_totals(flow: Flow) -> None:
    extra = _expected_extra(flow.circuit)
    doc = json.loads((flow.report / layout.REPORT).read_text())
    if extra:
        assert doc["totals"]["extra"] == {k: str(v) for k, v in extra.items()}
        # the per-state counts cover every real account once
        assert sum(extra[k] for k in ("healthy", "margin_call", "liquidation")) == len(
            _accounts(flow.circuit)[1]
        )
    else:
        assert "extra" not in doc["totals"]
    assert dict(verify_report(flow.report).report.totals.extra) == extra


def test_verify_cli(flow: Flow) -> None:
    code, out = _cli("verify", flow.report)
    assert code == 0, out
    assert out.startswith("OK: ")
    extra = _expected_extra(flow.circuit)
    if flow.circuit == "health":
        assert COVER not in out
        assert f"{extra['liquidation']} in liquidation" in out
        assert f"shortfall {_money(extra['shortfall'])}" in out
    else:
        assert COVER in out


def test_receipts_verify_inclusion(flow: Flow) -> None:
    _, accounts = _accounts(flow.circuit)
    # one account in each batch (each check costs a pairing)
    for index in range(0, len(accounts), BATCH_SIZE):
        account = accounts[index]
        receipt = layout.receipt_path(layout.private_dir(flow.report), account.id)
        doc = json.loads(receipt.read_text())
        if account.isolated:
            assert set(doc["account"]["isolated"]) == set(account.isolated)
        code, out = _cli("verify-inclusion", receipt, "--report", flow.report)
        assert code == 0, out
        assert out.startswith(f"OK: account {account.id} ")
        for name, balance in account.isolated.items():  # committed, so shown
            assert f"isolated {name} {_money(balance)}" in out
        if flow.circuit == "health":
            assert "meets its" not in out and "counted in" in out
        else:
            assert "meets its maintenance margin" in out


def test_verify_inclusion_refuses_a_changed_isolated_balance(
    isolated_flow: Flow, tmp_path: Path
) -> None:
    flow = isolated_flow
    _, accounts = _accounts(flow.circuit)
    account = next(a for a in accounts if a.isolated)
    doc = json.loads(layout.receipt_path(layout.private_dir(flow.report), account.id).read_text())
    name = next(iter(doc["account"]["isolated"]))
    doc["account"]["isolated"][name] = "1000000"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc))
    code, out = _cli("verify-inclusion", forged, "--report", flow.report)
    assert code == 1
    assert "leaf does not match the account data" in out


@pytest.mark.interop
def test_snarkjs_verifies_every_batch_proof(flow: Flow, snarkjs: str) -> None:
    batches = json.loads((flow.report / layout.REPORT).read_text())["batches"]
    assert len(batches) > 1
    for n in range(len(batches)):
        folder = layout.batch_dir(flow.report, n)
        out = run_tool(
            snarkjs, "groth16", "verify", str(flow.report / layout.VKEY),
            str(folder / layout.PUBLIC), str(folder / layout.PROOF),
        )  # fmt: skip
        assert "OK" in out.stdout


def _tampered(flow: Flow, tmp_path: Path, change) -> Path:
    report = Path(shutil.copytree(flow.report, tmp_path / "report"))
    doc = json.loads((report / layout.REPORT).read_text())
    change(doc)
    (report / layout.REPORT).write_text(json.dumps(doc))
    return report


def test_tampered_model_total_is_named(health_flow: Flow, tmp_path: Path) -> None:

    def change(doc) -> None:
        extra = doc["totals"]["extra"]
        extra["liquidation"] = str(int(extra["liquidation"]) - 1)
        extra["healthy"] = str(int(extra["healthy"]) + 1)  # the count still adds up

    report = _tampered(health_flow, tmp_path, change)
    with pytest.raises(Invalid, match=r"totals\.extra\.healthy \d+ is not the sum"):
        verify_report(report)
    code, out = _cli("verify", report)
    assert code == 1 and "invalid: report.json: totals.extra.healthy" in out


def test_dropped_model_totals_are_named(health_flow: Flow, tmp_path: Path) -> None:
    report = _tampered(health_flow, tmp_path, lambda doc: doc["totals"].pop("extra"))
    with pytest.raises(Invalid, match=r"totals\.extra: .*healthy, margin_call"):
        verify_report(report)


def test_relabelled_model_totals_are_named(health_flow: Flow, tmp_path: Path) -> None:
    # Labels swapped with their values: every sum still matches its position, but a reader
    # would take liquidations for healthy accounts. The circuit's own names decide.

    def change(doc) -> None:
        extra = doc["totals"]["extra"]
        doc["totals"]["extra"] = {
            "liquidation": extra["healthy"],
            "margin_call": extra["margin_call"],
            "healthy": extra["liquidation"],
            "shortfall": extra["shortfall"],
        }

    report = _tampered(health_flow, tmp_path, change)
    with pytest.raises(Invalid, match=r"totals\.extra: circuit health states healthy, margin_ca"):
        verify_report(report)


def test_model_totals_added_to_a_circuit_without_them_are_named(
    isolated_flow: Flow, tmp_path: Path
) -> None:
    def change(doc) -> None:
        doc["totals"]["extra"] = {"healthy": str(doc["totals"]["accounts"])}

    report = _tampered(isolated_flow, tmp_path, change)
    with pytest.raises(Invalid, match="circuit isolated states no totals of its own"):
        verify_report(report)


def test_tampered_batch_extra_breaks_its_statement_hash(health_flow: Flow, tmp_path: Path) -> None:

    def change(doc) -> None:
        st = doc["batches"][0]["statement"]
        st["extra"][3] = str(int(st["extra"][3]) + 1)
        doc["totals"]["extra"]["shortfall"] = str(int(doc["totals"]["extra"]["shortfall"]) + 1)

    report = _tampered(health_flow, tmp_path, change)
    with pytest.raises(Invalid, match="batch 0: statement_hash is not the hash"):
        verify_report(report)


def test_isolated_short_on_its_part_is_refused(circuit_keys, tmp_path: Path) -> None:
    market = load_market(MARKET)
    quinn = parse_account(SHORT_ON_ISOLATED, market=market)
    model = batch_model("isolated", market, BATCH_SIZE)
    (short,) = model.cls.shortfalls(market, [quinn])
    _, _, totals = model.cls.reference_figures(market, [quinn])
    # the account as a whole covers its requirement: only the isolated part is short
    assert int(totals.collateral_value[0]) > int(totals.requirement[0]) > 0 and short > 0
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(
        ACCOUNTS["isolated"].read_text().splitlines()[0] + "\n" + json.dumps(SHORT_ON_ISOLATED)
    )
    keys = circuit_keys("isolated")
    code, out = _cli(
        "prove", accounts, "--market", MARKET, "--keys", keys, "--out", tmp_path / "report",
    )  # fmt: skip
    assert code == 1
    assert f"error: an account misses its requirement (quinn short by {_money(short)})" in out
    assert "no report written" in out
    assert not (tmp_path / "report").exists()


def test_batch_without_the_circuits_totals_is_named(health_flow: Flow, tmp_path: Path) -> None:
    report = _tampered(
        health_flow, tmp_path, lambda doc: doc["batches"][1]["statement"].pop("extra")
    )
    with pytest.raises(
        Invalid, match=r"batch 1: statement\.extra has 0 entries for the circuit.s 4"
    ):
        verify_report(report)


def test_health_refuses_no_account(health_flow: Flow) -> None:
    # An account in liquidation is not short for the health circuit (it proves states, not
    # cover): prove ran without --allow-shortfall and left nobody out; cross would refuse it.
    market, accounts = _accounts("health")
    health = batch_model("health", market, BATCH_SIZE)
    cross = batch_model("cross", market, BATCH_SIZE)
    assert shortfalls(health, accounts) == []
    assert shortfalls(cross, accounts)  # the same accounts miss their cross requirement
    doc = json.loads((health_flow.report / layout.REPORT).read_text())
    assert doc["excluded"] == [] and doc["totals"]["accounts"] == len(accounts)
    assert int(doc["totals"]["extra"]["liquidation"]) > 0
