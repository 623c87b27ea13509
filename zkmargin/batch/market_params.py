"""The canonical encoding of a market's parameters, and the market hash that binds them.

A batch circuit takes the market parameters as PRIVATE inputs and hashes them in-circuit; the
statement carries the hash, and a verifier recomputes it from the market file. So the encoding
must include every number any circuit consumes, in one documented order, and nothing a reader
could encode two ways.

The encoding is a list of field elements in two parts:

``structure`` (compile-time: the circuit is built for it, so a circuit feeds these as constants)
    ``[MARKET_TAG, model code, level code, QTY_SCALE, PRICE_SCALE, RATE_SCALE, MONEY_SCALE,
    A, U, I, S, tiers per asset (A entries), group per instrument (I), brackets per instrument
    (I)]`` — model codes :data:`MODEL_CODES`, level 0 = maintenance, 1 = initial; ``S`` is the
    number of scenarios (``scenario``), 3 (``greeks``: delta, gamma, vega) or 0.

``values`` (private witness inputs)
    ``[buffer, initial_factor]``, then per asset ``price, (floor, ratio) per tier``, then per
    instrument ``unit_notional, som, add_on, (floor, mmr, imr, mm_amount, im_amount) per
    bracket, S risk entries`` — risk entries are signed money (``x mod p``). Models use only
    their own sections: ``collateral`` has no instrument values, ``cross`` no som/add-on/risk
    (brackets only), ``scenario``/``greeks`` no brackets.

``market_hash = poseidon_sponge(structure + values)``. Every value must lie in its declared
window (:data:`WINDOWS`); :func:`market_params` raises ``ValueError`` otherwise, so a hash a
verifier accepts always names in-window parameters and the circuit can use them as ``Bounded``
values without range-checking them again.

>>> from zkmargin.margin import example_paths, load_market
>>> m = load_market(example_paths()[0])
>>> params = market_params(m)                       # the market's model: scenario
>>> params.structure()[:3] == [MARKET_TAG, MODEL_CODES["scenario"], LEVEL_CODES["maintenance"]]
True
>>> len(params.values()), market_hash(m) != market_hash(m, model="greeks")
(710, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any, Generic, TypeVar

from zkmargin.batch.encoding import text_tag
from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash import poseidon_sponge
from zkmargin.margin.domain import Market
from zkmargin.margin.fixed import (
    MONEY_SCALE,
    PRICE_SCALE,
    QTY_BOUND,
    QTY_SCALE,
    RATE_BOUND,
    RATE_SCALE,
    UNSIGNED_BOUND,
)
from zkmargin.margin.tables import Tables, build_tables

T = TypeVar("T")

MARKET_TAG = text_tag("zkmargin/market/v1")
MODEL_CODES = {"collateral": 0, "cross": 1, "scenario": 2, "greeks": 3}
LEVEL_CODES = {"maintenance": 0, "initial": 1}
GREEKS = 3

U64 = (0, UNSIGNED_BOUND - 1)
RATE = (0, RATE_SCALE)
WINDOWS: dict[str, tuple[int, int]] = {
    "buffer": (0, RATE_BOUND - 1),
    "initial_factor": (RATE_SCALE, RATE_BOUND - 1),
    "price": U64,
    "tier_floor": U64,
    "tier_ratio": RATE,
    "unit_notional": U64,
    "som": U64,
    "add_on": U64,
    "bracket_floor": U64,
    "bracket_rate": RATE,
    "bracket_amount": U64,
    "risk": (-(QTY_BOUND - 1), QTY_BOUND - 1),
}
"""The integer window of each kind of value (inclusive); the circuit's intervals for them."""


@dataclass(frozen=True)
class Tier:
    floor: Any
    ratio: Any


@dataclass(frozen=True)
class BracketRow:
    floor: Any
    mmr: Any
    imr: Any
    mm_amount: Any
    im_amount: Any


@dataclass(frozen=True)
class MarketParams(Generic[T]):
    """A market's parameters for one model: ints in the reference, wires in a circuit.

    ``model``, ``level``, ``group`` (each instrument's underlying index) and ``n_groups`` are
    structure; every other field holds values (type ``T``), walked in the canonical order by
    :meth:`map_values`.
    """

    model: str
    level: str
    group: tuple[int, ...]
    n_groups: int
    n_scenarios: int
    buffer: T
    initial_factor: T
    price: tuple[T, ...]
    tiers: tuple[tuple[Tier, ...], ...]
    unit_notional: tuple[T, ...]
    som: tuple[T, ...]
    add_on: tuple[T, ...]
    brackets: tuple[tuple[BracketRow, ...], ...]
    risk: tuple[tuple[T, ...], ...]

    @property
    def n_assets(self) -> int:
        return len(self.price)

    @property
    def n_instruments(self) -> int:
        return len(self.group)

    def structure(self) -> list[int]:
        """The compile-time part of the encoding (module docstring)."""
        return [
            MARKET_TAG,
            MODEL_CODES[self.model],
            LEVEL_CODES[self.level],
            QTY_SCALE,
            PRICE_SCALE,
            RATE_SCALE,
            MONEY_SCALE,
            self.n_assets,
            self.n_groups,
            self.n_instruments,
            self.n_scenarios,
            *(len(t) for t in self.tiers),
            *self.group,
            *(len(b) for b in self.brackets),
        ]

    def map_values(self, fn: Callable[[str, T], Any]) -> MarketParams:
        """The same parameters with every value replaced by ``fn(kind, value)``, called in the
        canonical order; ``kind`` keys :data:`WINDOWS`."""
        with_instruments = self.model != "collateral"
        charges = self.model in ("scenario", "greeks")
        buffer = fn("buffer", self.buffer)
        factor = fn("initial_factor", self.initial_factor)
        price, tiers = [], []
        for p, asset_tiers in zip(self.price, self.tiers, strict=True):
            price.append(fn("price", p))
            tiers.append(
                tuple(
                    Tier(fn("tier_floor", t.floor), fn("tier_ratio", t.ratio)) for t in asset_tiers
                )
            )
        un, som, add, brackets, risk = [], [], [], [], []
        for i in range(self.n_instruments if with_instruments else 0):
            un.append(fn("unit_notional", self.unit_notional[i]))
            if charges:
                som.append(fn("som", self.som[i]))
                add.append(fn("add_on", self.add_on[i]))
            rows = []
            for b in self.brackets[i]:
                rows.append(
                    BracketRow(
                        fn("bracket_floor", b.floor),
                        fn("bracket_rate", b.mmr),
                        fn("bracket_rate", b.imr),
                        fn("bracket_amount", b.mm_amount),
                        fn("bracket_amount", b.im_amount),
                    )
                )
            brackets.append(tuple(rows))
            risk.append(tuple(fn("risk", x) for x in self.risk[i]))
        return replace(
            self,
            buffer=buffer,
            initial_factor=factor,
            price=tuple(price),
            tiers=tuple(tiers),
            unit_notional=tuple(un),
            som=tuple(som),
            add_on=tuple(add),
            brackets=tuple(brackets),
            risk=tuple(risk),
        )

    def values(self) -> list[T]:
        """The value part of the encoding, in canonical order."""
        out: list[T] = []
        self.map_values(lambda _kind, v: out.append(v))
        return out

    def kinds(self) -> list[str]:
        """The :data:`WINDOWS` kind of each entry of :meth:`values`."""
        out: list[str] = []
        self.map_values(lambda kind, _v: out.append(kind))
        return out

    def with_values(self, values: Sequence[Any]) -> MarketParams:
        """These parameters' structure holding ``values`` (canonical order), e.g. circuit wires."""
        it: Iterator[Any] = iter(values)
        out = self.map_values(lambda _kind, _v: next(it))
        if next(it, None) is not None:
            raise ValueError("more values than the encoding has entries")
        return out

    def encoding(self, field: PrimeField = BN254_FR) -> list[int]:
        """``structure + values`` as field elements: the market hash's input."""
        return [x % field.p for x in self.structure() + self.values()]


def market_params(
    market: Market, tables: Tables | None = None, model: str | None = None
) -> MarketParams[int]:
    """The parameters ``model`` (default: the market's) consumes, checked against :data:`WINDOWS`.

    ``tables`` must be :func:`build_tables` of the same market and model (built when omitted);
    ``model="collateral"`` encodes the assets only.
    """
    model = model or market.model.name
    if model not in MODEL_CODES:
        raise ValueError(f"unknown model {model!r}; known: {', '.join(MODEL_CODES)}")
    cfg = market.model
    n_inst = len(market.instruments)
    if model == "collateral":
        group: tuple[int, ...] = ()
        un = som = add = ()
        brackets: tuple = ()
        risk: tuple = ()
        n_scen = 0
    else:
        tables = tables if tables is not None else build_tables(market, model)
        group = tuple(int(g) for g in tables.group)
        un = tuple(int(x) for x in tables.unit_notional)
        som = tuple(int(x) for x in tables.som)
        add = tuple(int(x) for x in tables.add_on)
        insts = [market.instruments[n] for n in market.instrument_names]
        if model == "cross":
            brackets = tuple(
                tuple(
                    BracketRow(b.floor, b.mmr, b.imr, b.mm_amount, b.im_amount) for b in i.brackets
                )
                for i in insts
            )
            risk, n_scen = ((),) * n_inst, 0
        else:
            table = tables.risk_exact if model == "scenario" else tables.greeks_exact
            if table is None:
                raise ValueError(f"tables were not built for model {model!r}")
            risk = tuple(tuple(int(x) for x in row) for row in table)
            n_scen = table.shape[1]
            brackets = ((),) * n_inst
    params: MarketParams[int] = MarketParams(
        model=model,
        level=cfg.level,
        group=group,
        n_groups=len(market.underlyings) if model != "collateral" else 0,
        n_scenarios=n_scen,
        buffer=cfg.buffer,
        initial_factor=cfg.initial_factor,
        price=tuple(a.price for a in market.assets.values()),
        tiers=tuple(tuple(Tier(f, r) for f, r in a.haircut) for a in market.assets.values()),
        unit_notional=un,
        som=som,
        add_on=add,
        brackets=brackets,
        risk=risk,
    )
    params.map_values(_check_window)
    for label, tiers in [
        *((f"asset {n} haircut", [t for t, _ in a.haircut]) for n, a in market.assets.items()),
        *((f"instrument {j} brackets", [b.floor for b in rows]) for j, rows in enumerate(brackets)),
    ]:
        # The circuit reads tiers as increasing floors from 0 (the loader's rule): re-check it.
        if tiers and (tiers[0] != 0 or any(b <= a for a, b in pairwise(tiers))):
            raise ValueError(f"{label}: floors must start at 0 and strictly increase")
    return params


def _check_window(kind: str, value: int) -> int:
    lo, hi = WINDOWS[kind]
    if not lo <= value <= hi:
        raise ValueError(
            f"market parameter {kind} = {value} outside the circuit window [{lo}, {hi}]"
        )
    return value


def market_hash(
    market: Market,
    tables: Tables | None = None,
    model: str | None = None,
    field: PrimeField = BN254_FR,
) -> int:
    """Poseidon sponge of the market's canonical encoding for ``model`` (module docstring)."""
    return params_hash(market_params(market, tables, model), field)


@lru_cache(maxsize=64)
def params_hash(params: MarketParams[int], field: PrimeField = BN254_FR) -> int:
    """:func:`market_hash` of already-encoded parameters (cached: batches share one market)."""
    return poseidon_sponge(params.encoding(field), field)
