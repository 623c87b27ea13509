"""Sparse accounts over a committed table against the dense encoding: constraints by listing size.

    python bench/sparse.py              # scenario, greeks, collateral, cross at 23 .. 4096, K = 8
    python bench/sparse.py --listed 23 256 --dense-max 256 --circuits scenario
    python bench/sparse.py --circuits cross          # the same listings with brackets
    python bench/sparse.py --lookups                # tree arity 2/4/8/16 and scan, scenario

Markets: the bundled example (23 instruments), and generated ones listing perpetuals, dated
futures and calls/puts over BTC, ETH and SOL, sorted by name, with the example's assets and
crypto grid; for ``cross`` every instrument gets the example's brackets (5 over BTC, 3 over
ETH and SOL) and the market the cross model. "per account" is a batch of 2 minus a batch of 1 (one account slot, one tree node,
two padding flags); "fixed" is a batch of 1 minus that. ``sparse`` is this checkout at slots
K = 8 and the capacity inferred from the listing (lookup ``scan`` up to 32, ``merkle`` above);
``dense`` is the last commit that encoded every listed instrument per account
(:data:`DENSE_COMMIT`), exported to a temporary folder and measured in a subprocess —
compiling it is slow past a few hundred instruments, so ``--dense-max`` bounds it (the issue's
own figures: 134k per account at 1,024, ~513k at 4,096). Ratios are dense / sparse.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from zkmargin.batch import load_model_circuit
from zkmargin.batch.costs import circuit_cost
from zkmargin.margin import Market, example_paths, parse_market

DENSE_COMMIT = "5dde53f"
"""The last commit of the dense encoding (one position per listed instrument per account)."""
ROOT = Path(__file__).resolve().parent.parent

_DENSE_PROBE = """
import json, sys
from zkmargin.batch.costs import circuit_cost
from zkmargin.margin import parse_market
doc = json.load(open(sys.argv[2]))
c = circuit_cost(sys.argv[1], parse_market(doc, "bench"))
print(json.dumps([c.per_account, c.fixed]))
"""


def wide_market(listed: int) -> dict:
    """The example market re-listed with ``listed`` instruments over BTC, ETH and SOL."""
    doc = json.loads(example_paths()[0].read_text("utf-8"))
    if listed == len(doc["instruments"]):
        return doc
    doc["underlyings"]["SOL"] = {
        "price": "150",
        "vol": "0.9",
        "price_scan_range": "0.25",
        "vol_scan_range": "0.15",
        "short_option_minimum": "0.01",
    }
    expiries = [f"2026-{m:02d}-25T08:00:00Z" for m in (12,)] + [
        f"2027-{m:02d}-26T08:00:00Z" for m in range(1, 13)
    ]
    spot = {"BTC": 65000, "ETH": 3400, "SOL": 150}
    instruments: dict[str, dict] = {}
    for und in spot:
        instruments[f"{und}-PERP"] = {"kind": "perpetual", "underlying": und}
    k = 0
    while len(instruments) < listed:
        und = list(spot)[k % 3]
        expiry = expiries[(k // 3) % len(expiries)]
        tag = expiry[:10].replace("-", "")
        round_ = k // (3 * len(expiries))
        if round_ == 0:
            instruments[f"{und}-{tag}"] = {"kind": "future", "underlying": und, "expiry": expiry}
        else:
            step = (round_ + 1) // 2 * (1 if round_ % 2 else -1)
            strike = spot[und] * (100 + 2 * step) // 100
            for right in ("call", "put"):
                if len(instruments) < listed:
                    instruments[f"{und}-{tag}-{strike}-{right[0].upper()}"] = {
                        "kind": "option",
                        "underlying": und,
                        "right": right,
                        "strike": str(strike),
                        "expiry": expiry,
                    }
        k += 1
    doc["instruments"] = dict(sorted(instruments.items()))
    return doc


BTC_BRACKETS = [
    ["0", "0.004", "0.008"],
    ["50000", "0.005", "0.01"],
    ["250000", "0.01", "0.02"],
    ["1000000", "0.025", "0.05"],
    ["10000000", "0.05", "0.1"],
]
OTHER_BRACKETS = [
    ["0", "0.005", "0.01"],
    ["100000", "0.0065", "0.0133"],
    ["1000000", "0.01", "0.02"],
]


def bracket_market(doc: dict) -> dict:
    """``doc`` under the cross model, every instrument with the example's brackets."""
    doc = json.loads(json.dumps(doc))
    for inst in doc["instruments"].values():
        inst["brackets"] = BTC_BRACKETS if inst["underlying"] == "BTC" else OTHER_BRACKETS
    doc["model"] = {"name": "cross", "buffer": "0.05"}
    return doc


MARKETS = {"cross": bracket_market}
"""Circuits whose model needs more than the scenario listing: its market, per circuit."""


def dense_cost(circuit: str, doc: dict, folder: Path) -> tuple[int, int]:
    """(per account, fixed) of the dense encoding, measured in a subprocess on its own code."""
    market = folder / "market.json"
    market.write_text(json.dumps(doc))
    out = subprocess.run(
        # -S: no site hooks, so this checkout's editable install cannot shadow the export
        [sys.executable, "-S", "-c", _DENSE_PROBE, circuit, str(market)],
        env={
            "PYTHONPATH": f"{folder / 'code'}:{sysconfig.get_paths()['purelib']}",
            "PATH": "/usr/bin:/bin",
        },
        cwd=folder,  # not this checkout: '' heads sys.path
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"dense probe failed: {out.stderr.strip().splitlines()[-1]}")
    per, fixed = json.loads(out.stdout)
    return per, fixed


def export_dense(folder: Path) -> None:
    code = folder / "code"
    code.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", DENSE_COMMIT, "zkmargin", "circuits"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    (code / "zkmargin_circuits").symlink_to(code / "circuits")


def market_of(doc: dict, name: str) -> Market:
    return parse_market(doc, name)


def lookups(slots: int) -> None:
    """Scenario per account and fixed by lookup: Merkle trees of arity 2, 4, 8 (shipped) and
    16 at capacities 32 and 4096, and the per-batch scan at 32."""
    import zkmargin.batch.table as table

    shipped = table.ARITY_BITS
    print(f"{'capacity':>9}{'lookup':>14}{'per account':>13}{'fixed':>9}")
    for listed in (23, 4096):
        market = market_of(wide_market(listed), f"{listed} listed")
        runs = [(b, "merkle") for b in (1, 2, 3, 4)] + ([(shipped, "scan")] if listed < 64 else [])
        for bits, lookup in runs:
            table.ARITY_BITS = bits
            try:
                cost = circuit_cost("scenario", market, slots=slots, lookup=lookup)
            finally:
                table.ARITY_BITS = shipped
            label = "scan" if lookup == "scan" else f"merkle/{1 << bits}"
            print(f"{1 << (listed - 1).bit_length():>9}{label:>14}{cost.per_account:>13,}"
                  f"{cost.fixed:>9,}", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listed", type=int, nargs="+", default=[23, 256, 1024, 4096])
    ap.add_argument("--circuits", nargs="+", default=["scenario", "greeks", "collateral", "cross"])
    ap.add_argument("--slots", type=int, default=8)
    ap.add_argument("--dense-max", type=int, default=256, help="largest listing measured dense")
    ap.add_argument("--lookups", action="store_true", help="compare lookups instead")
    args = ap.parse_args()
    if args.lookups:
        lookups(args.slots)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export_dense(folder)
        print(
            f"{'circuit':<11}{'listed':>7}{'capacity':>9}{'lookup':>8}"
            f"{'sparse/acct':>12}{'sparse fixed':>13}{'dense/acct':>11}{'dense fixed':>12}"
            f"{'ratio/acct':>11}"
        )
        for circuit in args.circuits:
            for listed in args.listed:
                doc = MARKETS.get(circuit, lambda d: d)(wide_market(listed))
                market = market_of(doc, f"{listed} listed")
                sparse = circuit_cost(circuit, market, slots=args.slots)
                shape = load_model_circuit(circuit).shape_for(market, 1, slots=args.slots)
                if listed <= args.dense_max:
                    dense = dense_cost(circuit, doc, folder)
                    d = f"{dense[0]:>11,}{dense[1]:>12,}{dense[0] / sparse.per_account:>10.1f}x"
                else:
                    d = f"{'-':>11}{'-':>12}{'-':>11}"
                print(
                    f"{circuit:<11}{listed:>7}{shape.instruments:>9}{shape.lookup:>8}"
                    f"{sparse.per_account:>12,}{sparse.fixed:>13,}{d}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
