"""Sparse accounts over a committed table against the dense encoding: constraints by listing size.

    python bench/sparse.py              # scenario, greeks, collateral, cross at 23 .. 4096, K = 8
    python bench/sparse.py --listed 23 256 --dense-max 256 --circuits scenario
    python bench/sparse.py --circuits cross          # the same listings with brackets
    python bench/sparse.py --lookups                # tree arity 2/4/8/16 and scan, scenario
    python bench/sparse.py --throughput --circuits scenario --listed 23 1000   # accounts / CPU s

Markets: the bundled example (23 instruments), and generated ones listing perpetuals, dated
futures and calls/puts over BTC, ETH and SOL, sorted by name, with the example's assets and
crypto grid; for ``cross`` every instrument gets the example's brackets (5 over BTC, 3 over
ETH and SOL) and the market the cross model. "per account" is a batch of 2 minus a batch of 1 (one account slot, one tree node,
two padding flags); "fixed" is a batch of 1 minus that. ``sparse`` is this checkout at slots
K = 8 and the capacity inferred from the listing (lookup ``scan`` up to 32, ``merkle`` above);
``dense`` is the last commit that encoded every listed instrument per account
(:data:`DENSE_COMMIT`), exported to a temporary folder and measured in a subprocess —
compiling it is slow past a few hundred instruments, so ``--dense-max`` bounds it (measured
before: 134k per account at 1,024, ~513k at 4,096). Ratios are dense / sparse.

``--throughput`` proves instead: per circuit and listing, accounts holding K = 8 positions each
(fewer when fewer are listed) over the generated market, in batches of ``--batch-size``, with
one worker; it prints accounts per CPU-second of ``prove_snapshot`` (the process's user + system
time, all threads, after an untimed warm-up batch; the setup is not counted), sparse beside the
dense encoding's figure on the same listing up to ``--dense-max``. Each run is a fresh
interpreter (the dense one on the exported code), so neither warms the other's caches.
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


def bracket_market(doc: dict) -> dict:
    """``doc`` under the cross model, every instrument with the brackets the bundled example
    gives its underlying's perpetual (BTC's for BTC, ETH's for the others)."""
    example = json.loads(example_paths()[0].read_text("utf-8"))["instruments"]
    brackets = {u: example[f"{u}-PERP"]["brackets"] for u in ("BTC", "ETH")}
    doc = json.loads(json.dumps(doc))
    for inst in doc["instruments"].values():
        inst["brackets"] = brackets["BTC" if inst["underlying"] == "BTC" else "ETH"]
    doc["model"] = {"name": "cross", "buffer": "0.05"}
    return doc


MARKETS = {"cross": bracket_market}
"""Circuits whose model needs more than the scenario listing: its market, per circuit."""
_THROUGHPUT_PROBE = """
import json, random, resource, sys, tempfile
from pathlib import Path
from zkmargin.margin import load_market
from zkmargin.solvency import prove_snapshot, setup_keys
circuit, market_path, accounts_path, warm_path, batch, params = sys.argv[1:7]
params = json.loads(params)
tmp = Path(tempfile.mkdtemp())
extra = {"params": params} if params else {}
setup_keys(circuit, load_market(market_path), int(batch), tmp / "keys", random.Random(1), **extra)
prove_snapshot(warm_path, market_path, tmp / "keys", tmp / "warm", seed=1)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start = cpu()
res = prove_snapshot(accounts_path, market_path, tmp / "keys", tmp / "report", seed=2)
print(json.dumps([res.report.totals.accounts, cpu() - start, res.constraints_per_batch]))
"""


def bench_accounts(doc: dict, n: int, slots: int) -> list[str]:
    """``n`` accounts of ``slots`` positions each (round-robin over the listing, small signed
    quantities) and collateral far above any requirement, as accounts-file lines."""
    names = list(doc["instruments"])
    held = min(slots, len(names))
    lines = []
    for i in range(n):
        picks = {names[(i * 7 + 13 * k) % len(names)] for k in range(held)}
        k = 0
        while len(picks) < held:
            picks.add(names[k])
            k += 1
        positions = {name: ("0.5" if (i + j) % 2 else "-0.5") for j, name in enumerate(picks)}
        lines.append(json.dumps({"id": f"b{i:04d}", "positions": positions,
                                 "collateral": {"USDT": "10000000"}}))  # fmt: skip
    return lines


def throughput(
    circuit: str, doc: dict, folder: Path, *, slots: int, batch: int, dense: bool
) -> tuple[int, float, int]:
    """(accounts, CPU seconds, constraints per batch) of proving two batches, in a fresh
    interpreter: this checkout (sparse, ``slots``) or the exported dense code."""
    market = folder / "throughput_market.json"
    market.write_text(json.dumps(doc))
    accounts, warm = folder / "accounts.jsonl", folder / "warm.jsonl"
    lines = bench_accounts(doc, 3 * batch, slots)
    accounts.write_text("\n".join(lines[batch:]) + "\n")
    warm.write_text("\n".join(lines[:batch]) + "\n")
    params = {} if dense else {"slots": slots}
    argv = [circuit, str(market), str(accounts), str(warm), str(batch), json.dumps(params)]
    if dense:
        env = {
            "PYTHONPATH": f"{folder / 'code'}:{sysconfig.get_paths()['purelib']}",
            "PATH": "/usr/bin:/bin",
        }
        cmd = [sys.executable, "-S", "-c", _THROUGHPUT_PROBE, *argv]
    else:
        env, cmd = None, [sys.executable, "-c", _THROUGHPUT_PROBE, *argv]
    out = subprocess.run(cmd, env=env, cwd=folder, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"throughput probe failed: {out.stderr.strip().splitlines()[-1]}")
    n, seconds, constraints = json.loads(out.stdout.strip().splitlines()[-1])
    return n, seconds, constraints


def throughputs(args: argparse.Namespace, folder: Path) -> None:
    print(f"{'circuit':<11}{'listed':>7}{'encoding':>9}{'constraints/batch':>18}"
          f"{'accounts':>9}{'CPU s':>8}{'accounts/CPU s':>15}")  # fmt: skip
    for circuit in args.circuits:
        for listed in args.listed:
            doc = wide_market(listed)
            runs = ["sparse"] + (["dense"] if listed <= args.dense_max else [])
            for encoding in runs:
                n, cpu, constraints = throughput(
                    circuit, doc, folder, slots=args.slots, batch=args.batch_size,
                    dense=encoding == "dense",
                )  # fmt: skip
                print(f"{circuit:<11}{listed:>7}{encoding:>9}{constraints:>18,}{n:>9}"
                      f"{cpu:>8.1f}{n / cpu:>15.2f}", flush=True)  # fmt: skip


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
    ap.add_argument("--throughput", action="store_true", help="accounts per CPU-second instead")
    ap.add_argument("--batch-size", type=int, default=4, help="batch size of --throughput")
    args = ap.parse_args()
    if args.lookups:
        lookups(args.slots)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export_dense(folder)
        if args.throughput:
            throughputs(args, folder)
            return
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
