"""The models one by one: collateral tiers, cross brackets, scenario SOM/add-ons, Greeks, health."""

from __future__ import annotations

import numpy as np
import pytest

from zkmargin.errors import InputError
from zkmargin.margin import Account, build_tables, calculate, parse_market
from zkmargin.margin.arith import EXACT
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE, RATE_SCALE, mul_ceil
from zkmargin.models.health.calculator import HEALTH_NAMES, health, threshold

ONE = QTY_SCALE
USD = MONEY_SCALE


def _futures_only(doc):
    doc["instruments"] = {k: v for k, v in doc["instruments"].items() if k == "BTC-PERP"}
    return doc


def _one(market, positions, collateral=None, **kw):
    return calculate(market, [Account("u", positions, collateral or {})], **kw)


def test_collateral_tiers_and_rounding_down(market_doc):
    market_doc["assets"]["USDC"] = {"price": "0.9998", "haircut": [["0", "0.98"]]}
    m = parse_market(market_doc, "m.json")
    r = _one(m, {}, {"BTC": 20 * ONE, "USDT": 5 * ONE, "USDC": 1})
    # 20 BTC = 1,300,000: first 1,000,000 at 95 %, the other 300,000 at 90 %.
    assert list(r.intermediates["haircut_value"][0]) == [5 * USD, 1_220_000 * USD, 0]
    # 0.00000001 USDC is worth 0.9998e-8: rounds down to nothing.
    assert r.intermediates["asset_value"][0][2] == 0
    assert r.collateral_value[0] == 1_220_005 * USD
    assert r.requirement[0] == 0 and HEALTH_NAMES[r.health[0]] == "healthy"


def test_cross_margin_uses_the_bracket_of_the_notional(market_doc):
    m = parse_market(_futures_only(market_doc), "m.json")
    r = _one(m, {"BTC-PERP": -ONE}, model="cross")
    # Notional 65,000 is in the 50k bracket: MM 65,000 × 0.5 % − 50; IM 65,000 × 2 % − 500.
    assert r.maintenance[0] == 275 * USD and r.initial[0] == 800 * USD
    assert r.intermediates["bracket"][0, 0] == 1
    assert r.intermediates["notional"][0, 0] == 65000 * USD


def test_cross_margin_is_continuous_at_a_floor(market_doc):
    m = parse_market(_futures_only(market_doc), "m.json")
    below = 50000 * ONE // 65000  # just under 50,000 notional
    r = calculate(
        m, [Account(f"u{k}", {"BTC-PERP": below + k}, {}) for k in range(3)], model="cross"
    )
    notional = [int(x) for x in r.intermediates["notional"][:, 0]]
    assert notional[0] < 50000 * USD <= notional[2]
    steps = np.diff([int(x) for x in r.maintenance])
    # 1e-8 BTC more adds 0.00065 of notional, so MM moves by a few hundred units, not by 50 USD.
    assert all(0 <= s <= 400 for s in steps)


def test_cross_model_needs_brackets(market_doc):
    m = parse_market(market_doc, "m.json")
    with pytest.raises(InputError, match=r"instruments\.BTC-27DEC26-70000-C\.brackets: required"):
        _one(m, {}, model="cross")


def test_short_option_minimum_floors_the_requirement(market_doc):
    m = parse_market(market_doc, "m.json")
    r = _one(m, {"BTC-27DEC26-60000-P": -ONE // 100})
    btc = 0
    som = r.intermediates["som"][0, btc]
    assert som == mul_ceil(ONE // 100, 650 * USD, QTY_SCALE)  # 1 % of 65,000 per contract
    by_group = r.intermediates["requirement_by_group"][0, btc]
    assert by_group == max(r.intermediates["scan"][0, btc], som)
    # A far-OTM put sold in a tiny size: scan risk is below the minimum, the minimum wins.
    market_doc["underlyings"]["BTC"]["short_option_minimum"] = "0.5"
    r2 = _one(parse_market(market_doc, "m.json"), {"BTC-27DEC26-60000-P": -ONE})
    assert r2.requirement[0] == 32500 * USD > r2.intermediates["scan"][0, btc]
    # Long options carry no minimum.
    assert _one(m, {"BTC-27DEC26-60000-P": ONE}).intermediates["som"][0, btc] == 0


def test_add_on_is_charged_per_contract_held(market_doc):
    market_doc["instruments"]["SP-FUT"]["add_on"] = "12.5"
    m = parse_market(market_doc, "m.json")
    long_, short = _one(m, {"SP-FUT": 2 * ONE}), _one(m, {"SP-FUT": -2 * ONE})
    assert long_.requirement[0] == (20000 + 25) * USD
    assert short.requirement[0] == (20000 + 25) * USD


def test_greeks_margin_of_a_perpetual_is_its_delta_shock(market_doc):
    market_doc["model"] = {"name": "greeks"}
    m = parse_market(market_doc, "m.json")
    # delta 1 × 65,000 × 16 % = 10,400 either side; a long and a short net to nothing.
    assert _one(m, {"BTC-PERP": ONE}).requirement[0] == 10400 * USD
    assert _one(m, {"BTC-PERP": -ONE}).requirement[0] == 10400 * USD
    assert _one(m, {"BTC-PERP": ONE}, {}).intermediates["gamma"][0, 0] == 0


def test_greeks_margin_charges_short_gamma_and_vega(market_doc):
    market_doc["model"] = {"name": "greeks"}
    m = parse_market(market_doc, "m.json")
    t = build_tables(m)
    call = list(m.instruments).index("BTC-27DEC26-70000-C")
    d, g, v = (int(x) for x in t.own_rows(exact=True)[call])
    assert d > 0 and g < 0 and v > 0  # long call: gains up, convexity gain, gains on vol up
    short = _one(m, {"BTC-27DEC26-70000-C": -ONE}).intermediates
    assert (short["delta"][0, 0], short["gamma"][0, 0], short["vega"][0, 0]) == (d, -g, v)
    long_ = _one(m, {"BTC-27DEC26-70000-C": ONE}).intermediates
    assert long_["gamma"][0, 0] == 0


def test_initial_requirement_applies_the_factor(market_doc):
    market_doc["model"]["initial_factor"] = "1.5"
    m = parse_market(market_doc, "m.json")
    r = _one(m, {"SP-DEC-410-C": ONE}, level="initial")
    assert r.maintenance[0] == 3990 * USD and r.requirement[0] == r.initial[0] == 5985 * USD


def test_health_states_with_buffer():
    buffer = 100000  # 10 %
    im, mm = EXACT.array([2000, 2000, 2000, 2000]), EXACT.array([1000, 1000, 1000, 1000])
    value = EXACT.array([2200, 2199, 1100, 1099])
    assert [HEALTH_NAMES[h] for h in health(EXACT, value, im, mm, buffer)] == [
        "healthy", "margin_call", "margin_call", "liquidation"
    ]  # fmt: skip
    assert list(threshold(EXACT, EXACT.array([1, 10]), buffer)) == [2, 11]  # rounded up


def test_excess_is_value_minus_buffered_requirement(market_doc):
    market_doc["model"]["buffer"] = "0.25"
    m = parse_market(market_doc, "m.json")
    r = _one(m, {"SP-DEC-410-C": ONE}, {"USDT": 4000 * ONE})
    assert r.threshold[0] == 4987_50000000 and r.excess[0] == -987_50000000
    assert r.account(0).health == "liquidation"
    assert r.totals["shortfall"] == 987_50000000


def test_intermediates_add_up(market_doc):
    m = parse_market(market_doc, "m.json")
    positions = {"BTC-PERP": 3 * ONE, "BTC-27DEC26-70000-C": -2 * ONE, "SP-FUT": ONE}
    r = _one(m, positions, {"BTC": ONE, "USDT": 7 * ONE})
    i = r.intermediates
    assert r.collateral_value[0] == sum(i["haircut_value"][0])
    assert list(i["scan"][0]) == [max(0, max(row)) for row in i["losses"][0]]
    assert r.maintenance[0] == sum(i["requirement_by_group"][0])
    assert dict(zip(m.instrument_names, i["positions"][0], strict=True))["SP-FUT"] == ONE
    assert RATE_SCALE == 10**6
