"""The runs ``scale.py`` measures: their record (one JSON line each), the fit that
extrapolates them to exchange scale, and the table it prints."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

MIB = 1 << 20


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
