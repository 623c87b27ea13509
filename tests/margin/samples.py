"""Market documents for the margin tests (built in code; see ``conftest.py`` for fixtures)."""

from __future__ import annotations

from typing import Any

# McMillan's SPAN example: PROFIT per long contract over SPAN's 16 scenarios (price scan range
# $10,000); the loss convention negates them.
MCMILLAN_FUTURE = [0, 0, 3330, 3330, -3330, -3330, 6670, 6670, -6670, -6670,
                   10000, 10000, -10000, -10000, 7000, -7000]  # fmt: skip
MCMILLAN_CALL = [460, -610, 2640, 1730, -1270, -2340, 5210, 4540, -2540, -3430,
                 8060, 7640, -3380, -3990, 3130, -1500]  # fmt: skip

BASE: dict[str, Any] = {
    "epoch": "2026-11-20T08:00:00Z",
    "assets": {
        "USDT": {"price": "1", "haircut": [["0", "1"]]},
        "BTC": {"price": "65000", "haircut": [["0", "0.95"], ["1000000", "0.9"]]},
    },
    "underlyings": {
        "BTC": {
            "price": "65000",
            "vol": "0.55",
            "price_scan_range": "0.16",
            "vol_scan_range": "0.1",
            "short_option_minimum": "0.01",
        },
        "SP": {"price": "410"},
    },
    "instruments": {
        "BTC-PERP": {
            "kind": "perpetual",
            "underlying": "BTC",
            "brackets": [["0", "0.004", "0.01"], ["50000", "0.005", "0.02"]],
        },
        "BTC-27DEC26-70000-C": {
            "kind": "option",
            "underlying": "BTC",
            "right": "call",
            "strike": "70000",
            "expiry": "2026-12-27T08:00:00Z",
        },
        "BTC-27DEC26-60000-P": {
            "kind": "option",
            "underlying": "BTC",
            "right": "put",
            "strike": "60000",
            "expiry": "2026-12-27T08:00:00Z",
        },
        "SP-FUT": {
            "kind": "future",
            "underlying": "SP",
            "multiplier": "500",
            "risk_array": [str(-x) for x in MCMILLAN_FUTURE],
        },
        "SP-DEC-410-C": {
            "kind": "option",
            "underlying": "SP",
            "right": "call",
            "strike": "410",
            "expiry": "2026-12-18T21:00:00Z",
            "multiplier": "500",
            "risk_array": [str(-x) for x in MCMILLAN_CALL],
        },
    },
    "model": {"name": "scenario", "grid": "span16", "grid_params": {"extreme_multiple": "2"}},
}
