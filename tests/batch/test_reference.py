"""The pure-Python encodings: id hashes, leaves, the market vector and instrument table, circuit
ids, statements."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.batch import (
    MAX_ID_BYTES,
    MarketVector,
    Shape,
    Statement,
    account_commitment,
    account_leaf,
    batch_tree,
    circuit_id,
    id_hash,
    load_model_circuit,
    market_vector,
)
from zkmargin.batch.encoding import pack_text
from zkmargin.batch.vector import VECTOR_TAG
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.hash import poseidon_sponge
from zkmargin.margin import Account, example_paths, load_market, parse_market

P = BN254_FR.p


# -- ids ---------------------------------------------------------------------------------------
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_id_hash_is_injective_on_distinct_ids(a, b):
    if len(a.encode()) <= MAX_ID_BYTES and len(b.encode()) <= MAX_ID_BYTES:
        assert (id_hash(a) == id_hash(b)) == (a == b)


@pytest.mark.parametrize(
    "a,b",
    [
        ("a", "a\x00"),  # trailing zero byte: the length tells them apart
        ("x" * 31, "x" * 31 + "\x00"),  # exactly one chunk vs a zero second chunk
        ("\x00a", "a"),  # leading zero byte in a chunk
    ],
)
def test_id_packing_does_not_alias(a, b):
    assert pack_text(a) != pack_text(b)
    assert id_hash(a) != id_hash(b)


def test_id_chunks_fit_the_field_and_the_length_is_bounded():
    packed = pack_text("\xff" * 32)  # 64 UTF-8 bytes: three chunks (31, 31, 2)
    assert packed[0] == MAX_ID_BYTES and len(packed) == 4
    assert all(c < 2**248 < P for c in packed[1:])
    with pytest.raises(ValueError, match=r"1\.\.64"):
        id_hash("x" * (MAX_ID_BYTES + 1))
    with pytest.raises(ValueError):
        id_hash("")


# -- leaves --------------------------------------------------------------------------------------
def test_leaf_binds_every_field():
    slots = [(1, -5), (4, 7)]
    base = (id_hash("u"), 9, slots, [3, 4])
    leaf = account_leaf(*base)
    variants = [
        (id_hash("v"), 9, slots, [3, 4]),
        (base[0], 10, slots, [3, 4]),
        (base[0], 9, [(1, 5), (4, 7)], [3, 4]),  # sign of a position
        (base[0], 9, [(2, -5), (4, 7)], [3, 4]),  # its instrument
        (base[0], 9, [(1, -5), (4, 7), (0, 0)], [3, 4]),  # the number of slots
        (base[0], 9, [(1, -5), (4, 7), (3, 4)], []),  # values moved between sections
        (base[0], 9, slots, [4, 3]),
    ]
    assert len({leaf, *(account_leaf(*v) for v in variants)}) == 1 + len(variants)


def test_leaf_encodes_signed_quantities_mod_p():
    h = id_hash("u")
    assert account_leaf(h, 1, [(0, -1)], [0]) == account_leaf(h, 1, [(0, P - 1)], [0])
    with pytest.raises(ValueError, match="non-negative"):
        account_leaf(h, 1, [(0, 0)], [-1])


# -- market hash ---------------------------------------------------------------------------------
MARKET = {
    "epoch": "2026-11-20T08:00:00Z",
    "assets": {
        "USDT": {"price": "1"},
        "BTC": {"price": "65000", "haircut": [["0", "0.95"], ["100000", "0.9"]]},
    },
    "underlyings": {
        "BTC": {"price": "20000", "short_option_minimum": "0.01", "price_scan_range": "0.1"}
    },
    "instruments": {
        "BTC-PERP": {
            "kind": "perpetual",
            "underlying": "BTC",
            "brackets": [["0", "0.005", "0.02"], ["50000", "0.01", "0.03"]],
            "risk_array": ["-9", "-7", "-5", "-3", "-1", "1", "3", "5", "7", "9"],
            "add_on": "0.5",
        },
    },
    "model": {"name": "cross", "grid": "finra10", "buffer": "0.1"},
}


def edited(path: list, value) -> dict:
    doc = json.loads(json.dumps(MARKET))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


EDITS = [
    (["assets", "BTC", "price"], "65001"),
    (["assets", "BTC", "haircut", 1, 1], "0.89"),
    (["assets", "BTC", "haircut", 1, 0], "100001"),
    (["instruments", "BTC-PERP", "brackets", 1, 0], "50001"),
    (["instruments", "BTC-PERP", "brackets", 1, 1], "0.011"),
    (["instruments", "BTC-PERP", "brackets", 1, 2], "0.031"),
    (["instruments", "BTC-PERP", "multiplier"], "2"),
    (["underlyings", "BTC", "price"], "20001"),  # the perpetual's mark follows it
    (["model", "buffer"], "0.11"),
    (["model", "level"], "initial"),
]


def vector_hash(doc: dict) -> int:
    m = parse_market(doc)
    return market_vector(m, Shape.infer(m, 1)).hash()


def scenario_root(doc: dict) -> int:
    m = parse_market(doc)
    Scenario = load_model_circuit("scenario")
    return Scenario.market_data(m, Scenario.shape_for(m, 1, instruments=4)).table_root


VECTOR_EDITS = [
    (["assets", "BTC", "price"], "65001"),
    (["assets", "BTC", "haircut", 1, 1], "0.89"),
    (["assets", "BTC", "haircut", 1, 0], "100001"),
    (["model", "buffer"], "0.11"),
    (["model", "initial_factor"], "1.2"),
    (["model", "grace"], "60"),
    (["assets", "USDT", "price"], "0.999"),
]
TABLE_EDITS = [
    (["instruments", "BTC-PERP", "risk_array", 3], "-3.00000001"),
    (["instruments", "BTC-PERP", "add_on"], "0.6"),
    (["underlyings", "BTC", "short_option_minimum"], "0.02"),  # none: a perpetual has no SOM
]


@pytest.mark.parametrize("path,value", VECTOR_EDITS)
def test_market_hash_binds_every_market_level_value(path, value):
    assert vector_hash(edited(path, value)) != vector_hash(MARKET)


@pytest.mark.parametrize("path,value", TABLE_EDITS[:2])
def test_table_root_binds_every_row_value(path, value):
    assert scenario_root(edited(path, value)) != scenario_root(MARKET)
    assert vector_hash(edited(path, value)) == vector_hash(MARKET)


def test_unused_inputs_move_neither_hash():
    path, value = TABLE_EDITS[2]
    assert scenario_root(edited(path, value)) == scenario_root(MARKET)


def test_market_vector_layout_is_documented():
    m = parse_market(MARKET)
    shape = Shape.infer(m, 1).with_params({"assets": 3, "tiers": 3})
    vector = market_vector(m, shape)
    assert vector.hash() == poseidon_sponge([VECTOR_TAG, *vector.values()])
    # buffer, factor, grace, then per asset (3) price + 3 tiers × (floor, ratio); padding last
    assert len(vector.values()) == 3 + 3 * 7
    assert vector.price[2] == 0 and vector.tiers[0][1].floor == 2**72 + 1
    assert vector.with_values(vector.values()) == vector
    with pytest.raises(ValueError, match="more values"):
        vector.with_values([*vector.values(), 0])
    assert MarketVector.from_json(vector.to_json(), "r", shape) == vector


def test_market_values_outside_the_windows_are_refused():
    m = parse_market(MARKET)
    asset = dataclasses.replace(m.assets["BTC"], price=2**64)
    huge = dataclasses.replace(m, assets={**m.assets, "BTC": asset})
    with pytest.raises(ValueError, match=r"price = \d+ outside"):
        market_vector(huge, Shape.infer(m, 1))
    asset = dataclasses.replace(m.assets["BTC"], haircut=((0, 950000), (0, 900000)))
    bad = dataclasses.replace(m, assets={**m.assets, "BTC": asset})
    with pytest.raises(ValueError, match="tier floors must start at 0 and increase"):
        market_vector(bad, Shape.infer(m, 1))
    with pytest.raises(InputError, match=r"vector: market vector tier_ratio = 1000001"):
        doc = market_vector(m, Shape.infer(m, 1)).to_json()
        doc[5] = "1000001"  # USDT's tier ratio
        MarketVector.from_json(doc, "r", Shape.infer(m, 1))


# -- circuit ids and statements ----------------------------------------------------------------
def test_circuit_id_names_model_size_and_shape():
    ids = {
        circuit_id("cross", 4, [1, 2, 3]),
        circuit_id("cros", 4, [1, 2, 3]),
        circuit_id("cross", 5, [1, 2, 3]),
        circuit_id("cross", 4, [1, 2, 4]),
        circuit_id("cross", 4, [1, 2, 3, 0]),
    }
    assert len(ids) == 5


STATEMENT = Statement(11, 44, 22, 33, 55, 1_763_625_600, 100, 64, 10**15, 10**14, (5, 0, 7))


def test_statement_hash_covers_every_field():
    seen = {STATEMENT.hash()}
    fields = ("batch_root", "table_root", "market_hash", "circuit_id", "circuit_digest", "epoch")
    for name in (*fields, "first_index", "count"):
        seen.add(dataclasses.replace(STATEMENT, **{name: getattr(STATEMENT, name) + 1}).hash())
    for name in ("total_collateral", "total_requirement"):
        seen.add(dataclasses.replace(STATEMENT, **{name: getattr(STATEMENT, name) + 1}).hash())
    seen.add(dataclasses.replace(STATEMENT, asset_totals=(5, 0, 8)).hash())
    seen.add(dataclasses.replace(STATEMENT, asset_totals=(5, 0, 7, 0)).hash())
    assert len(seen) == 13


def test_statement_json_round_trip_and_errors():
    doc = STATEMENT.to_json()
    assert all(isinstance(v, str) for k, v in doc.items() if k != "asset_totals")
    assert Statement.from_json(json.loads(json.dumps(doc))) == STATEMENT
    for bad, message in [
        ({**doc, "count": 64}, "count: expected a decimal string"),
        ({**doc, "count": "-1"}, "count: expected a decimal string"),
        ({**doc, "epoch": "01"}, "leading zero"),
        ({**doc, "bogus": "1"}, "unknown field"),
        ({**doc, "extra": "1"}, "extra: expected a list"),
        ({**doc, "extra": []}, "extra: expected a list"),  # absent when empty: one JSON form
        ({**doc, "extra": ["1", "-1"]}, r"extra\[1\]"),
        ({k: v for k, v in doc.items() if k != "batch_root"}, "missing field"),
        ({**doc, "asset_totals": "5"}, "asset_totals"),
        ({**doc, "asset_totals": ["5", "x"]}, r"asset_totals\[1\]"),
    ]:
        with pytest.raises(ValueError, match=message):
            Statement.from_json(bad)
    with pytest.raises(ValueError, match="non-negative"):
        dataclasses.replace(STATEMENT, total_requirement=-1)
    with pytest.raises(ValueError, match="field element"):
        dataclasses.replace(STATEMENT, batch_root=P).hash()


def test_slots_leaf_and_tree_follow_the_market_order():
    market = load_market(example_paths()[0])
    shape = Shape.infer(market, 1)
    account = Account("u", {"ETH-PERP": -5, "BTC-PERP": 7, "BTC-27DEC26": 0}, {"ETH": 3})
    Scenario = load_model_circuit("scenario")
    slots = Scenario.slots_of(market, account, shape)
    eth = market.instrument_names.index("ETH-PERP")
    assert slots == [(0, 7), (eth, -5)] + [(0, 0)] * (shape.slots - 2)
    balances = Scenario.balances_of(market, account, shape)
    assert balances == [0, 0, 0, 3]
    leaf = Scenario.account_leaf(market, account, 9, shape, secret=4)
    assert leaf == account_leaf(account_commitment("u", 4), 9, slots, balances)
    assert leaf != Scenario.account_leaf(market, account, 9, shape, secret=5)  # the pseudonym
    assert account_commitment("u", 4) != id_hash("u")
    tree = batch_tree([1, 2, 3], 5)
    assert tree.depth == 3 and tree.node(0, 4) == 0
    with pytest.raises(ValueError, match="unknown instrument"):
        Scenario.slots_of(market, Account("v", {"NOPE": 1}, {}), shape)
    with pytest.raises(ValueError):
        batch_tree([1, 2], 1)
