"""The reference calculator: every account's requirement, collateral value, excess and health.

Accounts are processed in chunks (numpy arrays over accounts × instruments / assets), so an
iterator of a million accounts streams through in bounded memory. The figures of each model and
its integer intermediates (per-scenario losses, per-asset haircut values, ...) are exposed per
account and as arrays, for the circuit witness builders to consume.

>>> from zkmargin.margin.domain import Account
>>> from zkmargin.margin.market import parse_market
>>> m = parse_market({"epoch": "2026-11-20T08:00:00Z",
...     "assets": {"USDT": {"price": "1"}},
...     "underlyings": {"BTC": {"price": "20000"}},
...     "instruments": {"BTC-PERP": {"kind": "perpetual", "underlying": "BTC",
...                                  "brackets": [["0", "0.005", "0.02"]]}},
...     "model": {"name": "cross"}})
>>> r = calculate(m, [Account("u1", {"BTC-PERP": 10**8}, {"USDT": 150 * 10**8})])
>>> r.to_json()["accounts"][0]
{'id': 'u1', 'requirement': '100', 'collateral_value': '150', 'excess': '50', 'health': 'margin_call'}
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import numpy as np

from zkmargin.errors import InputError
from zkmargin.margin.arith import MODES, Arith
from zkmargin.margin.domain import LEVELS, Account, Market
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.margin.result import Result
from zkmargin.margin.tables import Tables, build_tables
from zkmargin.models.collateral.calculator import collateral_value
from zkmargin.models.health.calculator import health, threshold
from zkmargin.models.registry import MarginFn, calculator, market_models

CHUNK = 4096


def _matrices(ar: Arith, market: Market, accounts: list[Account]) -> tuple[np.ndarray, np.ndarray]:
    inst = {n: i for i, n in enumerate(market.instrument_names)}
    asset = {n: i for i, n in enumerate(market.asset_names)}
    q = [[0] * len(inst) for _ in accounts]
    b = [[0] * len(asset) for _ in accounts]
    for row_q, row_b, acc in zip(q, b, accounts, strict=True):
        for rows, index, section, what in (
            (row_q, inst, acc.positions, "instrument"),
            (row_b, asset, acc.collateral, "collateral asset"),
        ):
            for name, amount in section.items():
                if name not in index:
                    field_ = "positions" if rows is row_q else "collateral"
                    raise InputError(
                        "<accounts>", f"{field_}.{name}", f"unknown {what} {name!r}", acc.line
                    )
                rows[index[name]] = amount
    shape_q, shape_b = (len(accounts), len(inst)), (len(accounts), len(asset))
    return ar.array(np.array(q, dtype=object).reshape(shape_q)), ar.array(
        np.array(b, dtype=object).reshape(shape_b)
    )


def _chunk(
    ar: Arith,
    market: Market,
    tables: Tables,
    model: str,
    margin: MarginFn,
    level: str,
    accounts: list[Account],
    keep: bool,
) -> Result:
    q, b = _matrices(ar, market, accounts)
    values, haircut, value = collateral_value(ar, b, [market.assets[n] for n in market.assets])
    parts = dict(margin(ar, q, tables, market))
    maintenance = parts.pop("maintenance")
    initial = parts.pop("initial", None)
    if initial is None:
        initial = ar.ceil(maintenance * market.model.initial_factor, RATE_SCALE)
    requirement = initial if level == "initial" else maintenance
    buffer = market.model.buffer
    thr = threshold(ar, requirement, buffer)
    inter: dict[str, np.ndarray] = {}
    if keep:
        inter = {"positions": q, "balances": b, "asset_value": values, "haircut_value": haircut}
        inter.update(parts)
    return Result(
        model=model,
        level=level,
        mode=ar.name,
        buffer=buffer,
        ids=[a.id for a in accounts],
        maintenance=maintenance,
        initial=initial,
        requirement=requirement,
        threshold=thr,
        collateral_value=value,
        excess=value - thr,
        health=health(ar, value, initial, maintenance, buffer),
        intermediates=inter,
    )


def calculate_chunks(
    market: Market,
    accounts: Iterable[Account],
    model: str | None = None,
    level: str | None = None,
    mode: str = "exact",
    *,
    chunk_size: int = CHUNK,
    intermediates: bool = True,
) -> Iterator[Result]:
    """Like :func:`calculate`, one :class:`Result` per chunk of ``chunk_size`` accounts."""
    model = model or market.model.name
    level = level or market.model.level
    entries = calculator(model) if model in market_models() else None
    if entries is None:
        raise InputError(market.source, "model", f"unknown model {model!r}")
    if level not in LEVELS:
        raise InputError(market.source, "level", f"unknown level {level!r}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {sorted(MODES)}, got {mode!r}")
    tables = build_tables(market, model)
    it = iter(accounts)
    while chunk := list(itertools.islice(it, chunk_size)):
        yield _chunk(
            MODES[mode], market, tables, model, entries.margin, level, chunk, intermediates
        )


def calculate(
    market: Market,
    accounts: Iterable[Account],
    model: str | None = None,
    level: str | None = None,
    mode: str = "exact",
    *,
    chunk_size: int = CHUNK,
    intermediates: bool = True,
) -> Result:
    """Margin every account of ``accounts`` against ``market``.

    ``model`` (one of :func:`~zkmargin.models.registry.market_models`) and ``level`` (``initial``,
    ``maintenance``) default to the market's model section. ``mode="exact"`` uses the circuits'
    integer arithmetic; ``"float"`` the same formulas in float64 (a sanity check).
    ``intermediates=False`` drops the per-account intermediates to save memory.

    >>> from itertools import islice
    >>> from zkmargin.margin import example_paths, load_market, read_accounts
    >>> market_path, accounts_path = example_paths()
    >>> market = load_market(market_path)
    >>> result = calculate(market, islice(read_accounts(accounts_path, market), 20))
    >>> len(result), result.model, result.level, result.account(0).health
    (20, 'scenario', 'maintenance', 'healthy')
    """
    chunks = list(
        calculate_chunks(
            market,
            accounts,
            model,
            level,
            mode,
            chunk_size=chunk_size,
            intermediates=intermediates,
        )
    )
    if not chunks:
        ar = MODES[mode]
        empty = ar.zeros(0)
        return Result(
            model or market.model.name,
            level or market.model.level,
            mode,
            market.model.buffer,
            [],
            empty,
            empty,
            empty,
            empty,
            empty,
            empty,
            np.zeros(0, dtype=np.int64),
        )
    first = chunks[0]
    cat = lambda name: np.concatenate([getattr(c, name) for c in chunks])  # noqa: E731
    return Result(
        model=first.model,
        level=first.level,
        mode=first.mode,
        buffer=first.buffer,
        ids=[i for c in chunks for i in c.ids],
        maintenance=cat("maintenance"),
        initial=cat("initial"),
        requirement=cat("requirement"),
        threshold=cat("threshold"),
        collateral_value=cat("collateral_value"),
        excess=cat("excess"),
        health=cat("health"),
        intermediates={
            k: np.concatenate([c.intermediates[k] for c in chunks]) for k in first.intermediates
        },
    )


__all__ = ["CHUNK", "calculate", "calculate_chunks"]
