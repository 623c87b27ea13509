"""Salts and proof blinding: from ``--seed`` (reproducible, tests and audits) or the OS CSPRNG.

With a seed every number is ``HMAC-SHA-512(key = seed, message = purpose/indices)`` reduced into
``[1, p)`` (512 bits reduced mod a 254-bit prime: the bias is below 2^-250), so a batch's salts
and blinding depend only on the seed and the batch's place in the snapshot, not on which process
proves it or whether the run was resumed. Anyone who knows the seed knows every salt and the
proofs' blinding ``r, s``: a seeded report is **not zero-knowledge** (salts hide an account's
data from brute force; known ``r, s`` let the witness be recovered from a proof).

>>> p = 2**61 - 1
>>> a = Randomness(7, p)
>>> a.salt(3) == Randomness(7, p).salt(3) != a.salt(4)
True
>>> 1 <= a.salt(3) < p
True
>>> Randomness(None, p).blinding_seed(0) is None
True

An account's secret (its pseudonym's, :func:`zkmargin.batch.account_commitment`) must stay the
same from epoch to epoch, so it never comes from the per-run CSPRNG: it is
``HMAC-SHA-512(key = account key, "zkmargin/account/<id>")`` reduced as above, the account key
being the exchange's, kept across epochs (``prove --account-key``); with a seed and no key it is
derived from the seed.

>>> k = Randomness(None, p, account_key=bytes(32))
>>> k.secret("u1") == Randomness(9, p, account_key=bytes(32)).secret("u1") != k.secret("u2")
True
>>> Randomness(7, p).secret("u1") == a.secret("u1")
True
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from zkmargin.errors import InputError


def derive(seed: int, p: int, purpose: str, *indices: int) -> int:
    """A number in ``[1, p)`` determined by ``seed``, ``purpose`` and ``indices``."""
    if seed < 0:
        raise ValueError("seed must be >= 0")
    key = seed.to_bytes(max(1, (seed.bit_length() + 7) // 8), "big")
    message = "/".join(["zkmargin", purpose, *map(str, indices)]).encode()
    digest = hmac.new(key, message, hashlib.sha512).digest()
    return 1 + int.from_bytes(digest, "big") % (p - 1)


class Randomness:
    """Where salts and blinding come from: ``seed`` (an int) or, for ``None``, :mod:`secrets`."""

    def __init__(self, seed: int | None, p: int, account_key: bytes | None = None) -> None:
        self.seed = seed
        self.p = p
        self.account_key = account_key

    def secret(self, account_id: str) -> int:
        """The secret of ``account_id`` (the same in every epoch proven with the same key)."""
        if self.account_key is not None:
            message = f"zkmargin/account/{account_id}".encode()
            digest = hmac.new(self.account_key, message, hashlib.sha512).digest()
            return 1 + int.from_bytes(digest, "big") % (self.p - 1)
        if self.seed is None:
            raise ValueError("an account secret needs the account key or a seed")
        return derive(self.seed, self.p, "account", account_id)

    def salt(self, index: int) -> int:
        """The salt of the account at snapshot ``index`` (fresh on every call without a seed)."""
        if self.seed is None:
            return 1 + secrets.randbelow(self.p - 1)
        return derive(self.seed, self.p, "salt", index)

    def blinding_seed(self, batch: int) -> int | None:
        """The seed of batch ``batch``'s proof blinding, ``None`` for the CSPRNG."""
        return None if self.seed is None else derive(self.seed, self.p, "blinding", batch)

    def fingerprint(self) -> str:
        """What the job ledger records about the seed: a hash (the seed itself stays private)."""
        key = ""
        if self.account_key is not None:
            key = "+key:" + hmac.new(b"zkmargin/ledger", self.account_key, "sha256").hexdigest()
        if self.seed is None:
            return "csprng" + key
        seed = hmac.new(b"zkmargin/ledger", str(self.seed).encode(), "sha256").hexdigest()
        return "seed:" + seed + key


ACCOUNT_KEY_BYTES = 32


def load_account_key(path: Path) -> bytes:
    """The account key in ``path`` (hex), made there from the OS CSPRNG (mode 0600) when the
    file does not exist. ``InputError`` for anything but 64 hex digits."""
    if not path.exists():
        if not path.parent.is_dir():
            raise InputError(str(path), "", f"folder {path.parent} does not exist")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(ACCOUNT_KEY_BYTES) + "\n")
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (UnicodeDecodeError, ValueError):
        key = b""
    except OSError as err:
        raise InputError(str(path), "", f"cannot read: {err.strerror}") from None
    if len(key) != ACCOUNT_KEY_BYTES:
        raise InputError(str(path), "", f"expected {2 * ACCOUNT_KEY_BYTES} hex digits")
    return key
