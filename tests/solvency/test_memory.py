"""Memory of the non-proving pipeline stays flat as the snapshot grows (docs/solvency.md).

``prove_snapshot`` runs for real with the proof itself replaced by a stand-in
(:mod:`solvency.stand_in`: the Groth16 prover's memory is per batch and known; proving thousands
of accounts in a test is not affordable). Peak traced memory is measured for N and 4N accounts.

So that the test cannot pass by accident (a peak set by something else, growth too small to
see), two controls run on the same files: holding the accounts in a list (what the pipeline must
not do) grows by ``reference``; the same pipeline fed by a reader that materialises the file
must grow by nearly as much; the real pipeline must grow by well under half of it. What it may
grow by is its stated bound: the reader's set of ids (~100 bytes an account) and one statement
per batch (few here: the batches are large).
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from solvency.stand_in import tiny_model, without_proofs
from solvency.tiny import MARKET

from zkmargin.margin import load_market, read_accounts
from zkmargin.solvency import batch_plan, layout, prover

BATCH = 128
N = 500


@pytest.fixture(scope="module")
def model():
    return tiny_model(BATCH)


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("memory")
    out = {}
    for n in (N, 4 * N):
        path = base / f"accounts-{n}.jsonl"
        with path.open("w") as fh:
            for i in range(n):
                account = {
                    "id": f"user-{i:07d}",
                    "positions": {"BTC-PERP": f"{(i % 7) - 3}.{i % 1000:03d}"},
                    "collateral": {"USDT": f"{500000 + i}", "BTC": f"0.{i % 97:02d}"},
                }
                fh.write(json.dumps(account) + "\n")
        out[n] = path
    return out


def pipeline_peak(model, accounts: Path, out: Path, monkeypatch) -> int:
    (out.parent / f"{out.name}-keys").mkdir()
    keys = without_proofs(monkeypatch, model, out.parent / f"{out.name}-keys")
    # The scan margins SCAN_CHUNK accounts at once (a constant); below N, so both runs reach it.
    monkeypatch.setattr(batch_plan, "SCAN_CHUNK", 100)
    tracemalloc.start()
    try:
        result = prover.prove_snapshot(
            prover.Snapshot(accounts, MARKET, keys), out, prover.ProveOptions(seed=1)
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    proven = sum(1 for _ in read_accounts(accounts))
    assert result.report.totals.accounts == proven  # the pipeline did the whole snapshot
    assert len(result.report.batches) == -(-proven // BATCH)
    assert len(list((layout.private_dir(out) / layout.RECEIPTS).iterdir())) == proven
    return peak


def reader_peaks(accounts: Path) -> tuple[int, int]:
    """Peak memory of streaming the file (the reader keeps its set of ids) and of holding it."""
    market = load_market(MARKET)
    peaks = []
    for hold in (False, True):
        tracemalloc.start()
        try:
            accounts_seen = read_accounts(accounts, market)
            held = list(accounts_seen) if hold else sum(1 for _ in accounts_seen)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert held
    return peaks[0], peaks[1]


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_accounts(model, snapshots, tmp_path, monkeypatch):
    (ids_small, list_small), (ids_large, list_large) = map(reader_peaks, snapshots.values())
    reference = list_large - list_small  # holding 3N more accounts
    ids = ids_large - ids_small  # the reader's set of 3N more ids (its duplicate check)
    assert reference > 3 * N * 500  # > 500 bytes per account held: growth is measurable

    small = pipeline_peak(model, snapshots[N], tmp_path / "small", monkeypatch)
    large = pipeline_peak(model, snapshots[4 * N], tmp_path / "large", monkeypatch)

    reader = batch_plan.read_accounts
    monkeypatch.setattr(batch_plan, "read_accounts", lambda *a: iter(list(reader(*a))))
    held_small = pipeline_peak(model, snapshots[N], tmp_path / "held-small", monkeypatch)
    held_large = pipeline_peak(model, snapshots[4 * N], tmp_path / "held-large", monkeypatch)

    print(f"\npeak growth N={N}->{4 * N}: accounts held {reference}, reader's ids {ids}, "
          f"pipeline {large - small} ({small} -> {large}), materialising pipeline "
          f"{held_large - held_small}")  # fmt: skip
    # the harness sees an O(N) pipeline...
    assert held_large - held_small > (large - small) + 0.25 * reference
    # ...and the streaming one grows by the reader's ids and little more
    assert large - small < ids + 0.1 * reference
