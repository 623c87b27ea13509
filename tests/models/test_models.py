"""Each model circuit computes the reference calculator's exact figures, and proves them.

Collateral values, requirements and totals must equal ``zkmargin.margin.calculate`` (exact
mode) to the unit, on worked examples and on random portfolios; an account below its buffered
requirement makes the honest witness fail exactly at ``account[i]/margin/covered``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from batch_cases import WORKED, acct, assert_agrees, first_failure, prove_figures
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.margin import Account, calculate, example_paths, load_market, read_accounts
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE

MODELS = [
    ("collateral", "collateral"),
    ("cross", "cross"),
    ("cross", "cross_initial"),
    ("cross", "cross_wide"),
    ("scenario", "scenario"),
    ("scenario", "scenario_initial"),
    ("greeks", "greeks"),
]


@pytest.mark.parametrize("model,key", MODELS)
def test_worked_examples_match_reference(compiled, model, key):
    assert assert_agrees(compiled, model, key, WORKED[model], 2) is None


def test_documented_cross_example(compiled):
    """docs/formats.md / calculator doctest: 1 BTC-PERP at 20000, 0.5 % → requirement 100."""
    doc = acct("u1", {"BTC-PERP": "1"}, {"USDT": "150"})
    circuit, cc, _, witness, _ = prove_figures(compiled, "cross", "cross", [doc], 1)
    assert circuit.figures(witness) == [(150 * MONEY_SCALE, 100 * MONEY_SCALE)]
    assert first_failure(cc, witness) is None


POOR = {
    "cross": acct("poor", {"BTC-PERP": "-30"}, {"USDT": "100"}),
    "scenario": acct("poor", {"BTC-C": "-40", "ETH-FUT": "10"}, {"USDT": "1000"}),
    "greeks": acct("poor", {"BTC-P": "-25"}, {"BTC": "0.01"}),
}


@pytest.mark.parametrize("model", sorted(POOR))
def test_under_margined_fails_at_the_margin_constraint(compiled, model):
    ok = WORKED[model][1]
    assert assert_agrees(compiled, model, model, [ok, POOR[model]], 2) == (
        "account[1]/margin/covered/recompose"
    )


def test_buffer_is_enforced_exactly_at_its_edge(compiled):
    """1 BTC-PERP at 20000 with MMR 0.5 % is 100; buffer 10 % needs exactly 110."""
    for usdt, fine in (("110", True), ("109.99999999", False)):
        a = acct("edge", {"BTC-PERP": "1"}, {"USDT": usdt})
        _, cc, _, witness, _ = prove_figures(compiled, "cross", "cross", [a], 1)
        expected = None if fine else "account[0]/margin/covered/recompose"
        assert first_failure(cc, witness) == expected


def positions_for(instruments: Sequence[str]):
    amount = st.integers(-40 * QTY_SCALE, 40 * QTY_SCALE)
    return st.dictionaries(st.sampled_from(list(instruments)), amount, max_size=len(instruments))


balances = st.dictionaries(
    st.sampled_from(["USDT", "BTC"]), st.integers(0, 10**6 * QTY_SCALE), max_size=2
)


@pytest.mark.parametrize("model,key", MODELS)
@settings(max_examples=6)
@given(data=st.data())
def test_random_portfolios_match_reference(compiled, model, key, data):
    _, _, market = compiled(model, key, 2)
    n = data.draw(st.integers(1, 2), label="accounts")
    accounts = [
        Account(
            f"r{i}",
            data.draw(positions_for(market.instrument_names), label="positions"),
            data.draw(balances, label="balances"),
        )
        for i in range(n)
    ]
    assert_agrees(compiled, model, key, accounts, 2)


@pytest.mark.slow
def test_bundled_example_snapshot():
    """The shipped example (scenario model, crypto grid, 23 instruments): first accounts."""
    market_path, accounts_path = example_paths()
    market = load_market(market_path)
    accounts = list(read_accounts(accounts_path, market))[:2]
    from zkmargin.batch import load_model_circuit
    from zkmargin.dsl import compile_circuit

    cls = load_model_circuit(market.model.name)
    circuit = cls(market, 2, instruments=64)  # a Merkle path per slot (32 would scan)
    cc = compile_circuit(circuit)
    inputs, statement = cls.witness_inputs(
        market, accounts, [3, 4], 0, 1_763_625_600, shape=circuit.shape
    )
    witness = cc.solve(inputs)
    assert first_failure(cc, witness) is None
    result = calculate(market, accounts)
    assert circuit.figures(witness) == [
        (int(c), int(r)) for c, r in zip(result.collateral_value, result.requirement, strict=True)
    ]
    assert cc.public_values(witness) == [statement.hash()]


def test_accounts_outside_the_money_window_are_named(compiled):
    circuit, _, market = compiled("scenario", "scenario", 1)
    whale = Account("whale", {"BTC-PERP": 10**8}, {"BTC": 2**63})  # worth 6·10^15 quote units
    with pytest.raises(
        ValueError, match=r"account whale: [\w ]+ \d+ exceeds the circuit's 72-bit window"
    ):
        type(circuit).witness_inputs(market, [whale], [1], 0, 0)
