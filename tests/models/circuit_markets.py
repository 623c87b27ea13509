"""The small markets of the circuit tests (``MARKETS``, ``market(key)``).

Two or three instruments and short grids, so each circuit compiles in about a second. A module
of its own (not conftest) so tests import it by a name no other test folder uses.
"""

from __future__ import annotations

import copy
from typing import Any

from zkmargin.margin import Market, parse_market

ASSETS = {
    "USDT": {"price": "1"},
    "BTC": {"price": "65000", "haircut": [["0", "0.95"], ["100000", "0.9"], ["500000", "0.8"]]},
}
BRACKETS = [["0", "0.005", "0.02"], ["50000", "0.01", "0.03"], ["250000", "0.02", "0.05"]]
FINRA = ["-9", "-7", "-5", "-3", "-1", "1", "3", "5", "7", "9"]
BTC_CALL = {  # the scenario and greeks markets' option (each adds its own risk data)
    "kind": "option",
    "underlying": "BTC",
    "right": "call",
    "strike": "21000",
    "expiry": "2026-12-27T08:00:00Z",
}

MARKETS: dict[str, dict[str, Any]] = {
    "cross": {
        "epoch": "2026-11-20T08:00:00Z",
        "assets": ASSETS,
        "underlyings": {"BTC": {"price": "20000"}, "ETH": {"price": "3000"}},
        "instruments": {
            "BTC-PERP": {"kind": "perpetual", "underlying": "BTC", "brackets": BRACKETS},
            "ETH-PERP": {
                "kind": "perpetual",
                "underlying": "ETH",
                "multiplier": "0.1",
                "brackets": BRACKETS[:2],
            },
        },
        "model": {"name": "cross", "buffer": "0.1"},
    },
    "scenario": {
        "epoch": "2026-11-20T08:00:00Z",
        "assets": ASSETS,
        "underlyings": {
            "BTC": {"price": "20000", "short_option_minimum": "0.01"},
            "ETH": {
                "price": "3000",
                "vol": "0.7",
                "price_scan_range": "0.2",
                "vol_scan_range": "0.1",
            },
        },
        "instruments": {
            "BTC-PERP": {"kind": "perpetual", "underlying": "BTC", "risk_array": FINRA},
            "BTC-C": {
                **BTC_CALL,
                "risk_array": ["-1.5", "-1", "-0.25", "0", "0.5", "1", "1.25", "2", "2.5", "3.33"],
                "add_on": "0.7",
            },
            "ETH-FUT": {"kind": "future", "underlying": "ETH", "expiry": "2026-12-27T08:00:00Z"},
        },
        "model": {"name": "scenario", "grid": "finra10", "buffer": "0.05"},
    },
    "greeks": {
        "epoch": "2026-11-20T08:00:00Z",
        "assets": ASSETS,
        "underlyings": {
            "BTC": {
                "price": "20000",
                "vol": "0.6",
                "price_scan_range": "0.15",
                "vol_scan_range": "0.1",
                "short_option_minimum": "0.02",
            },
            "ETH": {"price": "3000"},  # no instruments: an empty group
        },
        "instruments": {
            "BTC-PERP": {"kind": "perpetual", "underlying": "BTC"},
            "BTC-C": dict(BTC_CALL),
            "BTC-P": {
                "kind": "option",
                "underlying": "BTC",
                "right": "put",
                "strike": "19000",
                "expiry": "2026-12-27T08:00:00Z",
                "add_on": "1.5",
            },
        },
        "model": {"name": "greeks", "initial_factor": "1.25", "level": "initial"},
    },
}
MARKETS["collateral"] = MARKETS["cross"]
MARKETS["cross_wide"] = copy.deepcopy(MARKETS["cross"])  # 6 brackets: the hinted-index path
MARKETS["cross_wide"]["instruments"]["BTC-PERP"]["brackets"] = [
    ["0", "0.004", "0.008"],
    ["10000", "0.005", "0.01"],
    ["50000", "0.01", "0.02"],
    ["250000", "0.025", "0.05"],
    ["1000000", "0.05", "0.1"],
    ["5000000", "0.1", "0.2"],
]
MARKETS["cross_initial"] = copy.deepcopy(MARKETS["cross"])
MARKETS["cross_initial"]["model"]["level"] = "initial"
MARKETS["scenario_initial"] = copy.deepcopy(MARKETS["scenario"])
MARKETS["scenario_initial"]["model"].update(level="initial", initial_factor="1.5", buffer="0")


def market(key: str, **model: str) -> Market:
    """The test market ``key``; ``model`` overrides entries of its model section (a buffer,
    say: a value, so the circuit compiled for ``key`` still fits)."""
    doc = copy.deepcopy(MARKETS[key])
    doc["model"].update(model)
    return parse_market(doc, f"{key}.json")
