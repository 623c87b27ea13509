"""Write the embedded example snapshot into ``zkmargin/data/`` (fixed seed: same bytes each run).

A market over BTC and ETH (linear and inverse perpetuals, dated futures, calls and puts) with
four collateral assets, and a few hundred accounts. Each account's collateral is sized against
its own requirement from the reference calculator: most hold a comfortable surplus, some sit
between the maintenance and initial requirement (margin call) and some below maintenance
(liquidation), on purpose.

    python examples/make_example.py            # rewrites zkmargin/data/example_*
    python examples/make_example.py --out DIR  # writes elsewhere
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from decimal import Decimal
from pathlib import Path

from zkmargin.margin import Account, calculate, parse_market
from zkmargin.margin.example import EXAMPLE_ACCOUNTS, EXAMPLE_MARKET
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE, parse_decimal

SEED = 20261120
ACCOUNTS = 300
DATA = Path(__file__).resolve().parent.parent / "zkmargin" / "data"

BTC_BRACKETS = [
    ["0", "0.004", "0.008"],
    ["50000", "0.005", "0.01"],
    ["250000", "0.01", "0.02"],
    ["1000000", "0.025", "0.05"],
    ["10000000", "0.05", "0.1"],
]
ETH_BRACKETS = [["0", "0.005", "0.01"], ["100000", "0.0065", "0.0133"], ["1000000", "0.01", "0.02"]]


def market() -> dict:
    """The example market snapshot document."""
    instruments: dict[str, dict] = {
        "BTC-PERP": {"kind": "perpetual", "underlying": "BTC", "brackets": BTC_BRACKETS},
        "BTCUSD-PERP": {
            "kind": "perpetual",
            "underlying": "BTC",
            "multiplier": "100",
            "inverse": True,
            "brackets": BTC_BRACKETS,
        },
        "BTC-27DEC26": {
            "kind": "future",
            "underlying": "BTC",
            "price": "65420.5",
            "expiry": "2026-12-27T08:00:00Z",
            "brackets": BTC_BRACKETS,
        },
        "ETH-PERP": {"kind": "perpetual", "underlying": "ETH", "brackets": ETH_BRACKETS},
        "ETH-27DEC26": {
            "kind": "future",
            "underlying": "ETH",
            "price": "3412.25",
            "expiry": "2026-12-27T08:00:00Z",
            "brackets": ETH_BRACKETS,
        },
    }
    for und, strikes, expiries in (
        ("BTC", ["60000", "65000", "70000"], ["27DEC26", "26MAR27"]),
        ("ETH", ["3000", "3400", "4000"], ["27DEC26"]),
    ):
        for exp in expiries:
            iso = {"27DEC26": "2026-12-27T08:00:00Z", "26MAR27": "2027-03-26T08:00:00Z"}[exp]
            for strike in strikes:
                for right in ("call", "put"):
                    name = f"{und}-{exp}-{strike}-{right[0].upper()}"
                    instruments[name] = {
                        "kind": "option",
                        "underlying": und,
                        "right": right,
                        "strike": strike,
                        "expiry": iso,
                        # brackets on every instrument: the example works under cross margin too
                        "brackets": BTC_BRACKETS if und == "BTC" else ETH_BRACKETS,
                    }
    return {
        "epoch": "2026-11-20T08:00:00Z",
        "assets": {
            "USDT": {"price": "1", "haircut": [["0", "1"]]},
            "USDC": {"price": "0.9998", "haircut": [["0", "0.98"]]},
            "BTC": {
                "price": "65000",
                "haircut": [["0", "0.95"], ["1000000", "0.9"], ["5000000", "0.8"]],
            },
            "ETH": {"price": "3400", "haircut": [["0", "0.9"], ["500000", "0.85"]]},
        },
        "underlyings": {
            "BTC": {
                "price": "65000",
                "vol": "0.55",
                "price_scan_range": "0.16",
                "vol_scan_range": "0.1",
                "short_option_minimum": "0.01",
            },
            "ETH": {
                "price": "3400",
                "vol": "0.7",
                "price_scan_range": "0.2",
                "vol_scan_range": "0.12",
                "short_option_minimum": "0.01",
            },
        },
        "instruments": instruments,
        "model": {
            "name": "scenario",
            "grid": "crypto",
            "level": "maintenance",
            "buffer": "0.05",
            "initial_factor": "1.25",
        },
    }


def _dec(value: Decimal, places: int) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _positions(rng: random.Random, names: list[str]) -> dict[str, str]:
    out = {}
    for name in rng.sample(names, rng.randint(1, 4)):
        if name.startswith("BTCUSD"):
            qty = Decimal(rng.randint(1, 500))  # contracts of 100 USD
        elif "-C" in name[-2:] or "-P" in name[-2:]:
            qty = Decimal(rng.randint(1, 40)) / 10
        elif name.startswith("BTC"):
            qty = Decimal(rng.randint(1, 3000)) / 1000
        else:
            qty = Decimal(rng.randint(1, 400)) / 10
        out[name] = _dec(qty if rng.random() < 0.55 else -qty, 8)
    return out


def accounts(market_doc: dict, count: int = ACCOUNTS, seed: int = SEED) -> list[dict]:
    """``count`` account documents, collateral sized against each one's own requirement."""
    rng = random.Random(seed)
    m = parse_market(market_doc, "example")
    names = list(market_doc["instruments"])
    docs = [{"id": f"acct-{k:04d}", "positions": _positions(rng, names)} for k in range(count)]
    probe = [
        Account(
            d["id"],
            {n: parse_decimal(v, QTY_SCALE, signed=True) for n, v in d["positions"].items()},
            {},
        )
        for d in docs
    ]
    result = calculate(m, probe, intermediates=False)
    prices = {a: Decimal(v["price"]) for a, v in market_doc["assets"].items()}
    buffer = 1 + Decimal(market_doc["model"]["buffer"])
    for doc, mm, im in zip(docs, result.maintenance, result.initial, strict=True):
        roll = rng.random()
        if roll < 0.08:  # liquidation: below buffered maintenance
            target = Decimal(int(mm)) * buffer * Decimal(rng.uniform(0.3, 0.95))
        elif roll < 0.15:  # margin call: between buffered maintenance and initial
            low, high = Decimal(int(mm)) * buffer, Decimal(int(im)) * buffer
            target = low + (high - low) * Decimal(rng.uniform(0.2, 0.8))
        else:
            target = Decimal(int(im)) * buffer * Decimal(rng.uniform(1.2, 4.0))
        target = target / MONEY_SCALE + Decimal(rng.randint(0, 500))
        assets = rng.sample(list(prices), rng.randint(1, 3))
        shares = [Decimal(rng.uniform(0.2, 1.0)) for _ in assets]
        collateral = {}
        for asset, share in zip(assets, shares, strict=True):
            # Gross the target up for the first tier's haircut so the account lands as intended.
            ratio = Decimal(market_doc["assets"][asset]["haircut"][0][1])
            amount = target * share / sum(shares) / prices[asset] / ratio
            collateral[asset] = _dec(amount, 8 if asset in ("BTC", "ETH") else 2)
        doc["collateral"] = collateral
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    doc = market()
    (args.out / EXAMPLE_MARKET).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    docs = accounts(doc)
    lines = [json.dumps(d, separators=(",", ":")) for d in docs]
    (args.out / EXAMPLE_ACCOUNTS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The same accounts in the CSV layout, so both readers are exercised on one snapshot.
    with (args.out / "example_accounts.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["account", "kind", "name", "amount"])
        for d in docs:
            for section, kind in (("positions", "position"), ("collateral", "collateral")):
                for name, amount in d[section].items():
                    w.writerow([d["id"], kind, name, amount])
    print(f"wrote {len(docs)} accounts and the market to {args.out}")


if __name__ == "__main__":
    main()
