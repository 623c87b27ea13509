"""The margin layer: domain model, input formats and the reference margin calculator.

>>> from zkmargin.margin import example_paths, load_market, read_accounts, calculate
>>> market_path, accounts_path = example_paths()
>>> market = load_market(market_path)
>>> result = calculate(market, read_accounts(accounts_path, market))
>>> result.totals["accounts"] > 100
True
"""

from __future__ import annotations

from zkmargin.margin.accounts import parse_account, read_accounts
from zkmargin.margin.calculator import calculate, calculate_chunks
from zkmargin.margin.domain import (
    Account,
    Asset,
    Bracket,
    Instrument,
    Market,
    ModelConfig,
    Underlying,
    with_amounts,
)
from zkmargin.margin.example import example_paths
from zkmargin.margin.market import load_market, parse_market
from zkmargin.margin.result import AccountResult, Result
from zkmargin.margin.tables import Tables, build_tables
from zkmargin.models.cross.calculator import IsolatedPosition, isolated_linear_perpetual
from zkmargin.models.health.calculator import HEALTH_NAMES
from zkmargin.models.isolated.calculator import IsolatedResult, isolated_margin

__all__ = [
    "HEALTH_NAMES",
    "Account",
    "AccountResult",
    "Asset",
    "Bracket",
    "Instrument",
    "IsolatedPosition",
    "IsolatedResult",
    "Market",
    "ModelConfig",
    "Result",
    "Tables",
    "Underlying",
    "build_tables",
    "calculate",
    "calculate_chunks",
    "example_paths",
    "isolated_linear_perpetual",
    "isolated_margin",
    "load_market",
    "parse_account",
    "parse_market",
    "read_accounts",
    "with_amounts",
]
