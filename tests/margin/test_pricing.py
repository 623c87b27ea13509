"""Black-76, scenario losses (risk arrays) and the fixed-point rounding of losses."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from zkmargin.margin.pricing import (
    MONEY_DECIMALS,
    black76,
    contract_pnl,
    losses_to_fixed,
    scenario_losses,
    to_fixed,
)
from zkmargin.models.scenario.grids import Scenario, grid, span16

prices = st.floats(1.0, 1e6)
strikes = st.floats(1.0, 1e6)
vols = st.floats(0.01, 3.0)
times = st.floats(1e-3, 5.0)
rights = st.sampled_from(["call", "put"])
multipliers = st.sampled_from([1, 0.001, 50, 500])
moves = st.fractions(-1, 1, max_denominator=12)
covers = st.sampled_from([F(1), F(35, 100), F(1, 2)])


# --- Black-76 ---------------------------------------------------------------------------


def test_hull_black_put_on_futures():
    # Hull, Options, Futures and Other Derivatives, Black's model example: European put on a
    # crude-oil future, F0 = K = 20, r = 9 %, sigma = 25 %, T = 4 months -> 1.12.
    assert round(black76(20, 20, 0.25, 4 / 12, "put", rate=0.09), 2) == 1.12


def test_hull_black_scholes_via_forward():
    # Hull's Black-Scholes example S0 = 42, K = 40, r = 10 %, sigma = 20 %, T = 0.5:
    # c = 4.76, p = 0.81. Black-76 on the forward F = S0·e^{rT}, discounted, is Black-Scholes.
    forward = 42 * math.exp(0.1 * 0.5)
    assert round(black76(forward, 40, 0.2, 0.5, "call", rate=0.1), 2) == 4.76
    assert round(black76(forward, 40, 0.2, 0.5, "put", rate=0.1), 2) == 0.81


def test_at_the_money_closed_form():
    # At the money, undiscounted: C = P = F·(2N(σ√t/2) − 1) = F·erf(σ√t / (2√2)).
    value = black76(100, 100, 0.2, 1.0, "call")
    assert value == pytest.approx(100 * math.erf(0.2 / (2 * math.sqrt(2))), rel=1e-13)
    assert black76(100, 100, 0.2, 1.0, "put") == pytest.approx(value, rel=1e-13)
    assert round(value, 10) == 7.9655674554


@given(prices, strikes, vols, times)
def test_put_call_parity(forward, strike, vol, t):
    call, put = black76(forward, strike, vol, t, "call"), black76(forward, strike, vol, t, "put")
    assert call - put == pytest.approx(forward - strike, rel=1e-9, abs=1e-9 * (forward + strike))


@given(prices, strikes, vols, times, rights)
def test_bounds_and_monotone_in_vol(forward, strike, vol, t, right):
    value = black76(forward, strike, vol, t, right)
    intrinsic = max(forward - strike, 0) if right == "call" else max(strike - forward, 0)
    assert intrinsic <= value <= (forward if right == "call" else strike)
    assert black76(forward, strike, vol * 1.5, t, right) >= value


@given(prices, strikes, rights)
def test_limits_to_intrinsic(forward, strike, right):
    intrinsic = max(forward - strike, 0) if right == "call" else max(strike - forward, 0)
    assert black76(forward, strike, 0.5, 0.0, right) == intrinsic
    assert black76(forward, strike, 0.0, 1.0, right) == intrinsic
    # approaching the limit: time value of order F·σ√t -> 0
    near = black76(forward, strike, 0.5, 1e-12, right)
    assert near == pytest.approx(intrinsic, abs=1e-6 * max(forward, strike))
    near = black76(forward, strike, 1e-9, 1.0, right)
    assert near == pytest.approx(intrinsic, abs=1e-8 * max(forward, strike))


def test_extreme_inputs_stay_finite():
    for forward, strike in [(1e12, 1.0), (1.0, 1e12), (1e12, 1e12), (1e-6, 1e6)]:
        for vol, t in [(1e-12, 1e-12), (5.0, 30.0), (0.5, 1.0)]:
            for right in ("call", "put"):
                value = black76(forward, strike, vol, t, right)
                assert math.isfinite(value) and value >= 0
    # F/K would underflow to 0 or overflow: log F − log K does not
    assert black76(1e-320, 1e12, 0.5, 1.0, "put") == 1e12
    assert black76(1e300, 1e-300, 0.5, 1.0, "call") == 1e300
    # forward 0: a call is worthless, a put worth the strike
    assert black76(0.0, 100.0, 0.5, 1.0, "call") == 0.0
    assert black76(0.0, 100.0, 0.5, 1.0, "put") == 100.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, 100, 0.2, 1.0, "straddle"), "right"),
        ((-1, 100, 0.2, 1.0, "call"), "forward"),
        ((100, 0, 0.2, 1.0, "call"), "strike"),
        ((100, 100, -0.2, 1.0, "call"), "vol"),
        ((100, 100, 0.2, -1.0, "call"), "t"),
        ((math.nan, 100, 0.2, 1.0, "call"), "forward"),
        ((100, math.inf, 0.2, 1.0, "call"), "strike"),
    ],
)
def test_black76_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        black76(*args)


# --- scenario losses ----------------------------------------------------------------------


MCMILLAN_FUTURE_PROFIT = [0, 0, 3330, 3330, -3330, -3330, 6670, 6670, -6670, -6670]
MCMILLAN_FUTURE_PROFIT += [10000, 10000, -10000, -10000, 7000, -7000]


def mcmillan_scenarios() -> list[Scenario]:
    """span16 with an extreme move of 2x, and 1/3, 2/3 written to 3 decimals as in the book."""
    three_decimals = {F(1, 3): F(333, 1000), F(2, 3): F(667, 1000)}
    out = []
    for s in span16(extreme_multiple=2):
        sign = 1 if s.price_move >= 0 else -1
        move = three_decimals.get(abs(s.price_move), abs(s.price_move))
        out.append(Scenario(sign * move, s.vol_move, s.cover))
    return out


def test_mcmillan_span_future_exact():
    # McMillan's S&P future: 500 $/point, price scan range $10,000 (20 points). The book lists
    # PROFIT per long contract; our losses are its negation, exact to the cent after rounding.
    losses = scenario_losses(
        "future", None, None, 0.0, 500, False, 400, 0, 0.05, 0, mcmillan_scenarios()
    )
    assert losses_to_fixed(losses) == [-p * 10**MONEY_DECIMALS for p in MCMILLAN_FUTURE_PROFIT]


def test_mcmillan_span_future_order_with_exact_thirds():
    # With exact thirds the entries are ±3333.33 / ±6666.67: the book's rounded figures, in order.
    losses = scenario_losses("future", None, None, 0.0, 500, False, 400, 0, 0.05, 0, span16(2))
    assert [round(-x, -1) for x in losses] == MCMILLAN_FUTURE_PROFIT
    # a long future loses when the price falls: "down 1/3" is scenario 5
    assert losses[4] == pytest.approx(10000 / 3)


@given(prices, st.floats(0.001, 0.3), multipliers, moves, covers, st.booleans())
def test_future_loss_is_linear_in_the_move(price, scan, multiplier, move, cover, perpetual):
    kind = "perpetual" if perpetual else "future"
    scenarios = [Scenario(move, 0, cover), Scenario(-move, 0, cover), Scenario(move, 1, cover)]
    loss, mirrored, vol_up = scenario_losses(
        kind, None, None, 0.0, multiplier, False, price, 0.5, scan, 0.1, scenarios
    )
    expected = -multiplier * price * scan * float(move) * float(cover)
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert mirrored == -loss  # exact symmetry
    assert vol_up == loss  # volatility does not move a future


@given(prices, st.floats(0.001, 0.3), multipliers, moves, covers)
def test_inverse_future_convention(price, scan, multiplier, move, cover):
    # P&L in base multiplier·(1/F0 − 1/F1), valued in quote at F1; loss = −P&L·cover.
    (loss,) = scenario_losses(
        "perpetual",
        None,
        None,
        0.0,
        multiplier,
        True,
        price,
        0.5,
        scan,
        0.1,
        [Scenario(move, 0, cover)],
    )
    new_price = price * (1 + scan * float(move))
    direct = multiplier * (1 / price - 1 / new_price) * new_price
    assert loss == pytest.approx(-direct * float(cover), rel=1e-9, abs=1e-12 * multiplier)
    assert loss == pytest.approx(-multiplier * scan * float(move) * float(cover), rel=1e-12)


@given(prices, st.floats(0.2, 5.0), vols, times, st.floats(0.01, 0.3), st.floats(0.0, 0.3))
def test_long_option_loses_at_most_its_premium(price, moneyness, vol, t, scan, vol_scan):
    strike = price * moneyness
    for right in ("call", "put"):
        premium = black76(price, strike, vol, t, right)
        losses = scenario_losses(
            "option", right, strike, t, 10, False, price, vol, scan, vol_scan, grid("crypto")
        )
        assert max(losses) <= 10 * premium * (1 + 1e-12) + 1e-9
        # and the losses of call and put differ by the future's loss (put-call parity)
        fut = scenario_losses(
            "future", None, None, t, 10, False, price, vol, scan, vol_scan, grid("crypto")
        )
        puts = scenario_losses(
            "option", "put", strike, t, 10, False, price, vol, scan, vol_scan, grid("crypto")
        )
        calls = scenario_losses(
            "option", "call", strike, t, 10, False, price, vol, scan, vol_scan, grid("crypto")
        )
        for c, p, f in zip(calls, puts, fut, strict=True):
            assert c - p == pytest.approx(f, abs=1e-9 * 10 * (price + strike))


@given(prices, st.floats(0.5, 2.0), vols, times, st.floats(0.01, 0.3), st.floats(0.01, 0.2))
def test_option_losses_monotone_in_price_and_vol(price, moneyness, vol, t, scan, vol_scan):
    strike = price * moneyness
    calls = scenario_losses(
        "option", "call", strike, t, 1, False, price, vol, scan, vol_scan, grid("crypto")
    )
    tol = 1e-9 * price
    # grid("crypto") is price-major (k = −4..4), vol +1, 0, −1 within each price
    by_vol = [calls[i::3] for i in range(3)]
    for row in by_vol:  # a long call loses less as the price rises
        assert all(a >= b - tol for a, b in itertools.pairwise(row))
    for up, same, down in zip(*by_vol, strict=True):  # and less as volatility rises
        assert up <= same + tol <= down + 2 * tol


def test_vol_shift_floors_at_zero_and_horizon_decays():
    # vol 0.05 shifted down by 0.1 is 0, not −0.05: the option is worth its intrinsic value.
    (loss,) = scenario_losses(
        "option", "call", 100, 0.5, 1, False, 110, 0.05, 0.1, 0.1, [Scenario(0, -1)]
    )
    assert loss == pytest.approx(black76(110, 100, 0.05, 0.5, "call") - 10)
    # an out-of-the-money option held to expiry over the horizon loses its whole premium
    premium = black76(100, 120, 0.5, 0.1, "call")
    (loss,) = scenario_losses(
        "option",
        "call",
        120,
        0.1,
        1,
        False,
        100,
        0.5,
        0.1,
        0.0,
        [Scenario(0, 0)],
        horizon_years=1.0,
    )
    assert loss == pytest.approx(premium)


def test_inverse_option_convention():
    # Premium and payoff in base: P&L = m·(V1/F1 − V0/F0)·F1 in quote at the scenario price.
    v0 = black76(50000, 55000, 0.6, 0.25, "call")
    v1 = black76(60000, 55000, 0.7, 0.25, "call")
    pnl = contract_pnl("option", "call", 55000, 0.25, 1, True, 50000, 0.6, 10000, 0.7)
    assert pnl == pytest.approx((v1 / 60000 - v0 / 50000) * 60000, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "swap"}, "kind"),
        ({"multiplier": 0}, "multiplier"),
        ({"price": -1}, "price"),
        ({"price": math.nan}, "price"),
        ({"price_scan_range": -0.1}, "price_scan_range"),
        ({"vol_scan_range": math.inf}, "vol_scan_range"),
        ({"right": "C"}, "right"),
        ({"strike": None}, "strike"),
        # a down move of 3 × 0.4 pushes the price below zero: not priceable
        ({"price_scan_range": 0.4}, "scenario price must be >= 0"),
        ({"price_scan_range": 0.4, "kind": "future", "inverse": True}, "must be positive"),
    ],
)
def test_scenario_losses_rejects(kwargs, message):
    args = {
        "kind": "option",
        "right": "call",
        "strike": 100.0,
        "t_years": 0.5,
        "multiplier": 1,
        "inverse": False,
        "price": 100.0,
        "vol": 0.5,
        "price_scan_range": 0.1,
        "vol_scan_range": 0.1,
        "scenarios": span16(),
    } | kwargs
    with pytest.raises(ValueError, match=message):
        scenario_losses(**args)


def test_exact_number_inputs_price_like_floats():
    # the loaders hold Decimal and Fraction values; the pricer must take them as they come
    exact = scenario_losses(
        "option",
        "put",
        Decimal("60000"),
        F(1, 4),
        Decimal("0.1"),
        True,
        Decimal("65000"),
        Decimal("0.55"),
        Decimal("0.16"),
        F(1, 10),
        grid("crypto"),
    )
    floats = scenario_losses(
        "option", "put", 60000.0, 0.25, 0.1, True, 65000.0, 0.55, 0.16, 0.1, grid("crypto")
    )
    assert exact == floats
    assert black76(
        Decimal(20), Decimal(20), Decimal("0.25"), F(1, 3), "put", rate=Decimal("0.09")
    ) == black76(20, 20, 0.25, 1 / 3, "put", rate=0.09)


def test_linear_future_may_go_through_zero():
    # a linear contract has a well-defined P&L even if the scenario price is negative
    (loss,) = scenario_losses("future", None, None, 0, 1, False, 100, 0, 0.5, 0, [Scenario(-3, 0)])
    assert loss == 150.0


def test_huge_prices():
    for kind, right, strike in [("future", None, None), ("option", "put", 1e13)]:
        losses = scenario_losses(kind, right, strike, 1.0, 1, False, 1e13, 0.8, 0.16, 0.1, span16())
        assert all(math.isfinite(x) for x in losses)
        assert max(losses) > 0


# --- fixed point ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("loss", "fixed"),
    [
        (3330.0000000001, 333_000_000_000),  # float noise below 5e-10 is snapped away
        (3330.0, 333_000_000_000),
        (-3330.0000000001, -333_000_000_000),
        (0.0, 0),
        (-0.0, 0),
        (1e-9, 1),  # a real 1e-9 survives the snap and rounds up to one unit
        (4e-10, 0),  # below the snap threshold
        (6e-10, 1),  # above it: snapped to 1e-9, then rounded up
        (1.000000005, 100_000_001),
        (1.000000011, 100_000_002),
        (-1.5e-8, -1),  # gains round toward zero: toward more loss
        (-1.9e-8, -1),
        (0.1 + 0.2, 30_000_000),  # 0.30000000000000004
        (1e15, 10**23),
    ],
)
def test_losses_to_fixed_boundaries(loss, fixed):
    assert losses_to_fixed([loss]) == [fixed]


def test_to_fixed_rejects_non_finite_and_rounds_to_nearest_on_request():
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="finite"):
            losses_to_fixed([bad])
    assert to_fixed(0.125, decimals=2, round_up=False) == 12  # ties to even
    assert to_fixed(0.135, decimals=2, round_up=False) == 14
    assert to_fixed(-0.126, decimals=2, round_up=False) == -13


@given(st.floats(-1e12, 1e12))
def test_losses_to_fixed_never_understates_beyond_the_snap(loss):
    (fixed,) = losses_to_fixed([loss])
    exact = F(loss) * 10**MONEY_DECIMALS
    # at most half a tenth of a unit below the exact loss (the snap), less than a unit above
    assert exact - F(1, 20) <= fixed < exact + 1


@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9))
def test_losses_to_fixed_is_monotone(a, b):
    assume(a <= b)
    assert losses_to_fixed([a])[0] <= losses_to_fixed([b])[0]
