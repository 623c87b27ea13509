"""Published worked examples, exact to the cent (issue 2)."""

from __future__ import annotations

from margin.samples import MCMILLAN_CALL, MCMILLAN_FUTURE

from zkmargin.margin import Account, Bracket, calculate, isolated_linear_perpetual, parse_market
from zkmargin.margin.domain import with_amounts
from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE, QTY_SCALE, RATE_SCALE, parse_decimal

ONE = QTY_SCALE


def _requirement(market_doc, positions: dict[str, int]) -> int:
    market = parse_market(market_doc, "m.json")
    result = calculate(market, [Account("u", positions, {})])
    return int(result.requirement[0])


def test_mcmillan_long_call_requires_3990(market_doc):
    assert _requirement(market_doc, {"SP-DEC-410-C": ONE}) == 3990 * MONEY_SCALE


def test_mcmillan_covered_write_requires_6620(market_doc):
    positions = {"SP-FUT": ONE, "SP-DEC-410-C": -ONE}
    assert _requirement(market_doc, positions) == 6620 * MONEY_SCALE


def test_mcmillan_scan_losses_are_the_negated_profits(market_doc):
    market = parse_market(market_doc, "m.json")
    result = calculate(market, [Account("u", {"SP-FUT": ONE, "SP-DEC-410-C": -ONE}, {})])
    sp = list(market.underlyings).index("SP")
    losses = [int(x) // MONEY_SCALE for x in result.intermediates["losses"][0, sp]]
    assert losses == [c - f for f, c in zip(MCMILLAN_FUTURE, MCMILLAN_CALL, strict=True)]
    assert int(result.intermediates["scan"][0, sp]) == 6620 * MONEY_SCALE


def test_btcusdt_bracket_maintenance_amounts():
    rows = [("0", "0.004"), ("50000", "0.005"), ("250000", "0.01"), ("1000000", "0.025"),
            ("10000000", "0.05")]  # fmt: skip
    brackets = with_amounts(
        [Bracket(parse_decimal(f, MONEY_SCALE), parse_decimal(r, RATE_SCALE), 2 * parse_decimal(r, RATE_SCALE))
         for f, r in rows]
    )  # fmt: skip
    assert [b.mm_amount for b in brackets] == [
        x * MONEY_SCALE for x in (0, 50, 1300, 16300, 266300)
    ]


def test_isolated_long_1btc_at_20000_50x():
    pos = isolated_linear_perpetual(
        1 * QTY_SCALE, 20000 * PRICE_SCALE, [Bracket(0, 5000, 20000)], leverage=50
    )
    assert pos.notional == 20000 * MONEY_SCALE
    assert pos.initial_margin == 400 * MONEY_SCALE
    assert pos.maintenance_margin == 100 * MONEY_SCALE
    assert pos.liquidation_price == 19700 * PRICE_SCALE
    assert pos.bankruptcy_price == 19600 * PRICE_SCALE


def test_isolated_short_mirrors_long():
    pos = isolated_linear_perpetual(
        -1 * QTY_SCALE, 20000 * PRICE_SCALE, [Bracket(0, 5000, 20000)], leverage=50
    )
    assert (pos.liquidation_price, pos.bankruptcy_price) == (
        20300 * PRICE_SCALE,
        20400 * PRICE_SCALE,
    )


def test_isolated_prices_round_toward_entry():
    # 3 contracts: IM - MM = 900 over 3 units is exact; make it inexact with an odd leverage.
    pos = isolated_linear_perpetual(3 * QTY_SCALE, 20000 * PRICE_SCALE, [Bracket(0, 5000, 20000)],
                                    leverage=7)  # fmt: skip
    exact_bankruptcy = 20000 - (60000 / 7) / 3
    assert pos.bankruptcy_price / PRICE_SCALE >= exact_bankruptcy
    assert pos.bankruptcy_price / PRICE_SCALE - exact_bankruptcy < 1 / PRICE_SCALE
