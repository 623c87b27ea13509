"""Malicious witnesses: each forgery fails check() at the constraint that catches it, by name.

Each test starts from an honest witness that satisfies the circuit, changes one thing (an
input, a hinted wire, the public statement) and asserts the FIRST failing constraint.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from batch_cases import acct, first_failure

from zkmargin.batch import InstrumentTable, Statement, circuit_id
from zkmargin.field import BN254_FR

P = BN254_FR.p
ACCOUNTS = [
    acct("alice", {"BTC-PERP": "-2", "ETH-FUT": "3"}, {"BTC": "1", "USDT": "25000"}),
]


@pytest.fixture
def honest(compiled):
    """Scenario margin, batch of 2 holding one account (slot 1 is padding)."""
    circuit, cc, market = compiled("scenario", "scenario", 2)
    inputs, statement = type(circuit).witness_inputs(
        market, ACCOUNTS, [77], 10, 1_763_625_600, batch_size=2
    )
    assert first_failure(cc, cc.solve(inputs)) is None
    return circuit, cc, market, inputs, statement


def wire(cc, name: str) -> int:
    return cc.r1cs.wire_names.index(name)


def failure_with(cc, inputs, forge=None, **changes):
    return first_failure(cc, cc.solve({**inputs, **changes}, forge=forge))


def restated(inputs, statement: Statement, **changes):
    """Inputs whose public statement is ``statement`` with ``changes`` (a self-consistent lie)."""
    return {**inputs, "statement": dataclasses.replace(statement, **changes).hash()}


# -- amounts out of their windows ------------------------------------------------------------
@pytest.mark.parametrize("q", [2**63, -(2**63) - 1, P // 2])
def test_wrapped_quantity_fails_its_signed_range(honest, q):
    _, cc, _, inputs, _ = honest
    quantities = [row[:] for row in inputs["slot_quantity"]]
    quantities[0][1] = q % P
    assert failure_with(cc, inputs, slot_quantity=quantities) == (
        "account[0]/slot[1]/quantity/signed_range64/recompose"
    )


def test_field_minus_one_is_a_short_of_one_contract_unit(honest):
    """p − 1 in a position is −1 (10^-8 contracts) by the signed encoding, in the reference
    leaf as in the circuit: not an aliasing hole — and it changes the leaf, so the old
    statement no longer holds."""
    _, cc, _, inputs, _ = honest
    quantities = [row[:] for row in inputs["slot_quantity"]]
    quantities[0][1] = P - 1
    assert failure_with(cc, inputs, slot_quantity=quantities) == "statement"


@pytest.mark.parametrize("b", [P - 1, 2**64])
def test_negative_or_oversized_balance_fails_its_range(honest, b):
    _, cc, _, inputs, _ = honest
    balances = [row[:] for row in inputs["balances"]]
    balances[0][0] = b
    assert failure_with(cc, inputs, balances=balances) == "account[0]/balance[0]/range64/recompose"


def test_non_boolean_sign_bit(honest):
    _, cc, _, inputs, _ = honest
    bit = wire(cc, "account[0]/slot[0]/quantity/signed_range64/bits[63]")
    assert failure_with(cc, inputs, forge={bit: 2}) == (
        "account[0]/slot[0]/quantity/signed_range64/bit[63]/boolean"
    )


# -- leaves, tree, padding -----------------------------------------------------------------------
def test_forged_leaf_breaks_the_statement(honest):
    _, cc, _, inputs, _ = honest
    assert failure_with(cc, inputs, salt=[78, 0]) == "statement"


def test_forged_tree_leaf_wire(honest):
    _, cc, _, inputs, _ = honest
    leaf = wire(cc, "account[0]/leaf/real_or_zero")
    assert failure_with(cc, inputs, forge={leaf: 12345}) == "account[0]/leaf/real_or_zero"


def test_forged_tree_node(honest):
    _, cc, _, inputs, _ = honest
    node = wire(cc, "tree/level[0]/poseidon/round[0]/sbox[1]/x2")
    assert failure_with(cc, inputs, forge={node: 5}).startswith("tree/level[0]/poseidon/round[0]")


def test_padded_slot_cannot_hold_a_real_account(compiled):
    circuit, cc, market = compiled("scenario", "scenario", 2)
    two = [*ACCOUNTS, acct("hidden", {"BTC-PERP": "5"}, {"USDT": "100000"})]
    inputs, statement = type(circuit).witness_inputs(market, two, [1, 2], 0, 0, batch_size=2)
    # Claim one account: the second must then be a zero account.
    lie = restated(inputs, statement, count=1)
    assert failure_with(cc, lie, count=1) == "account[1]/padding/slot[0]"
    empty = [inputs["slot_quantity"][0], [0] * len(inputs["slot_quantity"][1])]
    indices = [inputs["slot_index"][0], [0] * len(inputs["slot_index"][1])]
    assert (
        failure_with(cc, lie, count=1, slot_quantity=empty, slot_index=indices)
        == "account[1]/padding/balance[0]"
    )


def test_padding_flags_are_boolean_ordered_and_counted(honest):
    _, cc, _, inputs, _ = honest
    real1 = wire(cc, "padding/real[1]")
    real0 = wire(cc, "padding/real[0]")
    assert failure_with(cc, inputs, forge={real1: 2}) == "padding/real[1]/boolean"
    assert failure_with(cc, inputs, forge={real0: 0, real1: 1}) == "padding/real[1]/ordered"
    assert failure_with(cc, inputs, forge={real1: 1}) == "padding/count"


# -- market parameters -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["buffer", "initial_factor", "grace", "price", "tier_ratio"])
def test_market_vector_changed_without_its_hash(honest, kind):
    circuit, cc, _, inputs, _ = honest
    index = circuit.vector_layout.kinds().index(kind)
    values = list(inputs["vector"])
    values[index] = values[index] + 1
    assert failure_with(cc, inputs, vector=values) == "statement"


def test_table_root_of_another_table(honest):
    _, cc, _, inputs, _ = honest
    assert failure_with(cc, inputs, table_root=inputs["table_root"] + 1) == "table/root"


def test_another_shape_or_model_is_another_circuit(honest):
    circuit, cc, _, inputs, statement = honest
    shape = circuit.shape
    for name, other in (("collateral", shape), ("scenario", shape.with_params({"slots": 2}))):
        cid = circuit_id(name, 2, other.encoding())
        assert failure_with(cc, restated(inputs, statement, circuit_id=cid)) == "statement"


# -- figures and totals --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "field", ["total_collateral", "total_requirement", "count", "first_index", "epoch"]
)
def test_statement_off_by_one(honest, field):
    _, cc, _, inputs, statement = honest
    lie = restated(inputs, statement, **{field: getattr(statement, field) + 1})
    assert failure_with(cc, lie) == "statement"


def test_asset_total_off_by_one(honest):
    _, cc, _, inputs, statement = honest
    totals = list(statement.asset_totals)
    totals[0] -= 1
    assert failure_with(cc, restated(inputs, statement, asset_totals=tuple(totals))) == "statement"


# -- cross margin: notionals and brackets ---------------------------------------------------------
@pytest.fixture
def cross_honest(compiled):
    """Cross margin (three brackets: one comparison per floor), batch of 2 holding one account."""
    circuit, cc, market = compiled("cross", "cross", 2)
    alice = acct("alice", {"BTC-PERP": "-3", "ETH-PERP": "3"}, {"BTC": "1", "USDT": "250"})
    inputs, statement = type(circuit).witness_inputs(
        market, [alice], [77], 10, 1_763_625_600, batch_size=2
    )
    assert first_failure(cc, cc.solve(inputs)) is None
    return circuit, cc, market, inputs, statement


def test_notional_rounded_down_is_refused(cross_honest):
    """A smaller notional would pick a cheaper bracket: its exact rescale refuses it."""
    _, cc, _, inputs, _ = cross_honest
    q = wire(cc, "account[0]/requirement/slot[0]/notional/quotient")
    honest_q = cc.solve(inputs)[q]
    assert failure_with(cc, inputs, forge={q: honest_q - 1}).startswith(
        "account[0]/requirement/slot[0]/notional/remainder/"
    )
    assert failure_with(cc, inputs, forge={q: honest_q + 1}).startswith(
        "account[0]/requirement/slot[0]/notional/remainder_lt_divisor/"
    )


def test_bracket_flag_cannot_be_flipped(cross_honest):
    """Short 3 BTC is 60,000 of notional: bracket 1; claiming bracket 0 flips a comparison."""
    _, cc, _, inputs, _ = cross_honest
    prefix = "account[0]/requirement/slot[0]/bracket_above[1]/diff"
    bits = [n for n in cc.r1cs.wire_names if n.startswith(f"{prefix}/bits[")]
    sign = wire(cc, max(bits, key=lambda n: int(n[len(prefix) + 6 : -1])))
    value = cc.solve(inputs)[sign]
    assert value == 1  # the notional is at least the floor
    assert failure_with(cc, inputs, forge={sign: 1 - value}) == f"{prefix}/recompose"


def test_a_position_split_over_two_slots_is_refused(compiled):
    """−3 BTC (60,000: bracket 1, 1 % less 250: 350) as two slots of −1.5 (30,000 each:
    bracket 0, 0.5 %: 2 × 150) would lower its requirement; two slots on one instrument fail
    the slot order."""
    circuit, cc, market = compiled("cross", "cross", 1)
    short = acct("s", {"BTC-PERP": "-3"}, {"USDT": "1000"})
    inputs, _ = type(circuit).witness_inputs(market, [short], [5], 0, 0)
    half = (-15 * 10**7) % P
    split = {**inputs, "slot_index": [[0, 0]], "slot_quantity": [[half, half]]}
    honest, witness = cc.solve(inputs), cc.solve(split)
    assert first_failure(cc, honest) is None
    figures = [circuit.figures(w)[0][1] // 10**8 for w in (honest, witness)]
    assert figures == [350, 300]  # the dodge ...
    assert first_failure(cc, witness).startswith("account[0]/slot[1]/increasing/")  # refused


def test_one_bracket_shape_proves_markets_with_fewer_brackets(compiled):
    """The cross_wide keys (6 brackets) prove the 3-bracket cross market (its rows padded);
    a market with more brackets than the keys hold is refused with one line."""
    from circuit_markets import market

    from zkmargin.batch import check_market_fits
    from zkmargin.errors import InputError

    circuit, cc, _ = compiled("cross", "cross_wide", 1)
    fewer = market("cross")
    a = acct("w", {"BTC-PERP": "-30", "ETH-PERP": "12.5"}, {"BTC": "20"})
    inputs, _ = type(circuit).witness_inputs(fewer, [a], [3], 0, 0, shape=circuit.shape)
    witness = cc.solve(inputs)
    assert first_failure(cc, witness) is None
    reference = type(circuit).reference_figures(fewer, [a])
    assert circuit.figures(witness) == [(reference[0][0], reference[1][0])]
    assert type(circuit).shape_for(fewer, 1).brackets == 3
    narrow = type(circuit).shape_for(fewer, 1, brackets=3)
    with pytest.raises(InputError) as err:
        check_market_fits(market("cross_wide"), narrow)
    assert str(err.value) == (
        "cross_wide.json: instruments.BTC-PERP.brackets: 6 brackets, the keys hold 3"
    )


@pytest.mark.parametrize("rows", [[0, 1, 1], [0, 2, 1]])
def test_bracket_floors_must_increase_in_the_table(compiled, rows):
    """A table whose floors do not increase is refused when built (and read back): the
    bracket comparisons rely on it."""
    circuit, _, market = compiled("cross", "cross", 1)
    data = type(circuit).market_data(market, circuit.shape)
    floors = [data.table.columns.index(c) for c in data.table.columns if c.name.startswith("floor")]
    row = list(data.table.row(0))
    for col, f in zip(floors, rows, strict=True):
        row[col] = f
    with pytest.raises(ValueError, match=r"floor\[2\] = 1 must exceed floor\[1\]"):
        InstrumentTable(data.table.columns, [row], data.table.capacity, ["x"])
    good = [*row]
    good[floors[2]] = 3
    assert InstrumentTable(data.table.columns, [good], data.table.capacity, ["x"]).root


def test_collateral_above_its_value_is_refused(honest):
    _, cc, _, inputs, _ = honest
    q = wire(cc, "account[0]/collateral/haircut/quotient")
    honest_q = cc.solve(inputs)[q]
    assert failure_with(cc, inputs, forge={q: honest_q + 1}).startswith(
        "account[0]/collateral/haircut/remainder/"
    )


# -- the scenario maximum ------------------------------------------------------------------------
@pytest.fixture
def scenario_honest(compiled):
    circuit, cc, market = compiled("scenario", "scenario", 1)
    a = acct("s", {"BTC-PERP": "1", "BTC-C": "-2", "ETH-FUT": "3"}, {"USDT": "100000"})
    inputs, _ = type(circuit).witness_inputs(market, [a], [5], 0, 0)
    witness = cc.solve(inputs)
    assert first_failure(cc, witness) is None
    return cc, inputs, witness


def test_worst_scenario_understated(scenario_honest):
    cc, inputs, witness = scenario_honest
    m = wire(cc, "account[0]/requirement/group[0]/scan/worst[0]")
    assert witness[m] > 0
    failure = failure_with(cc, inputs, forge={m: witness[m] - 1})
    assert failure.startswith("account[0]/requirement/group[0]/scan/gap[")


def test_worst_scenario_overstated_is_not_attained(scenario_honest):
    cc, inputs, witness = scenario_honest
    m = wire(cc, "account[0]/requirement/group[0]/scan/worst[0]")
    assert failure_with(cc, inputs, forge={m: witness[m] + 1}) == (
        "account[0]/requirement/group[0]/scan/attained"
    )


def test_scenario_loss_understated(scenario_honest):
    cc, inputs, witness = scenario_honest
    loss = wire(cc, "account[0]/requirement/group[0]/scan/worst[3]")
    failure = failure_with(cc, inputs, forge={loss: witness[loss] - 1})
    assert re.fullmatch(
        r"account\[0\]/requirement/group\[0\]/scan/remainder\[2\]/range\d+/recompose", failure
    )


# -- a bracket index named by the prover ---------------------------------------------------------
@pytest.mark.parametrize("step", [-1, 1, 2, 4])
def test_forged_bracket_index_is_refused(compiled, step):
    """6 brackets use a hinted index: a cheaper bracket, a dearer one, or one past the table
    (the power-of-two padding) fails one of the two floor comparisons."""
    circuit, cc, market = compiled("cross", "cross_wide", 1)
    whale = acct("w", {"BTC-PERP": "-30"}, {"BTC": "20"})  # notional 600,000: bracket 3
    inputs, _ = type(circuit).witness_inputs(market, [whale], [3], 0, 0)
    index = wire(cc, "account[0]/requirement/slot[0]/bracket/index")
    honest = cc.solve(inputs)
    assert first_failure(cc, honest) is None and honest[index] == 3
    failure = failure_with(cc, inputs, forge={index: 3 + step})
    expected = "below_next" if step < 0 else "at_least_floor"
    assert failure.startswith(f"account[0]/requirement/slot[0]/bracket/{expected}/")


@pytest.mark.parametrize("index", [2, 4, 5])
def test_padded_brackets_are_never_selected(compiled, index):
    """ETH-PERP lists 2 of the shape's 6 brackets; its padding (floors 2^72 + b, above every
    notional) cannot be named, even for the largest notional the circuit admits."""
    circuit, cc, market = compiled("cross", "cross_wide", 1)
    assert circuit.shape.brackets == 6 and len(market.instruments["ETH-PERP"].brackets) == 2
    a = acct("e", {"ETH-PERP": "5000"}, {"BTC": "20"})  # 1,500,000: ETH's last bracket (1)
    inputs, _ = type(circuit).witness_inputs(market, [a], [3], 0, 0)
    wire_index = wire(cc, "account[0]/requirement/slot[0]/bracket/index")
    honest = cc.solve(inputs)
    assert first_failure(cc, honest) is None and honest[wire_index] == 1
    failure = failure_with(cc, inputs, forge={wire_index: index})
    assert failure.startswith("account[0]/requirement/slot[0]/bracket/at_least_floor/")


# -- greeks and the scenario charges ------------------------------------------------------------
@pytest.mark.parametrize(
    "quotient,direction",
    [
        ("group[0]/delta_down/quotient", 1),  # −Σ floor(q·d) understated
        ("group[0]/delta_up/quotient", -1),
        ("group[0]/vega_up/quotient", -1),
        ("group[0]/gamma_up/quotient", -1),
        ("group[0]/som/quotient", -1),
        ("group[0]/add_on/quotient", -1),
        ("initial/quotient", -1),  # the initial factor's exact rescale
    ],
)
def test_greeks_charges_cannot_pass_their_exact_value(compiled, quotient, direction):
    """A sum of k rounded terms may sit up to k units from the exact value (honest per-term
    rounding); shifting it by k in the prover's favour always crosses the exact value."""
    circuit, cc, market = compiled("greeks", "greeks", 1)
    a = acct("g", {"BTC-PERP": "-1.3", "BTC-C": "2.7", "BTC-P": "-3.1"}, {"USDT": "90000"})
    inputs, _ = type(circuit).witness_inputs(market, [a], [4], 0, 0)
    q = wire(cc, f"account[0]/requirement/{quotient}")
    honest = cc.solve(inputs)
    assert first_failure(cc, honest) is None
    k = 1 if quotient.startswith("initial") else len(market.instruments)
    failure = failure_with(cc, inputs, forge={q: honest[q] + direction * k})
    prefix = f"account[0]/requirement/{quotient.rsplit('/', 1)[0]}/remainder"
    assert failure.startswith(prefix)
