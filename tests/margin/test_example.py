"""The embedded example: reproducible from its generator, and shaped as issue 2 asks."""

from __future__ import annotations

import importlib.util
import json

from zkmargin.margin import calculate, example_paths, load_market, read_accounts
from zkmargin.margin.example import EXAMPLE_MARKET
from zkmargin.margin.fixed import MONEY_SCALE

MARKET, ACCOUNTS = example_paths()


def _generator():
    path = MARKET.parents[2] / "examples" / "make_example.py"
    spec = importlib.util.spec_from_file_location("make_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_what_the_generator_writes(tmp_path):
    gen = _generator()
    doc = gen.market()
    assert json.loads(MARKET.read_text()) == doc
    shipped = [json.loads(line) for line in ACCOUNTS.read_text().splitlines()]
    assert shipped == gen.accounts(doc)
    assert EXAMPLE_MARKET in {p.name for p in MARKET.parent.iterdir()}


def test_example_covers_the_asked_for_ground():
    market = load_market(MARKET)
    accounts = list(read_accounts(ACCOUNTS, market))
    assert 200 <= len(accounts) <= 1000
    held = {name for a in accounts for name in a.positions}
    kinds = {(market.instruments[n].kind, market.instruments[n].underlying) for n in held}
    for kind in ("perpetual", "future", "option"):
        assert {(kind, "BTC"), (kind, "ETH")} <= kinds
    assert any(market.instruments[n].inverse for n in held)
    assert len({asset for a in accounts for asset in a.collateral}) >= 3
    totals = calculate(market, accounts).totals
    # Some accounts are under-margined on purpose, most are fine.
    assert totals["liquidation"] >= 10 and totals["margin_call"] >= 10
    assert totals["healthy"] > len(accounts) // 2
    assert totals["shortfall"] > 0 and totals["requirement"] > 1000 * MONEY_SCALE
