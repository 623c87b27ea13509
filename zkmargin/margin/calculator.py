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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zkmargin.errors import InputError
from zkmargin.margin.arith import MODES, Arith
from zkmargin.margin.domain import LEVELS, Account, Market
from zkmargin.margin.fixed import MONEY_SCALE, RATE_SCALE, format_decimal
from zkmargin.margin.tables import Tables, build_tables
from zkmargin.models.collateral.calculator import collateral_value
from zkmargin.models.health.calculator import HEALTH_NAMES, health, threshold
from zkmargin.models.registry import MarginFn, calculator, market_models

CHUNK = 4096


@dataclass(frozen=True)
class AccountResult:
    """One account's figures (money scale) and its intermediates (row slices)."""

    id: str
    requirement: Any
    collateral_value: Any
    excess: Any
    health: str
    maintenance: Any
    initial: Any
    intermediates: dict[str, Any]


@dataclass
class Result:
    """Figures per account (arrays over accounts, in input order) and their totals.

    ``requirement`` is the chosen level's requirement; ``threshold`` the buffered requirement
    the collateral value must reach; ``excess = collateral_value − threshold``. Exact mode holds
    Python ints (object arrays), float mode float64 in the same units.

    ``intermediates`` (first axis: accounts) for witness builders: always ``positions``
    (× instruments, file order), ``balances``, ``asset_value`` and ``haircut_value``
    (× assets); ``cross``: ``notional``, ``bracket``, ``mm_each``, ``im_each`` (× instruments);
    ``scenario``: ``losses`` (× underlyings × scenarios), ``scan``; ``greeks``: ``delta``,
    ``gamma``, ``vega``; both: ``som``, ``add_on``, ``requirement_by_group`` (× underlyings).
    """

    model: str
    level: str
    mode: str
    buffer: int
    ids: list[str]
    maintenance: np.ndarray
    initial: np.ndarray
    requirement: np.ndarray
    threshold: np.ndarray
    collateral_value: np.ndarray
    excess: np.ndarray
    health: np.ndarray
    intermediates: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def account(self, i: int) -> AccountResult:
        """The figures of the ``i``-th account."""
        return AccountResult(
            id=self.ids[i],
            requirement=self.requirement[i],
            collateral_value=self.collateral_value[i],
            excess=self.excess[i],
            health=HEALTH_NAMES[int(self.health[i])],
            maintenance=self.maintenance[i],
            initial=self.initial[i],
            intermediates={k: v[i] for k, v in self.intermediates.items()},
        )

    def __iter__(self) -> Iterator[AccountResult]:
        return (self.account(i) for i in range(len(self)))

    @property
    def totals(self) -> dict[str, Any]:
        """Sums over accounts (money scale) and the count of accounts per health state."""
        out: dict[str, Any] = {"accounts": len(self)}
        for name in ("requirement", "collateral_value", "excess"):
            out[name] = _sum(getattr(self, name), self.mode)
        out["shortfall"] = _sum(np.maximum(-self.excess, 0), self.mode)
        for code, name in enumerate(HEALTH_NAMES):
            out[name] = int(np.count_nonzero(self.health == code))
        return out

    def rows(self) -> Iterator[dict[str, str]]:
        """Per account, the ``--json`` record: id, figures as decimal strings, health."""
        for a in self:
            yield {
                "id": a.id,
                "requirement": money_text(a.requirement),
                "collateral_value": money_text(a.collateral_value),
                "excess": money_text(a.excess),
                "health": a.health,
            }

    def to_json(self) -> dict[str, Any]:
        """The ``zkmargin calc --json`` document: figures as decimal strings."""
        return {
            "model": self.model,
            "level": self.level,
            "accounts": list(self.rows()),
            "totals": totals_json(self.totals),
        }


def money_text(x: Any) -> str:
    """A money figure (exact int, or float in the same units) as a decimal string."""
    return format_decimal(_int(x), MONEY_SCALE)


def totals_json(totals: dict[str, Any]) -> dict[str, Any]:
    """Totals with money figures as decimal strings and counts as integers."""
    return {k: v if k in _COUNTS else money_text(v) for k, v in totals.items()}


def add_totals(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Totals of two disjoint sets of accounts (every entry is additive)."""
    return {k: a.get(k, 0) + b[k] for k in b}


_COUNTS = {"accounts", *HEALTH_NAMES}


def _int(x: Any) -> int:
    return int(x) if isinstance(x, int | np.integer) else round(float(x))


def _sum(a: np.ndarray, mode: str) -> Any:
    return int(sum(a.tolist())) if mode == "exact" else float(np.sum(a))


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


__all__ = ["AccountResult", "Result", "calculate", "calculate_chunks"]
