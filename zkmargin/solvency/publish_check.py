"""Is a folder safe to publish? Finds anything private in it: a receipt or account (a salt, a
secret, a position, a balance), the exchange's account key, a job ledger or any SQLite
database, a witness, an archive that cannot be looked into, and private folders themselves.

The check reads every file's bytes (names can lie): JSON keys that only private files carry
(``"salt"``, ``"secret"``, ``"positions"``, ``"collateral"``, ``"isolated"``), a file that is
nothing but 64 hex digits (an account key, :func:`zkmargin.solvency.seeding.load_account_key`),
the SQLite and ``.wtns`` magic numbers, archive signatures. A report folder written by ``zkmargin prove`` passes; its
private folder does not.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "report.json").write_text('{"root": "1"}')
>>> private_findings(d)
[]
>>> _ = (d / "copy.json").write_text('{"id": "u1", "salt": "5"}')
>>> [f"{f.path.name}: {f.what}" for f in private_findings(d)]
['copy.json: a salt (a receipt)']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zkmargin.errors import InputError
from zkmargin.solvency import layout
from zkmargin.solvency.ledger import LEDGER

_KEYS = re.compile(rb'"(salt|secret|positions|collateral|isolated)"\s*:')
_KEY_MEANING = {
    b"salt": "a salt (a receipt)",
    b"secret": "an account's secret (a receipt)",
    b"positions": "an account's positions",
    b"collateral": "an account's balances",
    b"isolated": "an account's isolated margin",
}
_MAGIC = (
    (b"SQLite format 3\x00", "a SQLite database (a job ledger?)"),
    (b"wtns", "a witness (every private value of a batch)"),
    (b"PK\x03\x04", "a zip archive (cannot be checked)"),
    (b"\x1f\x8b", "a gzip archive (cannot be checked)"),
    (b"BZh", "a bzip2 archive (cannot be checked)"),
    (b"\xfd7zXZ\x00", "an xz archive (cannot be checked)"),
    (b"(\xb5/\xfd", "a zstd archive (cannot be checked)"),
)
_ACCOUNT_KEY = re.compile(rb"\s*[0-9a-fA-F]{64}\s*")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Finding:
    """A file that must not be published, and why."""

    path: Path
    what: str


def private_findings(folder: str | Path) -> list[Finding]:
    """Every private item in ``folder`` (empty: safe to publish), in path order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "", "not a folder")
    findings = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            findings.append(Finding(path, "a symbolic link (its target cannot be vouched for)"))
        elif path.is_dir():
            if path.name == layout.RECEIPTS or path.name.endswith(".private"):
                findings.append(Finding(path, "a private folder (receipts)"))
        elif path.is_file():
            what = _private_content(path)
            if what is None and path.name in (LEDGER, f"{LEDGER}-journal"):
                what = "a job ledger"
            if what is not None:
                findings.append(Finding(path, what))
    return findings


def _private_content(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(_CHUNK)
            for magic, what in _MAGIC:
                if head.startswith(magic):
                    return what
            if _ACCOUNT_KEY.fullmatch(head):
                return "an account key (every account's pseudonym derives from it)"
            tail = b""
            while head:
                found = _KEYS.search(tail + head)
                if found:
                    return _KEY_MEANING[found.group(1)]
                tail = head[-64:]  # a key cut by the chunk boundary
                head = fh.read(_CHUNK)
    except OSError as err:
        return f"unreadable ({err.strerror}): cannot be checked"
    return None
