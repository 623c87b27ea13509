"""A ``prove`` interrupted (Ctrl-C) or killed mid-run resumes and ends with the same report.

Runs the real CLI in a subprocess on the tiny snapshot (3 batches) with ``--seed 7``, the seed of
the session's ``proven`` report: interrupt it after its first batch, kill it after the next,
damage a finished batch's proof, start it again — the finished batches are skipped (the damaged
one proven again) and every file of the report is byte-identical to the uninterrupted run's.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from solvency.stand_in import stand_in, tiny_model, without_proofs
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.errors import InputError
from zkmargin.solvency import layout, prover
from zkmargin.solvency.ledger import LEDGER, Ledger

CLI = [sys.executable, "-c", "from zkmargin.cli import main; main()"]


def prove_args(keys: Path, out: Path, *extra: str) -> list[str]:
    return [*CLI, "prove", str(ACCOUNTS), "--market", str(MARKET), "--keys", str(keys),
            "--out", str(out), "--progress-json", *extra]  # fmt: skip


def events(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def stop_after_batches(args: list[str], batches: int, sig: int) -> tuple[int, str]:
    """Start ``prove``, send ``sig`` once ``batches`` batch events were printed; (status, stderr)."""
    # A shell's background job (a CI runner's, say) starts with SIGINT ignored, and an ignored
    # signal stays ignored across exec: give the child Python's usual Ctrl-C handling back.
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    seen, lines = 0, []
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("{") and json.loads(line)["event"] == "batch":
            seen += 1
            if seen == batches:
                proc.send_signal(sig)
                break
    lines.extend(proc.stderr)
    return proc.wait(timeout=120), "".join(lines)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def recorded(private: Path) -> list[int]:
    with Ledger(private / LEDGER) as ledger:
        return sorted(ledger.finished())


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LEDGER
    }


@pytest.mark.slow
def test_interrupted_and_killed_run_resumes_to_the_same_report(
    proven: Path, keys_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    partial, private = tmp_path / "report.partial", tmp_path / "report.private"
    args = prove_args(keys_dir, out, "--seed", "7")

    status, stderr = stop_after_batches(args, 1, signal.SIGINT)  # Ctrl-C
    assert status == 130, stderr
    assert "interrupted: finished batches are kept" in stderr
    assert not out.exists() and recorded(private) == [0]

    status, stderr = stop_after_batches(args, 1, signal.SIGKILL)  # a crash: no clean-up at all
    assert status == -signal.SIGKILL
    assert events(stderr)[0] == {**events(stderr)[0], "event": "start", "resumed_batches": 1}
    assert not out.exists() and recorded(private) == [0, 1]

    other = subprocess.run(prove_args(keys_dir, out, "--seed", "8"), capture_output=True, text=True)
    assert other.returncode == 2
    assert "holds an interrupted run with other arguments (randomness differs)" in other.stderr
    assert recorded(private) == [0, 1]  # refused without touching it

    proof0 = layout.batch_dir(partial, 0) / layout.PROOF
    proof0.write_text(proof0.read_text().replace("1", "2", 1))  # damaged: must be proven again
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1 resumed" in done.stdout
    assert events(done.stderr)[0]["resumed_batches"] == 1
    assert [e["batches_done"] for e in events(done.stderr)] == [1, 2, 3]
    assert not partial.exists()

    ours, theirs = files(out), files(proven / "report")
    # README, report, key, market, market table; the receipts are in the private folder
    assert sorted(ours) == sorted(theirs) and len(ours) == 3 * 2 + 5
    assert [name for name in ours if ours[name] != theirs[name]] == []
    ours, theirs = files(private), files(proven / "report.private")
    receipts = [n for n in ours if n.startswith(layout.RECEIPTS)]
    assert len(receipts) == 5 and all(ours[n] == theirs[n] for n in receipts)
    with Ledger(private / LEDGER) as ledger:
        assert ledger.state == "done" and sorted(ledger.finished()) == [0, 1, 2]


# -- the same without proofs (solvency.stand_in): crashes at chosen points, in seconds ----------


class Crash(Exception):
    """Stands for a kill at a chosen point of the run."""


def crash_at_batch(k: int):
    def prove(task):
        if task.index == k:
            raise Crash(f"killed while proving batch {k}")
        return stand_in(task)

    return prove


def stand_in_receipts(folder: Path) -> dict[str, dict]:
    return {
        p.name: json.loads(p.read_text())
        for p in (layout.private_dir(folder) / layout.RECEIPTS).iterdir()
    }


@pytest.fixture
def patched(monkeypatch, tmp_path):
    return without_proofs(monkeypatch, tiny_model(2), tmp_path)


def test_crash_mid_run_then_resume_equals_one_run(patched, monkeypatch, tmp_path) -> None:
    whole = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, patched), tmp_path / "whole", prover.ProveOptions(seed=5)
    )
    out = tmp_path / "report"
    monkeypatch.setattr(prover, "prove_batch", crash_at_batch(2))
    with pytest.raises(Crash):
        prover.prove_snapshot(
            prover.Snapshot(ACCOUNTS, MARKET, patched), out, prover.ProveOptions(seed=5)
        )
    assert recorded(tmp_path / "report.private") == [0, 1] and not out.exists()
    monkeypatch.setattr(prover, "prove_batch", stand_in)
    again = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, patched), out, prover.ProveOptions(seed=5)
    )
    assert again.resumed_batches == 2
    assert files(out) == files(whole.folder)
    assert files(again.private) == files(whole.private)  # the receipts (the ledger aside)


def test_crash_after_assembly_finishes_without_proving(patched, monkeypatch, tmp_path) -> None:
    out = tmp_path / "report"
    publish = prover.publish

    def crash(*_):
        raise Crash("killed before the rename")

    monkeypatch.setattr(prover, "publish", crash)
    with pytest.raises(Crash):
        prover.prove_snapshot(
            prover.Snapshot(ACCOUNTS, MARKET, patched), out
        )  # work files already removed
    monkeypatch.setattr(prover, "publish", publish)
    monkeypatch.setattr(prover, "prove_batch", crash_at_batch(0))  # must not be called
    seen = []
    result = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, patched), out, prover.ProveOptions(progress=seen.append)
    )
    assert result.resumed_batches == 3 and [p.event for p in seen] == []
    assert len(stand_in_receipts(out)) == 5


def test_without_a_seed_finished_batches_keep_their_salts(patched, monkeypatch, tmp_path) -> None:
    out = tmp_path / "report"
    monkeypatch.setattr(prover, "prove_batch", crash_at_batch(1))
    with pytest.raises(Crash):
        prover.prove_snapshot(prover.Snapshot(ACCOUNTS, MARKET, patched), out)
    work = (tmp_path / "report.private" / prover.WORK / "receipts-0.jsonl").read_text()
    before = {
        json.loads(line)["account"]["id"]: json.loads(line)["salt"] for line in work.splitlines()
    }
    assert sorted(before) == ["alice", "bob"]
    monkeypatch.setattr(prover, "prove_batch", stand_in)
    prover.prove_snapshot(prover.Snapshot(ACCOUNTS, MARKET, patched), out)
    after = {r["account"]["id"]: r["salt"] for r in stand_in_receipts(out).values()}
    assert {k: after[k] for k in before} == before  # the finished batch's salts, read back
    assert len(set(after.values())) == 5  # and fresh, distinct ones for the rest


def test_restart_discards_the_interrupted_run(patched, monkeypatch, tmp_path) -> None:
    out = tmp_path / "report"
    monkeypatch.setattr(prover, "prove_batch", crash_at_batch(1))
    with pytest.raises(Crash):
        prover.prove_snapshot(
            prover.Snapshot(ACCOUNTS, MARKET, patched), out, prover.ProveOptions(seed=1)
        )
    monkeypatch.setattr(prover, "prove_batch", stand_in)
    with pytest.raises(InputError, match=r"report.private holds an interrupted run .*\(randomness"):
        prover.prove_snapshot(
            prover.Snapshot(ACCOUNTS, MARKET, patched), out, prover.ProveOptions(seed=2)
        )
    result = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, patched), out, prover.ProveOptions(seed=2, restart=True)
    )
    assert result.resumed_batches == 0 and len(result.report.batches) == 3
