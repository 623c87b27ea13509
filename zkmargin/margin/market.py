"""Loading a market snapshot (JSON): schema validation, then exact conversion to typed objects.

>>> import json, tempfile, pathlib
>>> doc = {"epoch": "2026-11-20T08:00:00Z",
...        "assets": {"USDT": {"price": "1"}},
...        "underlyings": {"BTC": {"price": "65000", "price_scan_range": "0.16"}},
...        "instruments": {"BTC-PERP": {"kind": "perpetual", "underlying": "BTC"}},
...        "model": {"name": "scenario", "grid": "crypto"}}
>>> m = parse_market(doc, "m.json")
>>> m.instruments["BTC-PERP"].price == m.underlyings["BTC"].price
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zkmargin.errors import InputError
from zkmargin.json_input import load_json_text
from zkmargin.margin.domain import (
    Asset,
    Bracket,
    Instrument,
    Market,
    ModelConfig,
    Underlying,
    with_amounts,
)
from zkmargin.margin.fixed import (
    MONEY_SCALE,
    PRICE_SCALE,
    QTY_BOUND,
    RATE_BOUND,
    RATE_SCALE,
    UNSIGNED_BOUND,
    parse_decimal,
)
from zkmargin.margin.schema import NAME, field_name, invalid_name, locate, validate_or_raise
from zkmargin.margin.tables import check_market
from zkmargin.models.registry import model_parameters


class _Ctx:
    """Where we are in the file, so every error names file, line and field."""

    def __init__(self, file: str, text: str | None) -> None:
        self.file, self.text = file, text

    def error(self, path: Sequence[Any], problem: str) -> InputError:
        line = locate(self.text, path) if self.text is not None else None
        return InputError(self.file, field_name(path), problem, line=line)

    def num(
        self,
        obj: Mapping[str, Any],
        key: Any,
        path: Sequence[Any],
        scale: int,
        *,
        default: str | None = None,
        signed: bool = False,
        bound: int = UNSIGNED_BOUND,
    ) -> int:
        raw = obj[key] if (isinstance(obj, Sequence) or key in obj) else default
        if raw is None:
            raise self.error([*path, key], "is required")
        try:
            return parse_decimal(raw, scale, signed=signed, bound=bound)
        except ValueError as err:
            raise self.error([*path, key], str(err)) from None


def _time(ctx: _Ctx, text: str, path: Sequence[Any]) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ctx.error(path, f"not a UTC time: {text!r}") from None


def _tiers(ctx: _Ctx, rows: Sequence[Any], path: list[Any], what: str) -> None:
    """Floors must start at 0 and strictly increase (one tier per range of value/notional)."""
    prev = -1
    for i, row in enumerate(rows):
        floor = parse_decimal(row[0], MONEY_SCALE)
        if (i == 0 and floor != 0) or floor <= prev:
            problem = "first floor must be 0" if i == 0 else "floors must strictly increase"
            raise ctx.error([*path, i, 0], f"{what}: {problem}")
        prev = floor


def _asset(ctx: _Ctx, name: str, doc: Mapping[str, Any]) -> Asset:
    path: list[Any] = ["assets", name]
    price = ctx.num(doc, "price", path, PRICE_SCALE)
    rows = doc.get("haircut", [["0", "1"]])
    tiers = []
    for i, row in enumerate(rows):
        floor = ctx.num(row, 0, [*path, "haircut", i], MONEY_SCALE)
        ratio = ctx.num(row, 1, [*path, "haircut", i], RATE_SCALE, bound=RATE_SCALE + 1)
        tiers.append((floor, ratio))
    _tiers(ctx, rows, [*path, "haircut"], "haircut")
    return Asset(name, price, tuple(tiers))


def _underlying(ctx: _Ctx, name: str, doc: Mapping[str, Any]) -> Underlying:
    path = ["underlyings", name]
    rate = {"bound": RATE_BOUND, "default": "0"}
    psr = ctx.num(doc, "price_scan_range", path, RATE_SCALE, **rate)
    if psr >= RATE_SCALE:
        raise ctx.error([*path, "price_scan_range"], "must be below 1 (a move of 100 % or more)")
    return Underlying(
        name=name,
        price=ctx.num(doc, "price", path, PRICE_SCALE),
        vol=ctx.num(doc, "vol", path, RATE_SCALE, **rate),
        price_scan_range=psr,
        vol_scan_range=ctx.num(doc, "vol_scan_range", path, RATE_SCALE, **rate),
        short_option_minimum=ctx.num(doc, "short_option_minimum", path, RATE_SCALE, **rate),
    )


_OPTION_ONLY = ("right", "strike", "vol")


def _instrument(
    ctx: _Ctx, name: str, doc: Mapping[str, Any], underlyings: Mapping[str, Underlying], epoch
) -> Instrument:
    path: list[Any] = ["instruments", name]
    kind = doc["kind"]
    if doc["underlying"] not in underlyings:
        raise ctx.error([*path, "underlying"], f"unknown underlying {doc['underlying']!r}")
    under = underlyings[doc["underlying"]]
    if kind == "option":
        for key in ("right", "strike", "expiry"):
            if key not in doc:
                raise ctx.error([*path, key], "is required for an option")
    else:
        for key in _OPTION_ONLY:
            if key in doc:
                raise ctx.error([*path, key], f"only options have {key!r}")
    if kind == "perpetual" and "expiry" in doc:
        raise ctx.error([*path, "expiry"], "a perpetual has no expiry")
    expiry = None
    if "expiry" in doc:
        expiry = _time(ctx, doc["expiry"], [*path, "expiry"])
        if expiry <= epoch:
            raise ctx.error([*path, "expiry"], "expired at or before the snapshot epoch")
    multiplier = ctx.num(doc, "multiplier", path, PRICE_SCALE, default="1")
    if multiplier == 0:
        raise ctx.error([*path, "multiplier"], "must be positive")
    brackets = []
    for i, row in enumerate(doc.get("brackets", [])):
        p = [*path, "brackets", i]
        floor = ctx.num(row, 0, p, MONEY_SCALE)
        mmr = ctx.num(row, 1, p, RATE_SCALE, bound=RATE_SCALE + 1)
        imr = ctx.num(row, 2, p, RATE_SCALE, bound=RATE_SCALE + 1)
        if mmr > imr:
            raise ctx.error([*p, 1], "maintenance rate above initial rate")
        brackets.append(Bracket(floor, mmr, imr))
    _tiers(ctx, doc.get("brackets", []), [*path, "brackets"], "brackets")
    risk_array = None
    if "risk_array" in doc:
        risk_array = tuple(
            ctx.num(
                doc["risk_array"],
                i,
                [*path, "risk_array"],
                MONEY_SCALE,
                signed=True,
                bound=QTY_BOUND,
            )
            for i in range(len(doc["risk_array"]))
        )
    price = (
        ctx.num(doc, "price", path, PRICE_SCALE, default=None) if "price" in doc else under.price
    )
    strike = ctx.num(doc, "strike", path, PRICE_SCALE) if "strike" in doc else None
    if strike == 0:
        raise ctx.error([*path, "strike"], "must be positive")
    return Instrument(
        name=name,
        kind=kind,
        underlying=under.name,
        multiplier=multiplier,
        price=price,
        inverse=bool(doc.get("inverse", False)),
        right=doc.get("right"),
        strike=strike,
        expiry=expiry,
        vol=ctx.num(doc, "vol", path, RATE_SCALE, bound=RATE_BOUND) if "vol" in doc else None,
        brackets=with_amounts(brackets),
        risk_array=risk_array,
        add_on=ctx.num(doc, "add_on", path, MONEY_SCALE, default="0"),
    )


def _model(ctx: _Ctx, doc: Mapping[str, Any]) -> ModelConfig:
    path = ["model"]
    factor = ctx.num(doc, "initial_factor", path, RATE_SCALE, default="1", bound=RATE_BOUND)
    if factor < RATE_SCALE:
        raise ctx.error([*path, "initial_factor"], "must be at least 1 (initial >= maintenance)")
    return ModelConfig(
        name=doc["name"],
        grid=doc.get("grid", "span16"),
        grid_params=dict(doc.get("grid_params", {})),
        level=doc.get("level", "maintenance"),
        buffer=ctx.num(doc, "buffer", path, RATE_SCALE, default="0", bound=RATE_BOUND),
        initial_factor=factor,
        grace=ctx.num(doc, "grace", path, 1, default="0"),
        params={k: v for k, v in doc.items() if k in model_parameters()},
    )


def parse_market(
    doc: Any, file: str = "<market>", text: str | None = None, *, price: bool = True
) -> Market:
    """Validate a parsed market document against the schema and convert it to a :class:`Market`.

    ``text`` (the raw JSON) lets errors name the line of the offending field. ``price=False``
    skips the check that the market's model can margin every instrument (it runs the
    floating-point pricers): for readers that use names, epoch and decimals only, such as the
    report verifier, which reads the integers the circuits consumed instead.
    """
    validate_or_raise(doc, "market", file, text=text)
    ctx = _Ctx(file, text)
    for section in ("assets", "underlyings", "instruments"):
        for name in doc[section]:
            if not NAME.fullmatch(name):
                raise ctx.error([section], invalid_name(name))
    epoch = _time(ctx, doc["epoch"], ["epoch"])
    assets = {name: _asset(ctx, name, a) for name, a in doc["assets"].items()}
    unds = {name: _underlying(ctx, name, u) for name, u in doc["underlyings"].items()}
    instruments = {
        name: _instrument(ctx, name, i, unds, epoch) for name, i in doc["instruments"].items()
    }
    market = Market(epoch, assets, unds, instruments, _model(ctx, doc["model"]), source=file)
    try:
        if price:
            check_market(market)
    except InputError as err:
        raise ctx.error(getattr(err, "path", [err.field]), err.problem) from None
    return market


def load_market(path: str | Path, *, price: bool = True) -> Market:
    """Read and validate a market snapshot file (``price``: as in :func:`parse_market`).

    Raises :class:`~zkmargin.errors.InputError` (file, line, field, problem) on any bad input.

    >>> from zkmargin.margin.example import example_paths
    >>> market = load_market(example_paths()[0])
    >>> market.model.name, market.model.level, sorted(market.assets)
    ('scenario', 'maintenance', ['BTC', 'ETH', 'USDC', 'USDT'])
    """
    doc, text = load_json_text(path)
    return parse_market(doc, str(path), text, price=price)
