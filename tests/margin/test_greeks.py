"""Greeks: closed forms against finite differences of the pricer's P&L, limits, fixed point."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.margin.pricing import black76, contract_pnl
from zkmargin.models.greeks.sensitivities import FixedGreeks, Greeks, greeks, greeks_to_fixed


def pnl(kind, right, strike, t, m, inverse, price, vol, change=0.0, new_vol=None):
    new_vol = vol if new_vol is None else new_vol
    return contract_pnl(kind, right, strike, t, m, inverse, price, vol, change, new_vol)


@given(
    price=st.floats(10.0, 1e5),
    moneyness=st.floats(0.6, 1.6),
    vol=st.floats(0.1, 1.5),
    t=st.floats(0.05, 3.0),
    right=st.sampled_from(["call", "put"]),
    multiplier=st.sampled_from([1, 0.01, 100]),
    inverse=st.booleans(),
)
def test_option_greeks_match_finite_differences(
    price, moneyness, vol, t, right, multiplier, inverse
):
    strike = price * moneyness
    args = ("option", right, strike, t, multiplier, inverse, price, vol)
    g = greeks(*args)
    h = price * 1e-4
    up, down = pnl(*args, change=h), pnl(*args, change=-h)
    sd = vol * math.sqrt(t)
    gamma_scale = multiplier / (price * sd)  # the size of gamma at the money
    assert g.delta == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-6 * multiplier)
    assert g.gamma == pytest.approx((up + down) / (h * h), rel=1e-3, abs=1e-3 * gamma_scale)
    dv = 1e-5
    vega = (pnl(*args, new_vol=vol + dv) - pnl(*args, new_vol=vol - dv)) / (2 * dv)
    assert g.vega == pytest.approx(vega, rel=1e-5, abs=1e-7 * multiplier * price)
    assert g.gamma >= 0 and g.vega >= 0


@given(price=st.floats(1.0, 1e7), multiplier=st.sampled_from([1, 0.001, 50, 100]))
def test_futures_greeks(price, multiplier):
    for kind in ("future", "perpetual"):
        assert greeks(kind, None, None, 0.0, multiplier, False, price, 0.5) == Greeks(
            multiplier, 0.0, 0.0
        )
        inverse = greeks(kind, None, None, 0.0, multiplier, True, price, 0.5)
        assert inverse == Greeks(multiplier / price, 0.0, 0.0)
        # delta is the slope of the scenario P&L, which is exactly linear for both
        h = price * 1e-3
        slope = pnl(kind, None, None, 0.0, multiplier, True, price, 0.5, change=h) / h
        assert inverse.delta == pytest.approx(slope, rel=1e-9)


def test_textbook_values():
    # F = K = 100, sigma = 20 %, t = 1: d1 = 0.1, N(0.1) = 0.539827837..., n(0.1) = 0.396952547...
    g = greeks("option", "call", 100.0, 1.0, 1, False, 100.0, 0.2)
    assert g.delta == pytest.approx(0.539827837277029, rel=1e-12)
    assert g.gamma == pytest.approx(0.3969525474770118 / 20, rel=1e-12)
    assert g.vega == pytest.approx(39.69525474770118, rel=1e-12)  # per 1.00 vol
    put = greeks("option", "put", 100.0, 1.0, 1, False, 100.0, 0.2)
    assert put.delta == pytest.approx(g.delta - 1, rel=1e-12)  # parity: Δc − Δp = 1
    assert (put.gamma, put.vega) == pytest.approx((g.gamma, g.vega), rel=1e-12)


@pytest.mark.parametrize(("price", "call_delta"), [(120.0, 1.0), (80.0, 0.0), (100.0, 0.5)])
def test_degenerate_limits(price, call_delta):
    for t, vol in [(0.0, 0.5), (1.0, 0.0), (0.0, 0.0)]:
        call = greeks("option", "call", 100.0, t, 2, False, price, vol)
        put = greeks("option", "put", 100.0, t, 2, False, price, vol)
        assert call.delta == 2 * call_delta and put.delta == 2 * (call_delta - 1)
        assert call.gamma == put.gamma == 0.0
        at_strike_with_time = price == 100.0 and t > 0
        # vega's σ → 0 limit is m·F·√t·n(0) at the strike, 0 off it and at expiry
        expected_vega = (
            2 * 100.0 * math.sqrt(t) / math.sqrt(2 * math.pi) if at_strike_with_time else 0
        )
        assert call.vega == pytest.approx(expected_vega)
        # and the small-σ closed form approaches it
        if t > 0:
            near = greeks("option", "call", 100.0, t, 2, False, price, 1e-9)
            assert near.delta == pytest.approx(2 * call_delta, abs=1e-6)
            assert near.vega == pytest.approx(expected_vega, rel=1e-6, abs=1e-9)


def test_extreme_inputs_stay_finite():
    for price, strike in [(1e12, 1.0), (1.0, 1e12), (1e12, 1e12)]:
        for vol, t in [(1e-12, 1e-12), (5.0, 30.0)]:
            g = greeks("option", "put", strike, t, 1, True, price, vol)
            assert all(math.isfinite(x) for x in (g.delta, g.gamma, g.vega))
    # at the strike with σ√t ~ 1e-320 gamma would be infinite: refused, not returned
    with pytest.raises(ValueError, match="overflow"):
        greeks("option", "call", 100.0, 1e-300, 1, False, 100.0, 1e-170)


def test_inverse_option_delta_includes_premium_remark():
    v0 = black76(50000.0, 50000.0, 0.6, 0.25, "call")
    linear = greeks("option", "call", 50000.0, 0.25, 1, False, 50000.0, 0.6)
    inverse = greeks("option", "call", 50000.0, 0.25, 1, True, 50000.0, 0.6)
    assert inverse.delta == pytest.approx(linear.delta - v0 / 50000.0, rel=1e-12)
    assert (inverse.gamma, inverse.vega) == (linear.gamma, linear.vega)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("option", "call", None, 1.0, 1, False, 100.0, 0.2), "strike"),
        (("option", "C", 100.0, 1.0, 1, False, 100.0, 0.2), "right"),
        (("option", "call", 100.0, -1.0, 1, False, 100.0, 0.2), "t"),
        (("swap", None, None, 0.0, 1, False, 100.0, 0.2), "kind"),
        (("future", None, None, 0.0, 1, False, 0.0, 0.2), "price"),
    ],
)
def test_greeks_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        greeks(*args)


def test_greeks_to_fixed():
    assert greeks_to_fixed(Greeks(0.5, 1e-10, -2.000000004)) == FixedGreeks(
        50_000_000, 0, -200_000_000
    )
    # nearest with ties to even, after the 1e-9 snap
    assert greeks_to_fixed(Greeks(1.5e-8, 2.5e-8, -1.5e-8)) == FixedGreeks(2, 2, -2)
    assert greeks_to_fixed(Greeks(0.125, 0.0, 3.0), decimals=2) == FixedGreeks(12, 0, 300)
    with pytest.raises(ValueError, match="finite"):
        greeks_to_fixed(Greeks(math.inf, 0.0, 0.0))
