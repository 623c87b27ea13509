"""The margin layer: domain model, input formats and the reference margin calculator.

>>> from zkmargin.margin import example_paths, load_market, read_accounts, calculate
>>> market_path, accounts_path = example_paths()
>>> market = load_market(market_path)
>>> result = calculate(market, read_accounts(accounts_path, market))
>>> result.totals["accounts"] > 100
True
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Loaded on first use (PEP 562): importing one submodule (``zkmargin.margin.arith``, as every
# model's calculator does) then runs none of the others, so the models and the margin layer
# import each other's modules without a cycle through this package.
_HOMES = {
    "Account": "zkmargin.margin.domain",
    "AccountResult": "zkmargin.margin.result",
    "Asset": "zkmargin.margin.domain",
    "Bracket": "zkmargin.margin.domain",
    "HEALTH_NAMES": "zkmargin.models.health.calculator",
    "Instrument": "zkmargin.margin.domain",
    "IsolatedPosition": "zkmargin.models.cross.calculator",
    "IsolatedResult": "zkmargin.models.isolated.calculator",
    "Market": "zkmargin.margin.domain",
    "ModelConfig": "zkmargin.margin.domain",
    "Result": "zkmargin.margin.result",
    "Tables": "zkmargin.margin.tables",
    "Underlying": "zkmargin.margin.domain",
    "build_tables": "zkmargin.margin.tables",
    "calculate": "zkmargin.margin.calculator",
    "calculate_chunks": "zkmargin.margin.calculator",
    "example_paths": "zkmargin.margin.example",
    "isolated_linear_perpetual": "zkmargin.models.cross.calculator",
    "isolated_margin": "zkmargin.models.isolated.calculator",
    "load_market": "zkmargin.margin.market",
    "parse_account": "zkmargin.margin.accounts",
    "parse_market": "zkmargin.margin.market",
    "read_accounts": "zkmargin.margin.accounts",
    "with_amounts": "zkmargin.margin.domain",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)


__all__ = sorted(_HOMES)
