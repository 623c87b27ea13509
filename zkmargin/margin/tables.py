"""Per-instrument constants, computed once per snapshot and shared by every account.

Float work (pricing risk arrays, Greeks) happens here, once per instrument; its results are
turned into integers at money scale, rounded toward more requirement, and from then on every
per-account figure is exact integer arithmetic. Float twins of each table feed the float mode.

>>> from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE
>>> unit_notional(Instrument("X", "future", "ES", 50 * PRICE_SCALE, 4000 * PRICE_SCALE))
20000000000000
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from zkmargin.errors import InputError
from zkmargin.margin.domain import Instrument, Market, ModelConfig
from zkmargin.margin.fixed import (
    MONEY_SCALE,
    PRICE_SCALE,
    RATE_SCALE,
    mul_ceil,
)
from zkmargin.margin.pricing import scenario_losses, to_fixed
from zkmargin.models.greeks.sensitivities import greeks
from zkmargin.models.scenario.grids import Scenario, grid

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


def _grid_params(config: ModelConfig) -> dict[str, object]:
    # Decimal strings from the file; an integral one becomes an int (crypto's ``steps``).
    return {k: int(v) if "." not in v else Fraction(v) for k, v in config.grid_params.items()}


def scenarios(config: ModelConfig) -> tuple[Scenario, ...]:
    """The model's scenario grid, built from its name and parameters."""
    return grid(config.grid, **_grid_params(config))


def _vol(market: Market, inst: Instrument) -> int:
    return inst.vol if inst.vol is not None else market.underlyings[inst.underlying].vol


def _pricer_args(market: Market, inst: Instrument) -> dict[str, object]:
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
class Tables:
    """Per-instrument constants in file order (arrays indexed by instrument, then scenario).

    ``risk_exact``/``risk_float``: loss per long contract per scenario (money scale);
    ``unit_notional``: per-contract notional; ``som``: short-option minimum per short contract;
    ``add_on``: add-on per contract held; ``delta``/``gamma``/``vega`` (+ ``_float``): Greeks
    charges per long contract for a full shock (gamma as a loss, rounded up).
    ``group``: each instrument's underlying index into ``underlyings``.
    """

    underlyings: tuple[str, ...]
    group: np.ndarray
    unit_notional: np.ndarray
    som: np.ndarray
    add_on: np.ndarray
    risk_exact: np.ndarray | None
    risk_float: np.ndarray | None
    greeks_exact: np.ndarray | None
    greeks_float: np.ndarray | None


def _risk_row(market: Market, inst: Instrument, grid_: tuple[Scenario, ...]) -> tuple[list, list]:
    if inst.risk_array is not None:
        return list(inst.risk_array), [float(x) for x in inst.risk_array]
    u = market.underlyings[inst.underlying]
    losses = scenario_losses(
        **_pricer_args(market, inst),
        price_scan_range=u.price_scan_range / RATE_SCALE,
        vol_scan_range=u.vol_scan_range / RATE_SCALE,
        scenarios=grid_,
    )
    return [to_fixed(x) for x in losses], [x * MONEY_SCALE for x in losses]


def _greeks_row(market: Market, inst: Instrument) -> tuple[list, list]:
    """(delta, gamma, vega) charges per long contract for the underlying's shocks.

    delta: P&L of a full price shock up (signed, nearest); gamma: loss from convexity under
    the shock, −½·Γ·(S·shock)² (rounded up); vega: P&L of a full vol shock up (signed, nearest).
    """
    u = market.underlyings[inst.underlying]
    g = greeks(**_pricer_args(market, inst))
    move = u.price / PRICE_SCALE * u.price_scan_range / RATE_SCALE
    values = (g.delta * move, -0.5 * g.gamma * move * move, g.vega * u.vol_scan_range / RATE_SCALE)
    exact = [to_fixed(v, round_up=(i == 1)) for i, v in enumerate(values)]
    return exact, [v * MONEY_SCALE for v in values]


def build_tables(market: Market, model: str | None = None) -> Tables:
    """Compute the per-instrument constants the named model (default: the market's) needs.

    Raises :class:`InputError` naming the instrument when the model cannot margin it.
    """
    model = model or market.model.name
    names = market.instrument_names
    unds = tuple(market.underlyings)
    insts = [market.instruments[n] for n in names]
    notional = [unit_notional(i) for i in insts]
    som = [
        mul_ceil(n, market.underlyings[i.underlying].short_option_minimum, RATE_SCALE)
        if i.kind == "option"
        else 0
        for i, n in zip(insts, notional, strict=True)
    ]
    risk_exact = risk_float = greeks_exact = greeks_float = None

    def fail(inst: Instrument, field: str, problem: str) -> InputError:
        err = InputError(market.source, f"instruments.{inst.name}.{field}", problem)
        err.path = ["instruments", inst.name, field]  # lets the loader find the line
        return err

    if model == "cross":
        for inst in insts:
            if not inst.brackets:
                raise fail(inst, "brackets", "required by model 'cross'")
    elif model == "scenario":
        try:
            grid_ = scenarios(market.model)
        except ValueError as err:
            bad = InputError(market.source, "model.grid_params", str(err))
            bad.path = ["model", "grid_params"]
            raise bad from None
        rows = []
        for inst in insts:
            if inst.risk_array is not None and len(inst.risk_array) != len(grid_):
                raise fail(
                    inst,
                    "risk_array",
                    f"has {len(inst.risk_array)} entries, grid {market.model.grid!r} "
                    f"has {len(grid_)} scenarios",
                )
            try:
                rows.append(_risk_row(market, inst, grid_))
            except ValueError as err:
                raise fail(inst, "risk_array", f"cannot price: {err}") from None
        shape = (len(insts), len(grid_))
        risk_exact = _obj([r[0] for r in rows], shape)
        risk_float = np.array([r[1] for r in rows], dtype=np.float64).reshape(shape)
    elif model == "greeks":
        rows = []
        for inst in insts:
            try:
                rows.append(_greeks_row(market, inst))
            except ValueError as err:
                raise fail(inst, "kind", f"cannot compute Greeks: {err}") from None
        greeks_exact = _obj([r[0] for r in rows], (len(insts), 3))
        greeks_float = np.array([r[1] for r in rows], dtype=np.float64).reshape(len(insts), 3)
    elif model != "collateral":  # collateral: no per-instrument constants
        raise InputError(market.source, "model.name", f"unknown model {model!r}")
    return Tables(
        underlyings=unds,
        group=np.array([unds.index(i.underlying) for i in insts], dtype=np.int64),
        unit_notional=_obj(notional, (len(insts),)),
        som=_obj(som, (len(insts),)),
        add_on=_obj([i.add_on for i in insts], (len(insts),)),
        risk_exact=risk_exact,
        risk_float=risk_float,
        greeks_exact=greeks_exact,
        greeks_float=greeks_float,
    )


def _obj(values: list, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    flat = [x for row in values for x in row] if len(shape) == 2 else list(values)
    out.reshape(-1)[:] = flat
    return out


def check_market(market: Market) -> None:
    """Check that the market's own model can margin every instrument (raises InputError)."""
    build_tables(market)
