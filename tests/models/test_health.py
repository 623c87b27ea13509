"""The health circuit: every account's state as the calculator defines it, counted in public.

Cross market of ``circuit_markets`` (BTC-PERP 0.5 %/2 % up to 50,000 notional; buffer 10 %): long
1 BTC at 20,000 has MM 100, IM 400, thresholds 110 and 440.
"""

from __future__ import annotations

import dataclasses

import pytest
from batch_cases import acct, first_failure
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.margin import Account, calculate
from zkmargin.margin.fixed import QTY_SCALE

EPOCH = 1_763_625_600
NAMES = ("healthy", "margin_call", "liquidation", "shortfall")


def prove(compiled, key, accounts, size=None, circuit_name="health"):
    size = size or len(accounts)
    circuit, cc, m = compiled(circuit_name, key, size)
    salts = [21 + i for i in range(len(accounts))]
    inputs, statement = type(circuit).witness_inputs(
        m, accounts, salts, first_index=0, epoch=EPOCH, batch_size=size
    )
    return circuit, cc, m, inputs, statement, cc.solve(inputs)


def reference_extra(m, accounts):
    """Counts and liquidation shortfall from the calculator, computed here from its states."""
    r = calculate(m, accounts)
    counts = [sum(h == name for h in (a.health for a in r)) for name in NAMES[:3]]
    buffer = m.model.buffer
    short = sum(
        -(-int(a.maintenance) * (10**6 + buffer) // 10**6) - int(a.collateral_value)
        for a in r
        if a.health == "liquidation"
    )
    return (*counts, short), r


def test_states_at_their_edges(compiled):
    """Exactly at threshold(IM) is healthy, one unit below a margin call; exactly at
    threshold(MM) a margin call, one unit below liquidation (short by that unit)."""
    edge = [
        acct("at_im", {"BTC-PERP": "1"}, {"USDT": "440"}),
        acct("below_im", {"BTC-PERP": "1"}, {"USDT": "439.99999999"}),
        acct("at_mm", {"BTC-PERP": "1"}, {"USDT": "110"}),
        acct("below_mm", {"BTC-PERP": "1"}, {"USDT": "109.99999999"}),
    ]
    circuit, cc, m, _, statement, witness = prove(compiled, "cross", edge)
    assert first_failure(cc, witness) is None  # under-margined accounts are proven, not refused
    assert statement.extra == (1, 2, 1, 1)
    extra, result = reference_extra(m, edge)
    assert [a.health for a in result] == ["healthy", "margin_call", "margin_call", "liquidation"]
    assert statement.extra == extra
    assert type(circuit).shortfalls(m, edge) == [0] * 4
    assert circuit.figures(witness) == [(int(a.collateral_value), 10**10) for a in result]


def test_padding_is_in_no_state(compiled):
    accounts = [acct("poor", {"BTC-PERP": "-30"}, {"USDT": "100"})]
    _, cc, m, _, statement, witness = prove(compiled, "cross", accounts, size=2)
    assert first_failure(cc, witness) is None
    assert statement.extra[:3] == (0, 0, 1) and statement.count == 1
    assert statement.extra == reference_extra(m, accounts)[0]


def test_initial_level_market(compiled):
    """The states read both levels whatever the market's level; the requirement total is at
    the market's level."""
    accounts = [acct("a", {"BTC-PERP": "1", "ETH-PERP": "-4"}, {"USDT": "300"})]
    circuit, cc, m, _, statement, witness = prove(compiled, "cross_initial", accounts)
    extra, result = reference_extra(m, accounts)
    assert statement.extra == extra and first_failure(cc, witness) is None
    assert circuit.figures(witness) == [(int(result.collateral_value[0]), int(result.initial[0]))]


@st.composite
def portfolios(draw):
    out = []
    for i in range(draw(st.integers(1, 2))):
        positions = draw(
            st.dictionaries(
                st.sampled_from(["BTC-PERP", "ETH-PERP"]),
                st.integers(-40 * QTY_SCALE, 40 * QTY_SCALE),
            )
        )
        collateral = draw(
            st.dictionaries(st.sampled_from(["USDT", "BTC"]), st.integers(0, 2 * 10**4 * QTY_SCALE))
        )
        out.append(Account(f"r{i}", positions, collateral))
    return out


@pytest.mark.parametrize("key", ["cross", "cross_wide"])
@settings(max_examples=10, deadline=None)
@given(accounts=portfolios())
def test_random_portfolios_states_match_the_calculator(compiled, key, accounts):
    circuit, cc, m, _, statement, witness = prove(compiled, key, accounts, size=2)
    assert first_failure(cc, witness) is None
    extra, result = reference_extra(m, accounts)
    assert statement.extra == extra
    assert sum(extra[:3]) == len(accounts)
    assert circuit.figures(witness)[: len(accounts)] == [
        (int(c), int(r)) for c, r in zip(result.collateral_value, result.requirement, strict=True)
    ]


# -- forgeries -----------------------------------------------------------------------------------
@pytest.fixture
def honest(compiled):
    """One margin-call account (collateral 200 between thresholds 110 and 440), one padding."""
    accounts = [acct("mc", {"BTC-PERP": "1"}, {"USDT": "200"})]
    _, cc, _, inputs, statement, witness = prove(compiled, "cross", accounts, size=2)
    assert first_failure(cc, witness) is None and statement.extra == (0, 1, 0, 0)
    return cc, inputs, statement, witness


def wire(cc, name):
    return cc.r1cs.wire_names.index(name)


def failure_with(cc, inputs, forge=None, **changes):
    return first_failure(cc, cc.solve({**inputs, **changes}, forge=forge))


@pytest.mark.parametrize("field,value", [(0, 1), (1, 0), (2, 1), (3, 1)])
def test_forged_counts_or_shortfall(honest, field, value):
    """Claiming the margin-call account healthy (or anything else) is another statement."""
    cc, inputs, statement, _ = honest
    extra = list(statement.extra)
    extra[field] = value
    lie = dataclasses.replace(statement, extra=tuple(extra))
    assert failure_with(cc, {**inputs, "statement": lie.hash()}) == "statement"


def sign_bit(cc, prefix: str) -> int:
    """The wire of the top (sign) bit of the comparison difference ``prefix``."""
    top = max(
        int(n.rsplit("[", 1)[1].rstrip("]"))
        for n in cc.r1cs.wire_names
        if n.startswith(f"{prefix}/bits[")
    )
    return wire(cc, f"{prefix}/bits[{top}]")


def test_forged_state_flag(honest):
    """Making the account look healthy needs collateral >= threshold(IM): the comparison's
    sign bit cannot be flipped."""
    cc, inputs, _, witness = honest
    prefix = "account[0]/health/initial_met/diff"
    sign = sign_bit(cc, prefix)
    assert failure_with(cc, inputs, forge={sign: 1 - witness[sign]}) == f"{prefix}/recompose"


def test_forged_threshold(honest):
    """A lower threshold(IM) would make the account healthy: its exact rescale refuses it."""
    cc, inputs, _, witness = honest
    q = wire(cc, "account[0]/health/initial_threshold/quotient")
    assert failure_with(cc, inputs, forge={q: witness[q] - 1}).startswith(
        "account[0]/health/initial_threshold/remainder"
    )


def test_forged_collateral_tier(compiled):
    """The collateral value (the haircut tiers' sum, rescaled once) is exact: understating it
    (to show a worse state than the truth) fails too."""
    accounts = [acct("btc", {"BTC-PERP": "1"}, {"BTC": "2.5"})]  # 162,500: tiers 0 and 1
    _, cc, _, inputs, _, witness = prove(compiled, "cross", accounts)
    name = "account[0]/collateral/haircut"
    q = wire(cc, f"{name}/quotient")
    assert witness[q] > 0
    assert failure_with(cc, inputs, forge={q: witness[q] - 1}).startswith(f"{name}/remainder")


def test_forged_requirement_charge(honest):
    cc, inputs, _, witness = honest
    q = wire(cc, "account[0]/requirement/initial_charges/quotient")
    for step in (-1, 1):  # exact: neither way
        assert failure_with(cc, inputs, forge={q: witness[q] + step}).startswith(
            "account[0]/requirement/initial_charges/remainder"
        )


@pytest.mark.parametrize("q", [2**63, -(2**63) - 1])
def test_wrapped_quantity(honest, q):
    cc, inputs, _, _ = honest
    positions = [row[:] for row in inputs["slot_quantity"]]
    positions[0][0] = q % cc.r1cs.field.p
    assert failure_with(cc, inputs, slot_quantity=positions) == (
        "account[0]/slot[0]/quantity/signed_range64/recompose"
    )


def test_forged_sibling_leaf(honest):
    """The padded sibling's tree leaf must be the zero leaf."""
    cc, inputs, _, _ = honest
    leaf = wire(cc, "account[1]/leaf/real_or_zero")
    assert failure_with(cc, inputs, forge={leaf: 7}) == "account[1]/leaf/real_or_zero"


def test_forged_count_flag(honest):
    """Counting the padded slot (real[1] = 1) breaks the padding count."""
    cc, inputs, _, _ = honest
    assert failure_with(cc, inputs, forge={wire(cc, "padding/real[1]"): 1}) == "padding/count"


def test_forged_bracket_choice(compiled):
    """Six brackets (hinted index): a cheaper bracket for both levels fails its floor check."""
    whale = acct("w", {"BTC-PERP": "-30"}, {"BTC": "20"})  # notional 600,000: bracket 3
    _, cc, _, inputs, _, witness = prove(compiled, "cross_wide", [whale])
    index = wire(cc, "account[0]/requirement/slot[0]/bracket/index")
    assert first_failure(cc, witness) is None and witness[index] == 3
    assert failure_with(cc, inputs, forge={index: 2}).startswith(
        "account[0]/requirement/slot[0]/bracket/below_next/"
    )


# -- health on a scenario-grid market --------------------------------------------------------------
SCENARIO_ACCOUNTS = [
    acct("hedged", {"BTC-PERP": "2", "BTC-C": "-3", "ETH-FUT": "-4.5"}, {"USDT": "90000"}),
    acct("writer", {"BTC-C": "-10"}, {"BTC": "0.5"}),
    acct("poor", {"BTC-C": "-40", "ETH-FUT": "10"}, {"USDT": "1000"}),
]


@pytest.mark.parametrize("key", ["scenario", "scenario_initial"])
def test_portfolio_health_worked_examples(compiled, key):
    circuit, cc, m, _, statement, witness = prove(
        compiled, key, SCENARIO_ACCOUNTS, size=4, circuit_name="health_portfolio"
    )
    assert first_failure(cc, witness) is None
    extra, result = reference_extra(m, SCENARIO_ACCOUNTS)
    assert statement.extra == extra and extra[2] >= 1  # "poor" is in liquidation
    assert circuit.figures(witness)[:3] == [
        (int(c), int(r)) for c, r in zip(result.collateral_value, result.requirement, strict=True)
    ]


@st.composite
def scenario_portfolios(draw):
    names = ["BTC-PERP", "BTC-C", "ETH-FUT"]
    out = []
    for i in range(draw(st.integers(1, 2))):
        amount = st.integers(-40 * QTY_SCALE, 40 * QTY_SCALE)
        positions = draw(st.dictionaries(st.sampled_from(names), amount))
        collateral = draw(
            st.dictionaries(st.sampled_from(["USDT", "BTC"]), st.integers(0, 10**5 * QTY_SCALE))
        )
        out.append(Account(f"s{i}", positions, collateral))
    return out


@settings(max_examples=6, deadline=None)
@given(accounts=scenario_portfolios())
def test_portfolio_health_random_portfolios(compiled, accounts):
    _, cc, m, _, statement, witness = prove(
        compiled, "scenario", accounts, size=2, circuit_name="health_portfolio"
    )
    assert first_failure(cc, witness) is None
    assert statement.extra == reference_extra(m, accounts)[0]


def test_portfolio_health_forged_state(compiled):
    """The poor account is in liquidation; showing it healthy flips a proven comparison."""
    _, cc, m, inputs, statement, witness = prove(
        compiled, "scenario", SCENARIO_ACCOUNTS[::2], size=2, circuit_name="health_portfolio"
    )
    extra, result = reference_extra(m, SCENARIO_ACCOUNTS[::2])
    assert result.account(1).health == "liquidation" and statement.extra == extra
    prefix = "account[1]/health/initial_met/diff"
    sign = sign_bit(cc, prefix)
    assert failure_with(cc, inputs, forge={sign: 1 - witness[sign]}) == f"{prefix}/recompose"
