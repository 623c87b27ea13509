"""Where things live in a keys folder and a report folder, and receipt file names.

A keys folder (``zkmargin setup``)::

    circuit.zkey  verification_key.json  circuit.r1cs  circuit.json

A report folder (``zkmargin prove``), public — meant to be published whole (files 0644,
folders 0755)::

    README.md  report.json  verification_key.json  market.json  market_table.json
    batches/<n>/proof.json  batches/<n>/public.json

and its private folder (``REPORT.private`` beside it unless ``--private``; folder 0700, files
0600), never to be published: every account's positions and salt are in it::

    README.md  ledger.sqlite  account.key  receipts/<account file name>.json  witnesses/<n>.wtns

Receipt file names must be safe for any id on any file system: a *plain* id (lower-case ASCII
letters, digits, ``.``, ``_``, ``-``; starting with a letter or digit; not a Windows device name)
is used as is; any other id is ``~`` + the lower-case base32 of its UTF-8 bytes (no padding), so
two ids never share a file even on case-insensitive systems; an id too long for that is ``~~`` +
its SHA-256 in hex.

>>> receipt_filename("acct-0001")
'acct-0001.json'
>>> receipt_filename("Alice@EU")
'~ifwgsy3fibcvk.json'
>>> id_from_receipt_filename(receipt_filename("Alice@EU"))
'Alice@EU'
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

ZKEY = "circuit.zkey"
VKEY = "verification_key.json"
R1CS_FILE = "circuit.r1cs"
CIRCUIT_INFO = "circuit.json"

REPORT = "report.json"
MARKET = "market.json"
MARKET_TABLE = "market_table.json"
BATCHES = "batches"
CLAIM_KEYS = "claim_keys"
RECEIPTS = "receipts"
PROOF = "proof.json"
PUBLIC = "public.json"
README = "README.md"
WITNESSES = "witnesses"
ACCOUNT_KEY = "account.key"
"""The exchange's account key (private; default place): it fixes each account's commitment."""

PUBLIC_FILE_MODE, PUBLIC_DIR_MODE = 0o644, 0o755
PRIVATE_FILE_MODE, PRIVATE_DIR_MODE = 0o600, 0o700

_PLAIN = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
# Device names Windows reserves whatever the extension (con.json is still the console).
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")
_MAX_ENCODED = 200


def receipt_filename(account_id: str) -> str:
    """The file name (in ``receipts/``) of an account's receipt; see the module docstring."""
    plain = _PLAIN.fullmatch(account_id) and not account_id.endswith(".")
    if plain and not _RESERVED.fullmatch(account_id):
        return f"{account_id}.json"
    raw = account_id.encode("utf-8")
    encoded = base64.b32encode(raw).decode("ascii").rstrip("=").lower()
    if len(encoded) + 1 <= _MAX_ENCODED:
        return f"~{encoded}.json"
    return f"~~{hashlib.sha256(raw).hexdigest()}.json"


def id_from_receipt_filename(name: str) -> str | None:
    """The account id a receipt file name stands for (``None`` for a hashed name)."""
    stem = name.removesuffix(".json")
    if stem.startswith("~~"):
        return None
    if stem.startswith("~"):
        body = stem[1:].upper()
        return base64.b32decode(body + "=" * (-len(body) % 8)).decode("utf-8")
    return stem


def batch_dir(report_dir: str | Path, n: int) -> Path:
    """The folder holding batch ``n``'s proof and public signals."""
    return Path(report_dir) / BATCHES / str(n)


def private_dir(report_dir: str | Path) -> Path:
    """The default private folder of a report: ``REPORT.private`` beside ``REPORT``."""
    report_dir = Path(report_dir)
    return report_dir.with_name(report_dir.name + ".private")


def public_files(n_batches: int, claim_circuits: Iterable[str] = ()) -> set[str]:
    """The paths (relative, ``/``-separated) of every file of a report folder of ``n_batches``
    publishing the claim keys of ``claim_circuits``."""
    names = {README, REPORT, VKEY, MARKET, MARKET_TABLE}
    names |= {f"{CLAIM_KEYS}/{c}.json" for c in claim_circuits}
    for n in range(n_batches):
        names |= {f"{BATCHES}/{n}/{PROOF}", f"{BATCHES}/{n}/{PUBLIC}"}
    return names


def claim_key_path(folder: str | Path, circuit: str) -> Path:
    """Where a report folder publishes ``circuit``'s verifying key (``prove --claim-keys``)."""
    return Path(folder) / CLAIM_KEYS / f"{circuit}.json"


def receipt_path(private: str | Path, account_id: str) -> Path:
    """Where ``prove`` writes the receipt of ``account_id`` in the ``private`` folder."""
    return Path(private) / RECEIPTS / receipt_filename(account_id)
