"""Greeks per ONE LONG contract, in quote currency, for the Greeks-based margin model.

Each Greek is a derivative of the contract's quote-currency P&L as valued by
:func:`zkmargin.margin.pricing.contract_pnl`, at the current price and volatility:

* ``delta`` = dP&L/dF (quote currency per 1 unit of underlying price);
* ``gamma`` = d²P&L/dF² (quote currency per unit of price, squared);
* ``vega``  = dP&L/dσ per 1.00 of ABSOLUTE volatility (σ from 0.55 to 1.55), i.e. per 100 vol
  points; divide by 100 for the usual "per vol point" figure.

Closed forms (undiscounted Black-76, m = multiplier, n = normal density, N = its CDF):

* linear future/perpetual: delta = m, gamma = vega = 0;
* inverse future/perpetual: P&L = m·(F1/F0 − 1) (see pricing), so delta = m/F0, gamma = vega = 0;
* option: delta = m·N(d1) (call) or m·(N(d1) − 1) (put), gamma = m·n(d1)/(F·σ·√t),
  vega = m·F·n(d1)·√t;
* inverse option: P&L = m·(V(F1) − V0·F1/F0), so delta = m·(V'(F0) − V0/F0), gamma and vega as
  for the linear option.

At expiry (t = 0) or zero volatility the option's value is its intrinsic value: delta is the
slope of the payoff (1 or 0 for a call, with 1/2 exactly at the strike), gamma is reported as 0
(the true second derivative is a point mass at the strike, which no finite number represents),
and vega is the limit m·F·√t·n(0) exactly at the strike with σ = 0, t > 0, else 0.

>>> g = greeks("option", "call", 100.0, 1.0, 1, False, 100.0, 0.2)
>>> round(g.delta, 4), round(g.gamma, 5), round(g.vega, 3)
(0.5398, 0.01985, 39.695)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zkmargin.margin.pricing import (
    black76,
    check_contract,
    check_right,
    d1_d2,
    normal_cdf,
    normal_pdf,
    to_fixed,
)


@dataclass(frozen=True)
class Greeks:
    """Delta, gamma, vega of one long contract (units in the module docstring)."""

    delta: float
    gamma: float
    vega: float


@dataclass(frozen=True)
class FixedGreeks:
    """Greeks as integers in units of 10^-decimals (see :func:`greeks_to_fixed`)."""

    delta: int
    gamma: int
    vega: int


def _option_greeks(
    right: str, strike: float, t_years: float, price: float, vol: float
) -> tuple[float, float, float]:
    """Delta, gamma, vega of Black-76 per unit of underlying."""
    sd = vol * math.sqrt(t_years)
    if sd == 0:
        if price > strike:
            call_delta = 1.0
        elif price < strike:
            call_delta = 0.0
        else:
            call_delta = 0.5
        # Vega's limit as σ → 0 is F·√t·n(d1) with d1 → ±∞ off the strike, 0 at it.
        vega = price * math.sqrt(t_years) * normal_pdf(0.0) if price == strike else 0.0
        delta = call_delta if right == "call" else call_delta - 1.0
        return delta, 0.0, vega
    d1, _ = d1_d2(price, strike, vol, t_years)
    density = normal_pdf(d1)
    delta = normal_cdf(d1) if right == "call" else -normal_cdf(-d1)
    return delta, density / (price * sd), price * density * math.sqrt(t_years)


def greeks(
    kind: str,
    right: str | None,
    strike: float | None,
    t_years: float,
    multiplier: float,
    inverse: bool,
    price: float,
    vol: float,
) -> Greeks:
    """Delta, gamma and vega of ONE LONG contract at the current price and volatility.

    Same arguments and conventions as :func:`zkmargin.margin.pricing.scenario_losses` (without
    the scan ranges). Returns quote-currency sensitivities; see the module docstring.

    >>> greeks("future", None, None, 0.0, 50, False, 4000.0, 0.0)
    Greeks(delta=50.0, gamma=0.0, vega=0.0)
    >>> greeks("perpetual", None, None, 0.0, 100, True, 50000.0, 0.0).delta
    0.002
    """
    multiplier, price = float(multiplier), float(price)
    check_contract(kind, multiplier, price)
    if kind != "option":
        delta = multiplier / price if inverse else multiplier
        return Greeks(delta, 0.0, 0.0)
    right = check_right(right)
    if strike is None:
        raise ValueError("option needs a strike")
    strike, t_years, vol = float(strike), float(t_years), float(vol)
    # black76 validates strike, vol and t; call it first so bad inputs fail with its message.
    value = black76(price, strike, vol, t_years, right)
    delta, gamma, vega = _option_greeks(right, strike, t_years, price, vol)
    if inverse:
        # P&L = m·(V(F1) − V0·F1/F0): the premium, held in base, re-marks with the price.
        delta -= value / price
    result = Greeks(multiplier * delta, multiplier * gamma, multiplier * vega)
    # gamma ~ 1/(F·σ·√t) overflows only for absurd inputs (σ√t near 1e-308): refuse, don't
    # hand an infinity to the margin model.
    if not all(math.isfinite(x) for x in (result.delta, result.gamma, result.vega)):
        raise ValueError(f"Greeks overflow for price {price}, vol {vol}, t {t_years}: {result}")
    return result


def greeks_to_fixed(g: Greeks, decimals: int = 8) -> FixedGreeks:
    """Each Greek as an integer in units of 10^-decimals, rounded to nearest (ties to even).

    Same snap as losses (:func:`zkmargin.margin.pricing.to_fixed`: first to ``decimals + 1``
    places, absorbing float noise). Unlike a loss there is no conservative direction here —
    whether rounding a delta up adds or removes margin depends on the position's sign — so the
    margin model must round its own products toward more requirement; these are its inputs.

    >>> greeks_to_fixed(Greeks(0.539827837277029, 0.019848, 39.69525474770118))
    FixedGreeks(delta=53982784, gamma=1984800, vega=3969525475)
    """
    return FixedGreeks(*(to_fixed(x, decimals, round_up=False) for x in (g.delta, g.gamma, g.vega)))
