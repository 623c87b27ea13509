"""Property tests over random portfolios on the example market (issue 2's list, and more)."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zkmargin.margin import (
    Account,
    Bracket,
    build_tables,
    calculate,
    example_paths,
    isolated_linear_perpetual,
    parse_market,
)
from zkmargin.margin.fixed import QTY_SCALE
from zkmargin.models.scenario.grids import scenarios

MARKET_PATH, _ = example_paths()
DOC = json.loads(MARKET_PATH.read_text())
MARKET = parse_market(DOC, "example")
NAMES = MARKET.instrument_names
LINEAR = [n for n in NAMES if MARKET.instruments[n].kind != "option"]
ASSETS = MARKET.asset_names


def _with(model: str | None = None, **underlying_changes) -> object:
    doc = copy.deepcopy(DOC)
    if model:
        doc["model"]["name"] = model
    for key, value in underlying_changes.items():
        for u in doc["underlyings"].values():
            u[key] = value
    return parse_market(doc, "example")


qty = st.integers(-1000 * QTY_SCALE, 1000 * QTY_SCALE)
portfolios = st.dictionaries(st.sampled_from(NAMES), qty, max_size=6)
linear_portfolios = st.dictionaries(st.sampled_from(LINEAR), qty, max_size=4)
balances = st.dictionaries(st.sampled_from(ASSETS), st.integers(0, 10**6 * QTY_SCALE), max_size=4)
MODELS = ("scenario", "greeks")


def _req(market, positions, model=None, mode="exact"):
    return calculate(market, [Account("u", positions, {})], model=model, mode=mode).maintenance[0]


@given(st.sampled_from(MODELS))
def test_zero_portfolio_needs_zero_margin(model):
    zero = {n: 0 for n in NAMES}
    r = calculate(MARKET, [Account("a", zero, {}), Account("b", {}, {})], model=model)
    assert list(r.maintenance) == [0, 0] and list(r.initial) == [0, 0]


def test_zero_portfolio_needs_zero_cross_margin():
    market = parse_market({**DOC, "instruments": {n: DOC["instruments"][n] for n in LINEAR}}, "x")
    assert calculate(market, [Account("a", {}, {})], model="cross").maintenance[0] == 0


@given(portfolios, portfolios, st.sampled_from(MODELS))
def test_margin_of_a_sum_is_at_most_the_sum_of_margins(a, b, model):
    both = {n: a.get(n, 0) + b.get(n, 0) for n in set(a) | set(b)}
    r = calculate(MARKET, [Account(str(i), p, {}) for i, p in enumerate((both, a, b))], model=model)
    whole, part_a, part_b = r.maintenance
    assert whole <= part_a + part_b
    if model == "scenario":
        scan = r.intermediates["scan"].sum(axis=1)
        assert scan[0] <= scan[1] + scan[2]


@settings(max_examples=30)
@given(linear_portfolios, st.integers(1, 400000), st.integers(1, 400000))
def test_scenario_margin_grows_with_the_price_scan_range(positions, r1, r2):
    low, high = sorted((r1, r2))
    small = _with(price_scan_range=f"{low / 10**6:.6f}")
    large = _with(price_scan_range=f"{high / 10**6:.6f}")
    assert _req(small, positions) <= _req(large, positions)


@settings(max_examples=30)
@given(portfolios, st.integers(1, 400000), st.integers(1, 400000), st.integers(0, 300000))
def test_greeks_margin_grows_with_shock_sizes(positions, r1, r2, vol_shock):
    low, high = sorted((r1, r2))
    vol = f"{vol_shock / 10**6:.6f}"
    small = _with("greeks", price_scan_range=f"{low / 10**6:.6f}", vol_scan_range=vol)
    large = _with("greeks", price_scan_range=f"{high / 10**6:.6f}", vol_scan_range=vol)
    assert _req(small, positions, mode="float") <= _req(large, positions, mode="float")
    # Exact mode rounds each instrument's coefficient to the nearest 10^-8: allow that.
    slack = sum(abs(q) for q in positions.values()) // QTY_SCALE + 2 * len(positions)
    assert _req(small, positions) <= _req(large, positions) + slack


def float_bound(positions: dict[str, int], collateral: dict[str, int]) -> tuple[float, float]:
    """The stated bound (docs/formats.md) on |exact − float|, in units of 10^-8.

    Requirement: per instrument held, 2 units per contract (its table entry's rounding, twice
    for SOM) plus 4 rescales; collateral value: per asset one unit per haircut tier plus one.
    """
    req = sum(2 * abs(q) / QTY_SCALE + 4 for q in positions.values())
    col = sum(len(MARKET.assets[a].haircut) + 1 for a in collateral)
    return req, col


@given(st.lists(st.tuples(portfolios, balances), min_size=1, max_size=8), st.sampled_from(MODELS))
def test_exact_and_float_modes_agree_within_the_stated_bound(accounts, model):
    accs = [Account(str(i), p, c) for i, (p, c) in enumerate(accounts)]
    exact = calculate(MARKET, accs, model=model)
    approx = calculate(MARKET, accs, model=model, mode="float")
    for i, (p, c) in enumerate(accounts):
        req_bound, col_bound = float_bound(p, c)
        rel = 1e-12 * (abs(approx.maintenance[i]) + abs(approx.collateral_value[i]))
        assert abs(int(exact.maintenance[i]) - approx.maintenance[i]) <= req_bound + rel + 1
        assert abs(int(exact.collateral_value[i]) - approx.collateral_value[i]) <= col_bound + rel
        # Exact rounding is always in the exchange's disfavour.
        assert exact.collateral_value[i] <= approx.collateral_value[i] + rel


TABLES = build_tables(MARKET, "scenario")


@given(portfolios)
def test_scenario_losses_match_a_plain_loop(positions):
    # An independent scalar recomputation of the vectorised kernel, from the same tables: the
    # group's exact loss, rounded up once.
    tables = TABLES
    r = calculate(MARKET, [Account("u", positions, {})])
    n_scen = len(scenarios(MARKET.model))
    for g, und in enumerate(tables.underlyings):
        for s in range(n_scen):
            exact = 0
            for i, name in enumerate(NAMES):
                if MARKET.instruments[name].underlying == und:
                    exact += positions.get(name, 0) * int(tables.own_rows(exact=True)[i, s])
            assert r.intermediates["losses"][0, g, s] == -(-exact // QTY_SCALE)


@settings(max_examples=40)
@given(st.lists(st.tuples(portfolios, balances), min_size=1, max_size=12), st.integers(1, 5))
def test_chunking_does_not_change_results(accounts, chunk):
    accs = [Account(str(i), p, c) for i, (p, c) in enumerate(accounts)]
    whole = calculate(MARKET, accs)
    pieces = calculate(MARKET, accs, chunk_size=chunk)
    assert whole.to_json() == pieces.to_json()
    assert (whole.intermediates["losses"] == pieces.intermediates["losses"]).all()


LINEAR_MARKET = parse_market(
    {**DOC, "instruments": {n: DOC["instruments"][n] for n in LINEAR}}, "x"
)


@given(st.lists(st.tuples(linear_portfolios, balances), min_size=1, max_size=8))
def test_exact_and_float_cross_margin_agree_within_the_stated_bound(accounts):
    accs = [Account(str(i), p, c) for i, (p, c) in enumerate(accounts)]
    exact = calculate(LINEAR_MARKET, accs, model="cross")
    approx = calculate(LINEAR_MARKET, accs, model="cross", mode="float")
    for i, (p, c) in enumerate(accounts):
        req_bound, _ = float_bound(p, c)
        for name in ("maintenance", "initial"):
            a, b = int(getattr(exact, name)[i]), getattr(approx, name)[i]
            assert abs(a - b) <= req_bound + 1e-12 * abs(b) + 1


@given(
    st.integers(1, 10**4 * QTY_SCALE),
    st.booleans(),
    st.integers(1, 10**6 * 10**8),
    st.integers(2, 125),
    st.integers(1000, 20000),
)
def test_isolated_liquidation_is_never_late(size, long_, entry, leverage, mmr):
    q = size if long_ else -size
    brackets = [Bracket(0, mmr, 10**6 // leverage + mmr)]
    pos = isolated_linear_perpetual(q, entry, brackets, leverage=leverage)
    assume(pos.initial_margin > pos.maintenance_margin)
    # Equity at the liquidation price (money, exact rational): margin + q × (P − entry).
    equity = Fraction(pos.initial_margin) + Fraction(q * (pos.liquidation_price - entry), QTY_SCALE)
    assert equity >= pos.maintenance_margin  # liquidated no later than the exact price
    one_tick = Fraction(size, QTY_SCALE)  # moving one price unit further changes equity by this
    assert equity - pos.maintenance_margin < one_tick or pos.liquidation_price == 0
    ordered = sorted((pos.bankruptcy_price, pos.liquidation_price, entry))
    assert ordered == ([pos.bankruptcy_price, pos.liquidation_price, entry] if long_ else
                       [entry, pos.liquidation_price, pos.bankruptcy_price])  # fmt: skip
