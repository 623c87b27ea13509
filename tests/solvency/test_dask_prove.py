"""A snapshot proven on a real Dask cluster (``LocalCluster`` on 127.0.0.1, 2 worker processes)
gives the same report folder, byte for byte, as the same snapshot proven in this process with
the same seed: report, verification key, market copy, every proof, public signals and receipt.

The ledger is the one file allowed to differ: it holds each batch's wall-clock seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from solvency import test_executors_tasks as tasks
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.solvency import ProveOptions, Snapshot, prove_snapshot, verify_report
from zkmargin.solvency.batch_jobs import prove_batch
from zkmargin.solvency.ledger import LEDGER

SEED = 20261123


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LEDGER
    }


@pytest.mark.slow
def test_a_dask_cluster_proves_the_same_report_as_one_process(
    keys_dir: Path, tmp_path: Path
) -> None:
    local = prove_snapshot(
        Snapshot(ACCOUNTS, MARKET, keys_dir), tmp_path / "local", ProveOptions(seed=SEED)
    )
    with tasks.local_cluster(2) as spec:
        remote = prove_snapshot(
            Snapshot(ACCOUNTS, MARKET, keys_dir),
            tmp_path / "dask",
            ProveOptions(seed=SEED, executor=spec),
        )
        # 5 accounts in batches of 2: 3 batch proofs, each computed on the cluster
        assert len(remote.report.batches) == 3
        assert tasks.computed_on_cluster(spec, prove_batch.__name__) == 3
    for ours, theirs in ((local.folder, remote.folder), (local.private, remote.private)):
        local_files, remote_files = _files(ours), _files(theirs)
        assert sorted(remote_files) == sorted(local_files)
        for name, data in local_files.items():
            assert remote_files[name] == data, f"{name} differs"
    assert any(name.startswith("receipts/") for name in _files(remote.private))
    assert verify_report(remote.folder).report.totals.accounts == 5
