"""Per-instrument constants, computed once per snapshot and shared by every account.

The constants every model shares are here (notional, short-option minimum, add-on, group); a
model's own come from its folder (its spec's ``instrument_rows``: the scenario model's priced
risk arrays, the Greeks model's charges). Float work happens there, once per instrument; its
results are turned into integers at money scale, rounded toward more requirement, and from then
on every per-account figure is exact integer arithmetic. Float twins feed the float mode.

>>> from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE
>>> unit_notional(Instrument("X", "future", "ES", 50 * PRICE_SCALE, 4000 * PRICE_SCALE))
20000000000000
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from zkmargin.errors import InputError
from zkmargin.margin.domain import Instrument, Market
from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE, RATE_SCALE, mul_ceil, parse_decimal
from zkmargin.models.registry import calculator, market_models

SECONDS_PER_YEAR = 365 * 24 * 3600


def unit_notional(inst: Instrument) -> int:
    """Quote-currency notional of one contract, money scale, rounded up.

    Linear: ``ceil(multiplier × price)``; inverse: the face value ``multiplier``.
    """
    if inst.inverse:
        return inst.multiplier * MONEY_SCALE // PRICE_SCALE
    return mul_ceil(inst.multiplier, inst.price, PRICE_SCALE * PRICE_SCALE // MONEY_SCALE)


def t_years(market: Market, inst: Instrument) -> float:
    """Time from the snapshot epoch to expiry in years of 365 days (0 without expiry)."""
    if inst.expiry is None:
        return 0.0
    return (inst.expiry - market.epoch).total_seconds() / SECONDS_PER_YEAR


def _vol(market: Market, inst: Instrument) -> int:
    return inst.vol if inst.vol is not None else market.underlyings[inst.underlying].vol


def pricer_args(market: Market, inst: Instrument) -> dict[str, object]:
    """The pricer's keyword arguments for one contract (floats, in natural units)."""
    return {
        "kind": inst.kind,
        "right": inst.right,
        "strike": None if inst.strike is None else inst.strike / PRICE_SCALE,
        "t_years": t_years(market, inst),
        "multiplier": inst.multiplier / PRICE_SCALE,
        "inverse": inst.inverse,
        "price": inst.price / PRICE_SCALE,
        "vol": _vol(market, inst) / RATE_SCALE,
    }


@dataclass(frozen=True)
class ModelRows:
    """A model's own per-instrument constants, one row per instrument in file order: exact
    integers (money scale, object array) and their float twins (float64, same units)."""

    exact: np.ndarray
    floats: np.ndarray


@dataclass(frozen=True)
class Tables:
    """Per-instrument constants in file order (arrays indexed by instrument).

    ``unit_notional``: per-contract notional; ``som``: short-option minimum per short contract;
    ``add_on``: add-on per contract held; ``group``: each instrument's underlying index into
    ``underlyings``; ``rows``: the model's own (its spec's ``instrument_rows``; scenario: the
    loss per long contract per scenario, greeks: its delta, gamma and vega charges).
    """

    underlyings: tuple[str, ...]
    group: np.ndarray
    unit_notional: np.ndarray
    som: np.ndarray
    add_on: np.ndarray
    rows: ModelRows | None

    def own_rows(self, exact: bool) -> np.ndarray:
        """The model's own rows, exact integers or their float twins."""
        if self.rows is None:
            raise ValueError("this model computes no per-instrument rows of its own")
        return self.rows.exact if exact else self.rows.floats


def instrument_error(market: Market, inst: Instrument, field: str, problem: str) -> InputError:
    """The error naming ``instruments.<name>.<field>`` of ``market`` (its line found on load)."""
    err = InputError(market.source, f"instruments.{inst.name}.{field}", problem)
    err.path = ["instruments", inst.name, field]  # lets the loader find the line
    return err


def decimal_parameter(market: Market, key: str, scale: int, default: str) -> int:
    """The model parameter ``key`` (``market.model.params``) as an integer at ``scale``; a
    value that does not parse is an :class:`InputError` naming ``model.<key>``."""
    try:
        return parse_decimal(market.model.params.get(key, default), scale)
    except ValueError as err:
        bad = InputError(market.source, f"model.{key}", str(err))
        bad.path = ["model", key]  # lets the loader find the line
        raise bad from None


def model_rows(
    market: Market,
    row: Callable[[Instrument], tuple[list, list]],
    field: str,
    problem: str,
) -> ModelRows:
    """:class:`ModelRows` from ``row(instrument) -> (exact values, float values)``; a
    ``ValueError`` becomes the instrument's ``field``: ``problem: why``."""
    exact, floats = [], []
    for inst in market.instruments.values():
        try:
            e, f = row(inst)
        except ValueError as err:
            raise instrument_error(market, inst, field, f"{problem}: {err}") from None
        exact.append(e)
        floats.append(f)
    width = len(exact[0]) if exact else 0
    shape = (len(exact), width)
    return ModelRows(_obj(exact, shape), np.array(floats, dtype=np.float64).reshape(shape))


def build_tables(market: Market, model: str | None = None) -> Tables:
    """Compute the per-instrument constants the named model (default: the market's) needs.

    Raises :class:`InputError` naming the instrument when the model cannot margin it.
    """
    name = model or market.model.name
    entries = calculator(name) if name in market_models() else None
    if entries is None:
        raise InputError(market.source, "model.name", f"unknown model {name!r}")
    rows_of = entries.instrument_rows
    insts = list(market.instruments.values())
    unds = tuple(market.underlyings)
    notional = [unit_notional(i) for i in insts]
    som = [
        mul_ceil(n, market.underlyings[i.underlying].short_option_minimum, RATE_SCALE)
        if i.kind == "option"
        else 0
        for i, n in zip(insts, notional, strict=True)
    ]
    return Tables(
        underlyings=unds,
        group=np.array([unds.index(i.underlying) for i in insts], dtype=np.int64),
        unit_notional=_obj(notional, (len(insts),)),
        som=_obj(som, (len(insts),)),
        add_on=_obj([i.add_on for i in insts], (len(insts),)),
        rows=rows_of(market) if rows_of is not None else None,
    )


def _obj(values: list, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    flat = [x for row in values for x in row] if len(shape) == 2 else list(values)
    out.reshape(-1)[:] = flat
    return out


def check_market(market: Market) -> None:
    """Check that the market's own model can margin every instrument (raises InputError)."""
    build_tables(market)
