"""Rounding only ever works against the prover: probed at the boundary of a state.

A sum of k products is proven with one rescale: the figure is the exact sum rounded against the
account (requirements up, collateral down), which is what the calculator computes. Any quotient
a dishonest prover may pick instead lies on the same side — a requirement at least the
calculator's, a collateral value at most its — so an account can be shown in a worse state
than the calculator's (by a few 10^-8 at a boundary), never a better one. Before, the
calculator rounded each product on its own: its requirement could exceed the exact sum
rounded once by up to k − 1 units, which a prover could drop — this test's first account
is one where it did.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from zkmargin.batch import load_model_circuit
from zkmargin.dsl import compile_circuit
from zkmargin.margin import Account, calculate, parse_market
from zkmargin.margin.arith import EXACT
from zkmargin.margin.fixed import QTY_SCALE
from zkmargin.margin.tables import build_tables
from zkmargin.models.health.calculator import threshold

sys.path.insert(0, str(Path(__file__).parents[1] / "models"))  # the model tests' markets
from batch_cases import first_failure
from circuit_markets import MARKETS

EPOCH = 1_763_625_600
POSITIONS = {"BTC-PERP": 33_333_333, "BTC-C": -77_777_777, "ETH-FUT": 123_456_789}
"""Fractional sizes: their products leave remainders that per-product rounding would add up."""


def _market():
    """The circuit tests' scenario market, its perpetual's losses made fractional (two products
    with remainders in one group), initial margin 1.5 × maintenance (a margin-call band)."""
    doc = copy.deepcopy(MARKETS["scenario"])
    doc["model"]["initial_factor"] = "1.5"
    perp = doc["instruments"]["BTC-PERP"]
    perp["risk_array"] = [f"{x}.37" if x.startswith("-") else f"{x}.61" for x in perp["risk_array"]]
    return parse_market(doc, "scenario.json")


@pytest.fixture(scope="module")
def health_portfolio():
    m = _market()
    circuit = load_model_circuit("health_portfolio")(m, 1)
    return m, circuit, compile_circuit(circuit)


def _solve(circuit, cc, m, account, forge=None):
    """The witness with ``forge`` applied and the public statement restated to match it, so a
    failure is the forged figure's own, not the statement's."""
    inputs, _ = type(circuit).witness_inputs(m, [account], [5], 0, EPOCH, batch_size=1)
    witness = cc.solve(inputs, forge=forge)
    inputs["statement"] = circuit.traced("statement_hash", witness)
    return cc.solve(inputs, forge=forge)


def _edge(m, extra: int = 0) -> Account:
    """The portfolio with USDT exactly at its healthy threshold (plus ``extra`` units)."""
    initial = calculate(m, [Account("edge", POSITIONS, {})]).initial
    usdt = int(threshold(EXACT, initial, m.model.buffer)[0]) + extra  # USDT: price 1, no haircut
    return Account("edge", POSITIONS, {"USDT": usdt})


def test_per_product_rounding_would_have_left_slack(health_portfolio) -> None:
    m, _, _ = health_portfolio
    r = calculate(m, [Account("edge", POSITIONS, {})])
    losses = r.intermediates["losses"][0]
    # The group sums the calculator rounds once; rounding each product would give more.
    per_product = []
    tables = build_tables(m, "scenario")
    names = m.instrument_names
    for g, und in enumerate(tables.underlyings):
        for s in range(losses.shape[1]):
            members = [i for i, n in enumerate(names) if m.instruments[n].underlying == und]
            terms = [
                POSITIONS.get(names[i], 0) * int(tables.own_rows(exact=True)[i, s]) for i in members
            ]
            per_product.append((sum(-(-t // QTY_SCALE) for t in terms), int(losses[g, s])))
    assert all(each >= once for each, once in per_product)
    assert any(each > once for each, once in per_product)


def test_boundary_states_are_the_calculators(health_portfolio) -> None:
    m, circuit, cc = health_portfolio
    for extra, state in ((0, "healthy"), (-1, "margin_call")):
        account = _edge(m, extra)
        assert calculate(m, [account]).account(0).health == state
        witness = _solve(circuit, cc, m, account)
        assert first_failure(cc, witness) is None
        _, statement = type(circuit).witness_inputs(m, [account], [5], 0, EPOCH, batch_size=1)
        assert statement.extra[:3] == ((1, 0, 0) if state == "healthy" else (0, 1, 0))


def _requirement_hints(cc) -> list[int]:
    names = cc.r1cs.wire_names
    return [
        i
        for i, n in enumerate(names)
        if n.startswith("account[0]/requirement/")
        and (n.endswith("/quotient") or "/scan/worst[" in n)
    ]


def test_no_rounding_hint_can_lift_a_margin_call_to_healthy(health_portfolio) -> None:
    m, circuit, cc = health_portfolio
    account = _edge(m, -1)  # one unit short of healthy: a margin call
    honest = _solve(circuit, cc, m, account)
    hints = _requirement_hints(cc)
    assert len(hints) > 10
    for wire in hints:
        failure = first_failure(cc, _solve(circuit, cc, m, account, {wire: honest[wire] - 1}))
        assert failure is not None, cc.r1cs.wire_names[wire]
    # the worst scenario and the maximum lowered together: the rescale itself refuses
    names = cc.r1cs.wire_names
    worst = names.index("account[0]/requirement/group[0]/scan/worst[0]")
    attained = next(
        i for i in hints if "/scan/worst[" in names[i] and i != worst and honest[i] == honest[worst]
    )
    both = {worst: honest[worst] - 1, attained: honest[attained] - 1}
    failure = first_failure(cc, _solve(circuit, cc, m, account, both))
    assert failure is not None and "/scan/remainder[" in failure


def test_rounding_slack_only_makes_the_state_worse(health_portfolio) -> None:
    m, circuit, cc = health_portfolio
    account = _edge(m)  # exactly healthy
    honest = _solve(circuit, cc, m, account)
    names = cc.r1cs.wire_names
    healthy = names.index("account[0]/health/healthy")
    shown = []
    for g in (0, 1):
        scan = f"account[0]/requirement/group[{g}]/scan/worst["
        worst = names.index(f"{scan}0]")
        attained = next(
            i for i, n in enumerate(names)
            if n.startswith(scan) and i != worst and honest[i] == honest[worst]
        )  # fmt: skip
        raised = {worst: honest[worst] + 1, attained: honest[worst] + 1}
        witness = _solve(circuit, cc, m, account, raised)
        assert first_failure(cc, witness) is None  # inside the one-sided slack: accepted...
        shown.append(witness[healthy])
    assert honest[healthy] == 1 and 0 in shown  # ...and never better: here, worse
