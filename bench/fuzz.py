"""A long fuzzing run of every parser against the one-line error contract.

Feeds each parser (market, accounts JSONL and CSV, report, receipt, proof, public signals,
verifying key, .r1cs, .wtns, .zkey by both readers) random bytes, poison (deep nesting,
duplicate keys, NaN, huge numbers, control characters, invalid UTF-8) and mutations of a valid
file (``tests/hostile.py``, the same harness the suite runs with 40 examples a target), and
counts per target the inputs accepted, refused with one line, and those that broke the
contract (any other exception, or a multi-line, overlong or unprintable message) with the
first of each kind. Hypothesis drives the generation, so a run is reproducible with ``--seed``.

    python bench/fuzz.py                       # 2,000 inputs a target (a few minutes)
    python bench/fuzz.py --examples 20000 --targets market,report --seed 7

Exit status 1 if anything broke the contract.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile import SEED_OF, TARGETS, check_contract, hostile, seeds
from hypothesis import HealthCheck, given, seed, settings


def fuzz(target: str, data_seed: bytes, examples: int, rng_seed: int, folder: Path) -> dict:
    """Run ``examples`` inputs through ``target``; the tallies and the first broken input."""
    tally: Counter[str] = Counter()
    broken: dict[str, bytes] = {}

    @seed(rng_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile(data_seed))
    def run(data: bytes) -> None:
        try:
            outcome = check_contract(target, data, folder)
        except AssertionError as err:
            kind = str(err).split(":", 2)[1].strip()
            tally["broken"] += 1
            broken.setdefault(kind, data[:200])
            broken.setdefault(f"{kind} message", str(err)[:300].encode())
            return
        tally["accepted" if outcome is None else "refused"] += 1

    run()
    return {"tally": tally, "broken": broken}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per target")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated targets")
    parser.add_argument("--seed", type=int, default=20261203, help="Hypothesis's seed")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="zkmargin-fuzz-"))
    valid = seeds(scratch)
    print(f"{'target':<16}{'inputs':>8}{'accepted':>10}{'refused':>9}{'broken':>8}{'s':>8}")
    failed = False
    for target in args.targets.split(","):
        start = time.perf_counter()
        found = fuzz(target, valid[SEED_OF.get(target, target)], args.examples, args.seed, scratch)
        t = found["tally"]
        total = sum(t.values())
        print(
            f"{target:<16}{total:>8}{t['accepted']:>10}{t['refused']:>9}{t['broken']:>8}"
            f"{time.perf_counter() - start:>8.1f}"
        )
        for kind, sample in found["broken"].items():
            failed = True
            print(f"    {kind}: {sample!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
