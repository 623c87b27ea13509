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
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from scale_inputs import (
    BATCH_SIZE,
    CIRCUIT,
    SEED,
    constraints,
    ensure_keys,
    write_accounts,
    write_market,
)
from scale_runs import MIB, Run, append_record, code_version, extrapolate, read_record, table

EXTRAPOLATE_TO = 1_000_000
RECORD = "runs.jsonl"
SAMPLE_SECONDS = 0.1


# -- one measured run -------------------------------------------------------------------------


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
