"""Exchange-scale proving: accounts per second and peak memory of ``prove_snapshot``.

For each number of accounts (default 1k, 10k, 100k) and each executor (default one process and
a local pool of 2), proves a generated snapshot through the public API
(:func:`zkmargin.solvency.prove_snapshot`) in a fresh child process and samples the resident
memory of that process and all its descendants (the pool's workers, the forkserver) together.
Sizes above ``--max-accounts`` are not run (nor recorded, see below): like 1M, they are extrapolated linearly from the
measured sizes of the same executor (seconds = a + b·N by least squares), and the table says
which rows were measured. Memory is extrapolated by parts: the workers (one batch each at a
time, by design) at their largest measured peak; the parent at its peak at the largest measured
size plus what the account reader's O(N) state (the set of ids it keeps to reject duplicates)
grows by, measured directly: a fresh process streams the N accounts through the public
``read_accounts`` (seconds even for 1M) and samples its RSS. The parent's O(batches) items are not in that probe.

Model: the ``collateral`` circuit (per-account haircut collateral value, balances, the account
leaf and its batch tree) on a small market, a stablecoin and BTC with tiered haircuts and one
BTC perpetual, the smallest realistic shape; the header prints its constraints per account.
Keys come from the UNSAFE one-party dev setup, made once and cached in ``--work``. The batch
size (21) is the largest whose proof fits a 2^15 evaluation domain: the quotient's MSM and the
NTTs cost the domain's size, however full it is.

    python bench/scale.py                                  # everything (about 4 hours here)
    python bench/scale.py --max-accounts 1000              # 1k measured; 10k, 100k, 1M extrapolated
    python bench/scale.py --sizes 100,300 --workers 1,2    # quick look
    python bench/scale.py --reuse --sizes 100000 --workers 1   # add one point to the record
    python bench/scale.py --reuse --max-accounts 0         # the table from the record alone

Every measured run is appended to ``WORK/runs.jsonl`` with the commit of the code it measured;
``--reuse`` takes the recorded runs of the same code, batch size and backend instead of running
them again, so a long benchmark can be taken in parts and a stopped one resumed.

Needs ``psutil`` (installed with the ``dask`` extra). Wall times depend on the machine's load:
the header prints the load average and every row its CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import psutil

CIRCUIT = "collateral"
SEED = 20261123
MARKET = {
    "epoch": "2026-11-23T00:00:00Z",
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
        }
    },
    "instruments": {
        "BTC-PERP": {
            "kind": "perpetual",
            "underlying": "BTC",
            "brackets": [["0", "0.004", "0.008"], ["50000", "0.005", "0.01"]],
        }
    },
    "model": {"name": "collateral", "level": "maintenance", "buffer": "0.05"},
}
EXTRAPOLATE_TO = 1_000_000
BATCH_SIZE = 21  # 32,756 constraints: the largest batch whose proof fits a 2^15 domain
RECORD = "runs.jsonl"
SAMPLE_SECONDS = 0.1
MIB = 1 << 20


# -- inputs -----------------------------------------------------------------------------------


def write_market(work: Path) -> Path:
    path = work / "market.json"
    path.write_text(json.dumps(MARKET, indent=2) + "\n")
    return path


def write_accounts(path: Path, n: int, seed: int = SEED) -> Path:
    """``n`` accounts (streamed to the file, same bytes for the same ``n`` and seed): a USDT
    and/or BTC balance (some above the second haircut tier) and sometimes a perpetual."""
    if path.is_file():
        return path
    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as out:
        for i in range(n):
            collateral = {}
            if rng.random() < 0.8:
                collateral["USDT"] = str(Decimal(rng.randrange(1, 10**12)).scaleb(-4))
            if rng.random() < 0.6 or not collateral:
                collateral["BTC"] = str(Decimal(rng.randrange(1, 4 * 10**9)).scaleb(-8))
            positions = {}
            if rng.random() < 0.3:
                positions["BTC-PERP"] = str(Decimal(rng.randrange(-(10**6), 10**6)).scaleb(-4))
            doc = {"id": f"acct-{i:07d}", "positions": positions, "collateral": collateral}
            out.write(json.dumps(doc) + "\n")
    tmp.replace(path)
    return path


def ensure_keys(work: Path, market: Path, batch_size: int) -> tuple[Path, float]:
    """The keys folder for the model at ``batch_size`` (dev setup once; seconds it took, 0 if
    cached)."""
    from zkmargin.margin import load_market
    from zkmargin.solvency import setup_keys

    keys = work / f"keys-{CIRCUIT}-{batch_size}"
    if (keys / "circuit.json").is_file():
        return keys, 0.0
    shutil.rmtree(keys, ignore_errors=True)
    start = time.perf_counter()
    setup_keys(CIRCUIT, load_market(market), batch_size, keys, random.Random(SEED))
    return keys, time.perf_counter() - start


def constraints(market: Path, batch_size: int) -> tuple[int, int]:
    """(constraints per batch proof, constraints each further account adds)."""
    from zkmargin.margin import load_market
    from zkmargin.solvency.batch_model import batch_model

    m = load_market(market)
    one, two = (batch_model(CIRCUIT, m, b).compiled.r1cs.n_constraints for b in (1, 2))
    return batch_model(CIRCUIT, m, batch_size).compiled.r1cs.n_constraints, two - one


# -- one measured run -------------------------------------------------------------------------


@dataclass
class Run:
    workers: int
    accounts: int
    batches: int
    seconds: float  # wall time of prove_snapshot
    cpu_seconds: float  # user + system of the whole process tree
    peak_rss: int | None  # bytes, the process tree's sum at its peak (None: not known)
    parent_rss: int | None  # bytes, the prove_snapshot process alone at its peak
    workers_rss: int  # bytes, its descendants' sum at their peak
    report_bytes: int
    load: float | None = None  # 1-minute load average when the run ended
    measured: bool = True


def child(args: argparse.Namespace) -> None:
    """In the measured child process: one ``prove_snapshot``; its result as a JSON line."""
    from zkmargin.solvency import ProveOptions, Snapshot, prove_snapshot

    def progress(p) -> None:
        if p.event == "batch" and (p.batches_done % max(1, p.batches_total // 10) == 0):
            print(
                f"    {p.batches_done}/{p.batches_total} batches, {p.rate:.1f} accounts/s",
                file=sys.stderr,
                flush=True,
            )

    result = prove_snapshot(
        Snapshot(args.accounts, args.market, args.keys),
        args.out,
        ProveOptions(seed=SEED, workers=args.run_workers, backend=args.backend, progress=progress),
    )
    print(json.dumps({"seconds": result.seconds, "batches": len(result.report.batches)}))


def measure(
    accounts: Path, n: int, market: Path, keys: Path, workers: int, backend: str | None, out: Path
) -> Run:
    """Run :func:`child` in a fresh interpreter; sample the RSS and CPU of its process tree."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, __file__, "--child", "--accounts", str(accounts)]
    cmd += ["--market", str(market), "--keys", str(keys), "--out", str(out)]
    cmd += ["--run-workers", str(workers)] + (["--backend", backend] if backend else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak = parent = workers_peak = 0
    cpu = {}
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = [0] * len(tree)
        for k, p in enumerate(tree):
            try:
                rss[k] = p.memory_info().rss
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system  # last seen: processes come and go
            except psutil.NoSuchProcess:
                pass
        peak = max(peak, sum(rss))
        parent = max(parent, rss[0])
        workers_peak = max(workers_peak, sum(rss[1:]))
        time.sleep(SAMPLE_SECONDS)
    stdout, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"prove failed for {n} accounts, {workers} worker(s)")
    result = json.loads(stdout.strip().splitlines()[-1])
    # the public report and its private folder (receipts, ledger) together, as one output
    folders = (out, out.with_name(out.name + ".private"))
    size = sum(f.stat().st_size for d in folders for f in d.rglob("*") if f.is_file())
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return Run(
        workers,
        n,
        result["batches"],
        result["seconds"],
        sum(cpu.values()),
        peak,
        parent,
        workers_peak,
        size,
        round(os.getloadavg()[0], 1),
    )


# -- extrapolation and the table --------------------------------------------------------------


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(a, b) of y = a + b·x by least squares, kept physical: never a negative slope (then the
    mean) nor a negative intercept (then through the origin); from one point, through it.

    >>> linear_fit([1000, 2000], [12.0, 22.0])
    (2.0, 0.01)
    >>> linear_fit([1000, 2000], [30.0, 20.0])  # noise, not a trend
    (25.0, 0.0)
    """
    if len(xs) == 1:
        return 0.0, ys[0] / xs[0]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    b /= sum((x - mx) ** 2 for x in xs)
    if b < 0:
        return my, 0.0
    if my - b * mx < 0:
        return 0.0, sum(x * y for x, y in zip(xs, ys, strict=True)) / sum(x * x for x in xs)
    return my - b * mx, b


def reader_growth(accounts: Path, market: Path) -> int:
    """How much a fresh process's RSS grows (bytes, at most) while it streams ``accounts``
    through ``read_accounts``: the O(N) state it keeps (ids), apart from the import-time peak."""
    code = (
        "import os, sys\n"
        "from zkmargin.margin import load_market, read_accounts\n"
        "page = os.sysconf('SC_PAGE_SIZE')\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as f:\n"
        "        return int(f.read().split()[1]) * page\n"
        "market = load_market(sys.argv[2])\n"
        "base = top = rss()\n"
        "for i, _ in enumerate(read_accounts(sys.argv[1], market)):\n"
        "    if i % 4096 == 0:\n"
        "        top = max(top, rss())\n"
        "print(max(top, rss()) - base)\n"
    )
    cmd = [sys.executable, "-c", code, str(accounts), str(market)]
    return int(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def extrapolate(runs: list[Run], n: int, batch_size: int, reader_growth: int) -> Run:
    """The run of ``n`` accounts predicted from measured runs of the same executor;
    ``reader_growth``: how much more the reader holds at ``n`` than at the largest measured."""
    xs = [float(r.accounts) for r in runs]

    def at(values: list[float]) -> float:
        a, b = linear_fit(xs, values)
        return max(a + b * n, 0.0)

    largest = max(runs, key=lambda r: r.accounts)
    parent = None if largest.parent_rss is None else largest.parent_rss + reader_growth
    workers = max(r.workers_rss for r in runs)

    return Run(
        runs[0].workers,
        n,
        -(-n // batch_size),
        at([r.seconds for r in runs]),
        at([r.cpu_seconds for r in runs]),
        None if parent is None else parent + workers,
        parent,
        workers,
        int(at([float(r.report_bytes) for r in runs])),
        measured=False,
    )


def table(rows: list[Run]) -> str:
    head = ("workers", "accounts", "batches", "seconds", "CPU s", "accounts/s",
            "accounts/CPU-s", "peak RSS MiB", "parent MiB", "report MiB", "load", "")  # fmt: skip
    lines = [head]
    for r in rows:
        lines.append(
            (
                str(r.workers),
                f"{r.accounts:,}",
                f"{r.batches:,}",
                _duration(r.seconds),
                _duration(r.cpu_seconds),
                f"{r.accounts / r.seconds:.2f}" if r.seconds else "-",
                f"{r.accounts / r.cpu_seconds:.2f}" if r.cpu_seconds else "-",
                f"{r.peak_rss / MIB:,.0f}" if r.peak_rss is not None else "?",
                f"{r.parent_rss / MIB:,.0f}" if r.parent_rss is not None else "?",
                f"{r.report_bytes / MIB:,.1f}",
                f"{r.load:.1f}" if r.load is not None else "",
                "measured" if r.measured else "extrapolated",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for k, line in enumerate(lines):
        cells = [c.ljust(w) if i in (0, len(head) - 1) else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))]  # fmt: skip
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _duration(seconds: float) -> str:
    if seconds < 600:
        return f"{seconds:.1f}"
    if seconds < 36000:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


# -- the record of measured runs ---------------------------------------------------------------


def code_version() -> str:
    """The commit the measured code is at (``-dirty`` with uncommitted changes to it)."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "zkmargin"],
                               cwd=root, capture_output=True, text=True, check=True).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("-dirty" if dirty.strip() else "")


def read_record(path: Path, key: dict) -> dict[tuple[int, int], Run]:
    """Runs recorded under ``key`` (code, batch size, backend) by (workers, accounts); the last
    recorded wins."""
    found = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            if entry.pop("key") == key and key["code"] != "unknown":
                run = Run(**entry)
                found[run.workers, run.accounts] = run
    return found


def append_record(path: Path, key: dict, run: Run) -> None:
    """Add one measured run to the record (one JSON line; a run is minutes to hours of work)."""
    with path.open("a") as f:
        f.write(json.dumps({"key": key, **asdict(run)}) + "\n")


# -- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="accounts per snapshot")
    parser.add_argument("--workers", default="1,2", help="executors: 1 = one process, N = pool")
    parser.add_argument("--max-accounts", type=int, default=None, help="larger: not run now")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--backend", default=None, help="MSM backend (default: the fastest)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zkmargin-scale")
    parser.add_argument(
        "--code",
        default=None,
        help="with --reuse: the recorded code version to take (default: this checkout's)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"take runs already in WORK/{RECORD} (same code, batch size and backend) instead "
        "of measuring them again",
    )
    # the measured child process
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    for name in ("--accounts", "--market", "--keys", "--out"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    parser.add_argument("--run-workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    sizes = sorted({int(s) for s in args.sizes.split(",")})
    pools = sorted({int(w) for w in args.workers.split(",")})
    limit = args.max_accounts if args.max_accounts is not None else max(sizes)
    args.work.mkdir(parents=True, exist_ok=True)
    market = write_market(args.work)
    per_batch, per_account = constraints(market, args.batch_size)
    keys, setup_seconds = ensure_keys(args.work, market, args.batch_size)
    record = args.work / RECORD
    code = args.code or code_version()
    key = {"code": code, "batch_size": args.batch_size, "backend": args.backend}

    print(f"# bench/scale.py: {CIRCUIT} circuit, market of 2 assets (USDT, BTC tiered) + BTC-PERP")
    print(
        f"# batch size {args.batch_size}: {per_batch:,} constraints per batch proof "
        f"({per_batch / args.batch_size:,.0f} per account amortised; each further account adds "
        f"{per_account:,})"
    )
    print(f"# keys: {keys} (setup {setup_seconds:.0f} s)" if setup_seconds else f"# keys: {keys}")
    print(
        f"# machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at start {os.getloadavg()[0]:.1f}; backend {args.backend or 'default'}; "
        f"code {key['code']}"
    )
    known = read_record(record, key) if args.reuse else {}
    todo = [(n, w) for n in sizes if n <= limit for w in pools if (w, n) not in known]
    if todo and code != code_version():
        raise SystemExit(f"--code {code}: runs of another version can be read, not measured")
    if todo:
        # one batch first, not measured: numba loads (or compiles) its kernels into its disk cache
        warm = measure(write_accounts(args.work / "accounts-warm.jsonl", args.batch_size),
                       args.batch_size, market, keys, 1, args.backend, args.work / "report")  # fmt: skip
        print(f"# warm-up (kernel cache), one batch in one process: {warm.seconds:.1f} s")
    for n, w in todo:
        accounts = write_accounts(args.work / f"accounts-{n}.jsonl", n)
        print(f"  proving {n:,} accounts with {w} worker(s)...", file=sys.stderr, flush=True)
        run = measure(accounts, n, market, keys, w, args.backend, args.work / "report")
        known[w, n] = run
        append_record(record, key, run)
    reused = [(w, n) for w, n in known if (n, w) not in todo and n in sizes and w in pools]
    if reused:
        print(f"# taken from {record}: " + ", ".join(f"{n:,}x{w}" for w, n in sorted(reused)))
    measured = {
        w: sorted((r for (ww, n), r in known.items() if ww == w and n in sizes), key=_by_size)
        for w in pools
    }
    if not any(measured.values()):
        raise SystemExit(f"no runs measured or recorded for code {code} (see --code, --reuse)")
    targets = {
        w: [n for n in [*sizes, EXTRAPOLATE_TO] if n not in {r.accounts for r in measured[w]}]
        for w in pools
        if measured[w]
    }
    largest = {w: measured[w][-1].accounts for w in targets}
    grown = {}
    if any(targets.values()):
        print("  account reader's memory at each size...", file=sys.stderr, flush=True)
        need = sorted({*largest.values(), *(n for ns in targets.values() for n in ns)})
        grown = {
            n: reader_growth(write_accounts(args.work / f"accounts-{n}.jsonl", n), market)
            for n in need
        }
        print(
            "# account reader (read_accounts) RSS growth while streaming: "
            + ", ".join(f"{n:,}: {g / MIB:,.1f} MiB" for n, g in grown.items())
        )
    rows = []
    for w in pools:
        rows.extend(measured[w])
        rows.extend(
            extrapolate(measured[w], n, args.batch_size, max(0, grown[n] - grown[largest[w]]))
            for n in targets.get(w, [])
        )
    print(f"# load average at end {os.getloadavg()[0]:.1f}")
    print(
        "# extrapolated rows: seconds fitted linearly over the measured sizes of the same "
        "executor; memory = workers' measured peak + parent's peak at the largest measured "
        "size + the reader's growth; load = the 1-minute load average when the run ended"
    )
    print(table(rows))


def _by_size(run: Run) -> int:
    return run.accounts


if __name__ == "__main__":
    main()
