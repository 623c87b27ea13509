"""The job ledger: ``ledger.sqlite`` in the private folder, so an interrupted ``prove`` resumes.

It records the *run fingerprint* (hashes of the accounts, market and proving-key files, the
circuit, batch size, padding and shortfall options, and a hash of the seed — never the seed or
a salt) and, per finished batch, its statement (public), the SHA-256 of its output files and the
seconds it took. A batch is recorded only after its files are written (each atomically), so a
kill at any moment leaves a ledger that never claims an unwritten batch. Wall-clock times live
here and in the log, never in ``report.json``. A ledger that cannot be read (a damaged file, a
file that is not ours) is one :class:`~zkmargin.errors.InputError` saying how to start afresh.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ledger.sqlite"
>>> with Ledger(path) as ledger:
...     resumed = ledger.start({"accounts": "ab12"}, batches=3)
...     ledger.record(1, '{"count": "2"}', 12345, "f00d", 0.5)
...     sorted(ledger.finished())
[1]
>>> with Ledger(path) as ledger:
...     try:
...         ledger.start({"accounts": "cd34"}, batches=3)
...     except FingerprintMismatch as err:
...         print(err)
accounts differs
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from zkmargin.errors import InputError

LEDGER = "ledger.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batch (
    n INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    statement TEXT NOT NULL,
    statement_hash TEXT NOT NULL,
    output_sha256 TEXT NOT NULL,
    seconds REAL NOT NULL,
    finished_at REAL NOT NULL
);
"""


class Finished(NamedTuple):
    """A recorded batch: its statement (JSON), the statement's hash (recorded once, so
    assembling the report need not rehash) and the SHA-256 of its output files."""

    statement: str
    statement_hash: int
    output_sha256: str


class FingerprintMismatch(Exception):
    """The ledger belongs to a run with other arguments; ``str()`` names the first difference."""


RESTART = "add --restart to discard the interrupted run and prove from the start"


class Ledger:
    """An open ledger (a context manager; every change is committed at once)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as err:
            raise self.damaged(err) from None
        try:
            if self._db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("integrity check failed")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as err:
            self._db.close()
            raise self.damaged(err) from None

    def damaged(self, err: object) -> InputError:
        """The one line for a ledger that cannot be used."""
        return InputError(str(self.path), "", f"damaged job ledger ({err}); {RESTART}")

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM run WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _set(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO run VALUES (?, ?)", (key, value))

    def start(self, fingerprint: dict[str, Any], batches: int) -> bool:
        """Record a new run, or check that this one has the same fingerprint (then resume).

        Returns True when resuming. :class:`FingerprintMismatch` names the first differing entry.
        """
        stored = self._get("fingerprint")
        wanted = dict(fingerprint, batches=batches)
        if stored is None:
            with self._db:
                self._db.execute("BEGIN")
                self._set("fingerprint", json.dumps(wanted, sort_keys=True))
                self._set("state", "proving")
                self._set("started_at", repr(time.time()))
            return False
        try:
            old = json.loads(stored)
        except ValueError as err:
            raise self.damaged(f"fingerprint: {err}") from None
        for key in sorted(set(old) | set(wanted)):
            if old.get(key) != wanted.get(key):
                raise FingerprintMismatch(f"{key} differs")
        return True

    @property
    def state(self) -> str:
        """``proving`` until every batch is recorded and the report is assembled, then ``done``."""
        return self._get("state") or "new"

    def set_state(self, state: str) -> None:
        self._set("state", state)
        if state == "done":
            self._set("finished_at", repr(time.time()))

    def finished(self) -> dict[int, Finished]:
        """The recorded batches."""
        rows = self._db.execute(
            "SELECT n, statement, statement_hash, output_sha256 FROM batch WHERE state = 'done'"
        )
        try:
            return {n: Finished(st, int(h), digest) for n, st, h, digest in rows}
        except (TypeError, ValueError) as err:
            raise self.damaged(f"batch row: {err}") from None

    def record(
        self, n: int, statement: str, statement_hash: int, output_sha256: str, seconds: float
    ) -> None:
        """Batch ``n`` is proven (its statement hashes to ``statement_hash``) and its files are
        written."""
        self._db.execute(
            "INSERT OR REPLACE INTO batch VALUES (?, 'done', ?, ?, ?, ?, ?)",
            (n, statement, str(statement_hash), output_sha256, seconds, time.time()),
        )

    def forget(self, n: int) -> None:
        """Batch ``n`` must be proven again (its files are missing or changed)."""
        self._db.execute("DELETE FROM batch WHERE n = ?", (n,))

    def seconds(self) -> float:
        """Proving seconds summed over the recorded batches."""
        return self._db.execute("SELECT COALESCE(SUM(seconds), 0) FROM batch").fetchone()[0]
