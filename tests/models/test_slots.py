"""Sparse accounts over a committed instrument table: every forgery is refused by name.

Each test starts from an honest witness of the scenario circuit (small market, 2 slots) that
satisfies the circuit, changes one thing and asserts the FIRST failing constraint; the honest
control passes beside it. Both lookups: ``merkle`` (a path per slot) and ``scan`` (the whole
table once per batch).
"""

from __future__ import annotations

import pytest
from batch_cases import acct, first_failure
from circuit_markets import market

from zkmargin.batch import InstrumentTable, Shape, account_slots, load_model_circuit
from zkmargin.batch.table import LISTED, Column, row_leaf, verify_row
from zkmargin.dsl import compile_circuit
from zkmargin.field import BN254_FR

P = BN254_FR.p
ALICE = acct("alice", {"BTC-C": "-2", "ETH-FUT": "3"}, {"USDT": "100000"})
CACHE: dict[str, tuple] = {}


def honest_case(lookup: str):
    """(compiled, inputs, shape) for ALICE in a batch of 1 with 2 slots, capacity 8."""
    if lookup not in CACHE:
        Scenario = load_model_circuit("scenario")
        m = market("scenario")
        circuit = Scenario(m, 1, slots=2, instruments=8, lookup=lookup)
        CACHE[lookup] = (Scenario, m, circuit, compile_circuit(circuit))
    Scenario, m, circuit, cc = CACHE[lookup]
    inputs, _ = Scenario.witness_inputs(m, [ALICE], [9], 0, 0, shape=circuit.shape)
    assert first_failure(cc, cc.solve(inputs)) is None  # the control
    return cc, inputs, circuit.shape


@pytest.fixture(params=["merkle", "scan"])
def honest(request):
    return honest_case(request.param)


@pytest.fixture
def merkle():
    return honest_case("merkle")


def with_slots(inputs, slots):
    return {
        **inputs,
        "slot_index": [[j for j, _ in slots]],
        "slot_quantity": [[q % P for _, q in slots]],
    }


def failure(cc, inputs, forge=None):
    return first_failure(cc, cc.solve(inputs, forge=forge))


def test_honest_slots_are_the_sorted_positions(honest):
    _, inputs, _ = honest
    assert inputs["slot_index"] == [[1, 2]]  # BTC-C, ETH-FUT in the market's order
    assert inputs["slot_quantity"] == [[(-2 * 10**8) % P, 3 * 10**8]]


def test_two_slots_on_one_instrument(honest):
    cc, inputs, _ = honest
    split = with_slots(inputs, [(1, -(10**8)), (1, -(10**8))])
    assert failure(cc, split) == "account[0]/slot[1]/increasing/range3/recompose"


def test_indices_not_increasing(honest):
    cc, inputs, _ = honest
    swapped = with_slots(inputs, [(2, 3 * 10**8), (1, -2 * 10**8)])
    assert failure(cc, swapped) == "account[0]/slot[1]/increasing/range3/recompose"


def test_unused_slot_with_a_quantity(honest):
    cc, inputs, _ = honest
    used = cc.r1cs.wire_names.index("account[0]/slot[1]/used[0]")
    inverse = cc.r1cs.wire_names.index("account[0]/slot[1]/used[1]")
    assert failure(cc, inputs, forge={used: 0, inverse: 0}) == (
        "account[0]/slot[1]/unused/quantity"
    )


def test_used_slot_without_a_quantity(honest):
    cc, inputs, _ = honest
    gap = with_slots(inputs, [(1, -2 * 10**8), (0, 0)])
    used = cc.r1cs.wire_names.index("account[0]/slot[1]/used[0]")
    assert failure(cc, gap, forge={used: 1}) == "account[0]/slot[1]/used/nonzero"


def test_used_slot_after_an_unused_one(honest):
    cc, inputs, _ = honest
    late = with_slots(inputs, [(0, 0), (2, 3 * 10**8)])
    assert failure(cc, late) == "account[0]/slot[1]/used_first"


def test_index_beyond_the_capacity(honest):
    cc, inputs, shape = honest
    beyond = with_slots(inputs, [(1, -2 * 10**8), (shape.instruments + 2, 3 * 10**8)])
    assert failure(cc, beyond) == "account[0]/slot[1]/index/recompose"


def test_slot_on_an_unlisted_row(honest):
    """Index 5 is inside the capacity but lists nothing: its row is all zero."""
    cc, inputs, _ = honest
    ghost = with_slots(inputs, [(1, -2 * 10**8), (5, 3 * 10**8)])
    if "rows" in inputs:  # merkle: bring row 5 and its path, which are in the table
        Scenario, m, circuit, _ = CACHE["merkle"]
        table = Scenario.market_data(m, circuit.shape).table
        ghost["rows"] = [[inputs["rows"][0][0], list(table.row(5))]]
        ghost["paths"] = [[inputs["paths"][0][0], [x for lv in table.path(5) for x in lv]]]
    assert failure(cc, ghost) == "account[0]/slot[1]/listed"


def test_row_altered_in_the_scanned_table():
    cc, inputs, _ = honest_case("scan")
    table = [list(r) for r in inputs["table"]]
    table[1][4] += 1  # a risk entry of BTC-C
    assert failure(cc, {**inputs, "table": table}) == "table/root"


def test_row_altered_on_its_path(merkle):
    """The altered row's leaf is not the child its path names; put it there, and the path
    no longer leads to the root."""
    cc, inputs, _ = merkle
    rows = [[list(r) for r in inputs["rows"][0]]]
    rows[0][0][4] += 1
    assert failure(cc, {**inputs, "rows": rows}) == "account[0]/slot[0]/row/level[0]/child"
    paths = [[list(p) for p in inputs["paths"][0]]]
    paths[0][0][1] = row_leaf(rows[0][0])  # BTC-C is child 1 of its node
    assert failure(cc, {**inputs, "rows": rows, "paths": paths}) == "account[0]/slot[0]/row/root"


def test_row_of_another_table(merkle):
    """A row and path from a table with a cheaper BTC-C: not under the committed root."""
    cc, inputs, shape = merkle
    Scenario, m, _, _ = CACHE["merkle"]
    real = Scenario.market_data(m, shape).table
    cheaper = [list(r) for r in real.rows]
    cheaper[1][4:] = [0] * (len(cheaper[1]) - 4)
    other = InstrumentTable(real.columns, cheaper, real.capacity, real.names)
    rows = [[list(other.row(1)), inputs["rows"][0][1]]]
    paths = [[[x for lv in other.path(1) for x in lv], inputs["paths"][0][1]]]
    assert failure(cc, {**inputs, "rows": rows, "paths": paths}) == "account[0]/slot[0]/row/root"


# -- reference side -------------------------------------------------------------------------------
def test_account_slots_refuse_overflow_and_unknown_names():
    index = {"A": 0, "B": 1, "C": 2}
    assert account_slots({"C": 1, "A": -1}, index, 3) == [(0, -1), (2, 1), (0, 0)]
    with pytest.raises(ValueError, match="3 positions, the circuit holds 2"):
        account_slots({"A": 1, "B": 1, "C": 1}, index, 2)
    with pytest.raises(ValueError, match="unknown instrument 'D'"):
        account_slots({"D": 1}, index, 2)


def test_table_paths_bind_every_row_and_refuse_windows():
    cols = [LISTED, Column("x", -5, 5)]
    table = InstrumentTable(cols, [[1, j - 3] for j in range(6)], 16, [f"i{j}" for j in range(6)])
    for j in (0, 5, 6, 15):  # listed and unlisted rows alike
        assert verify_row(table.row(j), j, table.path(j), table.root, 4)
    assert not verify_row((1, 0), 5, table.path(5), table.root, 4)
    with pytest.raises(ValueError, match=r"row 0 \(a\): x = 6 outside \[-5, 5\]"):
        InstrumentTable(cols, [[1, 6]], 16, ["a"])
    with pytest.raises(ValueError, match="17 instruments listed, the table holds 16"):
        InstrumentTable(cols, [[1, 0]] * 17, 16, [str(j) for j in range(17)])


def test_shape_parameters_are_checked():
    shape = Shape(batch_size=2, slots=8, instruments=32, assets=1, tiers=1)
    assert shape.with_params({"instruments": 4096}).lookup == "merkle"
    with pytest.raises(ValueError, match="not a power of two"):
        shape.with_params({"instruments": 100})
    with pytest.raises(ValueError, match="unknown shape parameter 'slot'"):
        shape.with_params({"slot": 3})
