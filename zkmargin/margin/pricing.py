"""Reference pricers: Black-76 and per-scenario losses (risk arrays) per ONE LONG contract.

Plain-float reference code; it runs once per instrument per snapshot, not per account, so
clarity wins over speed. Losses follow SPAN's sign convention: positive = loss, negative = gain.

Valuation conventions (all values in quote currency):

* linear future / perpetual: value = multiplier × F, so P&L = multiplier × (F1 − F0);
* inverse future / perpetual (a contract of ``multiplier`` quote units, settled in the base
  asset, BitMEX-style): P&L in base = multiplier × (1/F0 − 1/F1), valued in quote at the
  scenario price F1: multiplier × (1/F0 − 1/F1) × F1 = multiplier × (F1/F0 − 1);
* option: multiplier × Black-76(F, K, σ, t); an inverse option (Deribit-style, premium and
  payoff in base) is worth V/F base units, so its P&L valued in quote at F1 is
  multiplier × (V1/F1 − V0/F0) × F1 = multiplier × (V1 − V0 × F1/F0).

Perpetual funding is ignored (it does not depend on the scenario move).

>>> round(black76(20.0, 20.0, 0.25, 4 / 12, "put", rate=0.09), 2)  # Hull, Black's model
1.12
>>> from zkmargin.models.scenario.grids import grid
>>> scenario_losses("future", None, None, 0.0, 1, False, 65000, 0.5, 0.16, 0.1,
...                 grid("finra10"))[:2]
[10400.0, 8320.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from zkmargin.margin.fixed import MONEY_DECIMALS
from zkmargin.models.scenario.grids import Scenario

KINDS = ("future", "perpetual", "option")
RIGHTS = ("call", "put")


def normal_cdf(x: float) -> float:
    """Standard normal CDF, via erfc so both tails keep full relative precision.

    >>> normal_cdf(0.0)
    0.5
    """
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_pdf(x: float) -> float:
    """Standard normal density."""
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def check_right(right: str | None) -> str:
    """``right`` if it is 'call' or 'put', else ValueError."""
    if right not in RIGHTS:
        raise ValueError(f"option right must be 'call' or 'put', got {right!r}")
    return right


def intrinsic(forward: float, strike: float, right: str) -> float:
    """Exercise value now: max(F − K, 0) for a call, max(K − F, 0) for a put."""
    return (
        max(forward - strike, 0.0) if check_right(right) == "call" else max(strike - forward, 0.0)
    )


def d1_d2(forward: float, strike: float, vol: float, t_years: float) -> tuple[float, float]:
    """Black-76's d1, d2 for F, K, σ, t > 0 (σ√t must be positive)."""
    sd = vol * math.sqrt(t_years)
    # log F − log K, not log(F/K): the ratio can underflow to 0 or overflow for extreme inputs.
    d1 = (math.log(forward) - math.log(strike) + 0.5 * sd * sd) / sd
    return d1, d1 - sd


def black76(
    forward: float,
    strike: float,
    vol: float,
    t_years: float,
    right: str,
    rate: float = 0.0,
) -> float:
    """Black-76 value of a European option on a forward/future price, per unit of underlying.

    ``vol`` is annualised (0.55 = 55 %), ``t_years`` the time to expiry. Undiscounted unless
    ``rate`` (continuously compounded) is given. With ``t_years == 0`` or ``vol == 0`` the value
    is the (discounted) intrinsic value — the limit of the formula. ``forward == 0`` is allowed
    (call worth 0, put worth the discounted strike); negative inputs are rejected.

    >>> round(black76(100.0, 100.0, 0.2, 1.0, "call"), 4)
    7.9656
    >>> black76(120.0, 100.0, 0.3, 0.0, "call")
    20.0
    """
    right = check_right(right)
    forward, strike, vol, t_years = float(forward), float(strike), float(vol), float(t_years)
    for name, value in (("forward", forward), ("strike", strike), ("vol", vol), ("t", t_years)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"black76: {name} must be finite and >= 0, got {value}")
    if strike == 0:
        raise ValueError("black76: strike must be positive")
    rate = float(rate)
    if not math.isfinite(rate):
        raise ValueError(f"black76: rate must be finite, got {rate}")
    discount = math.exp(-rate * t_years)
    sd = vol * math.sqrt(t_years)
    if sd == 0 or forward == 0:
        return discount * intrinsic(forward, strike, right)
    d1, d2 = d1_d2(forward, strike, vol, t_years)
    if right == "call":
        value = forward * normal_cdf(d1) - strike * normal_cdf(d2)
    else:
        value = strike * normal_cdf(-d2) - forward * normal_cdf(-d1)
    # The exact value is >= intrinsic; cancellation in the difference can dip below by an ulp.
    return discount * max(value, intrinsic(forward, strike, right))


def check_contract(kind: str, multiplier: float, price: float) -> None:
    """ValueError unless ``kind`` is known and multiplier and price are finite and positive."""
    if kind not in KINDS:
        raise ValueError(f"instrument kind must be one of {KINDS}, got {kind!r}")
    if not math.isfinite(multiplier) or multiplier <= 0:
        raise ValueError(f"multiplier must be finite and positive, got {multiplier}")
    if not math.isfinite(price) or price <= 0:
        raise ValueError(f"price must be finite and positive, got {price}")


def contract_pnl(
    kind: str,
    right: str | None,
    strike: float | None,
    t_years: float,
    multiplier: float,
    inverse: bool,
    price: float,
    vol: float,
    price_change: float,
    new_vol: float,
    new_t_years: float | None = None,
) -> float:
    """Profit (quote currency) of ONE LONG contract when the price moves by ``price_change``.

    The underlying goes from ``price`` to ``price + price_change``, volatility from ``vol`` to
    ``new_vol``, time to expiry from ``t_years`` to ``new_t_years`` (default: unchanged). Taking
    the change rather than the new price keeps linear P&L free of cancellation error. See the
    module docstring for the linear / inverse conventions.

    >>> contract_pnl("perpetual", None, None, 0.0, 100, True, 50000, 0, 5000, 0)
    10.0
    """
    check_contract(kind, float(multiplier), float(price))
    multiplier, price, price_change = float(multiplier), float(price), float(price_change)
    if not math.isfinite(price_change):
        raise ValueError(f"price change must be finite, got {price_change}")
    new_price = price + price_change
    if inverse and not new_price > 0:
        raise ValueError(f"inverse contract: scenario price must be positive, got {new_price}")
    if kind != "option":
        # inverse: multiplier × (1/F0 − 1/F1) × F1 = multiplier × ΔF / F0
        return multiplier * (price_change / price if inverse else price_change)
    if strike is None:
        raise ValueError("option needs a strike")
    if new_price < 0:
        raise ValueError(f"option: scenario price must be >= 0, got {new_price}")
    t_new = t_years if new_t_years is None else new_t_years
    before = black76(price, strike, vol, t_years, right)
    after = black76(new_price, strike, new_vol, t_new, right)
    if inverse:
        return multiplier * (after - before * new_price / price)
    return multiplier * (after - before)


def scenario_losses(
    kind: str,
    right: str | None,
    strike: float | None,
    t_years: float,
    multiplier: float,
    inverse: bool,
    price: float,
    vol: float,
    price_scan_range: float,
    vol_scan_range: float,
    scenarios: Sequence[Scenario],
    horizon_years: float = 0.0,
) -> list[float]:
    """Loss per ONE LONG contract per scenario, quote currency, positive = loss, cover applied.

    Scenario s moves the price to ``price × (1 + price_scan_range × s.price_move)`` and the
    volatility to ``max(vol + s.vol_move × vol_scan_range, 0)`` (absolute vol points: 0.55 ± 0.1;
    floored at zero since a negative volatility means nothing). ``horizon_years`` shortens the
    option's time to expiry in every scenario (SPAN-style look-ahead); default 0 (instant move).
    The loss is ``−P&L × s.cover``. Options need every scenario price ≥ 0 and inverse contracts
    > 0, i.e. ``price_scan_range × |largest move|`` below 1; otherwise ValueError.

    For a linear future this is ``−multiplier × price × price_scan_range × price_move × cover``.

    >>> from zkmargin.models.scenario.grids import span16
    >>> losses = scenario_losses("future", None, None, 0, 500, False, 400, 0, 0.05, 0, span16(2))
    >>> [round(x, 2) for x in losses[:6]], losses[14:]
    ([0.0, 0.0, -3333.33, -3333.33, 3333.33, 3333.33], [-7000.0, 7000.0])
    """
    price, price_scan_range = float(price), float(price_scan_range)
    vol, vol_scan_range = float(vol), float(vol_scan_range)
    check_contract(kind, float(multiplier), price)
    for name, value in (
        ("price_scan_range", price_scan_range),
        ("vol_scan_range", vol_scan_range),
        ("vol", vol),
        ("t_years", float(t_years)),
        ("horizon_years", float(horizon_years)),
    ):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be finite and >= 0, got {value}")
    if kind == "option":
        check_right(right)
    new_t = max(float(t_years) - float(horizon_years), 0.0)
    losses = []
    for s in scenarios:
        change = price * price_scan_range * float(s.price_move)
        new_vol = max(vol + s.vol_move * vol_scan_range, 0.0)
        pnl = contract_pnl(
            kind, right, strike, t_years, multiplier, inverse, price, vol, change, new_vol, new_t
        )
        # Write 0.0 rather than -0.0 for a zero loss; keeps printed arrays clean.
        losses.append(-pnl * float(s.cover) + 0.0)
    return losses


def to_fixed(amount: float, decimals: int = MONEY_DECIMALS, round_up: bool = True) -> int:
    """``amount`` in units of 10^-decimals: snapped to decimals + 1 places, then rounded.

    The snap (round half-even to one digit past the target) absorbs float noise below half a
    tenth of a unit; then the value is rounded to the unit — toward +∞ (more loss) by default,
    or to nearest, ties to even, with ``round_up=False``. Computed on the float's exact rational
    value, so huge amounts lose nothing further.

    >>> to_fixed(3330.0000000001), to_fixed(0.000000001), to_fixed(-0.000000015)
    (333000000000, 1, -1)
    >>> to_fixed(0.125, decimals=2, round_up=False)
    12
    """
    amount = float(amount)
    if not math.isfinite(amount):
        raise ValueError(f"amount must be finite, got {amount}")
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    snapped = round(Fraction(amount) * 10 ** (decimals + 1))  # exact; ties to even
    if round_up:
        return -((-snapped) // 10)
    return round(Fraction(snapped, 10))


def losses_to_fixed(losses: Sequence[float]) -> list[int]:
    """Losses as fixed-point integers (scale 10^8), rounded UP toward more loss.

    Each float is first snapped to 9 decimals (so 3330.0000000001 stays 3330.00000000), then
    rounded to the next 10^-8 toward +∞: a gain of 0.000000015 becomes −0.00000001, a loss of
    0.000000011 becomes 0.00000002. The snap is the epsilon policy: float noise such as
    3330.0000000001 (a product that "should" be 3330) must not round up to 3330.00000001; the
    price is that a true loss within 5 × 10^-10 above a unit is rounded down onto it, an error
    of at most half a thousandth of the smallest money unit. See :func:`to_fixed`.

    >>> losses_to_fixed([3330.0000000001, -3330.0, 0.000000011])
    [333000000000, -333000000000, 2]
    """
    return [to_fixed(loss) for loss in losses]
