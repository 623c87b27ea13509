"""The job ledger: a run's fingerprint, finished batches, state; reopened after a crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zkmargin.solvency.ledger import FingerprintMismatch, Ledger

FP = {"accounts": "aa", "market": "bb", "randomness": "seed:cc"}


def test_resume_sees_the_finished_batches(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        assert ledger.start(FP, batches=3) is False
        assert ledger.state == "proving"
        ledger.record(0, '{"s": 0}', 10, "h0", 1.5)
        ledger.record(2, '{"s": 2}', 12, "h2", 2.5)
    with Ledger(path) as ledger:
        assert ledger.start(dict(FP), batches=3) is True
        assert ledger.finished() == {0: ('{"s": 0}', 10, "h0"), 2: ('{"s": 2}', 12, "h2")}
        assert ledger.seconds() == 4.0
        ledger.forget(2)
        assert sorted(ledger.finished()) == [0]
        ledger.set_state("done")
    rows = sqlite3.connect(path).execute("SELECT key FROM run ORDER BY key").fetchall()
    assert [r[0] for r in rows] == ["fingerprint", "finished_at", "started_at", "state"]


@pytest.mark.parametrize(
    ("change", "named"),
    [({"accounts": "ab"}, "accounts"), ({"randomness": "csprng"}, "randomness"), ({}, "batches")],
)
def test_other_arguments_are_refused_naming_the_difference(tmp_path, change, named) -> None:
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.start(FP, batches=3)
    batches = 4 if not change else 3
    with (
        Ledger(tmp_path / "l.sqlite") as ledger,
        pytest.raises(FingerprintMismatch, match=f"^{named} differs$"),
    ):
        ledger.start({**FP, **change}, batches=batches)
