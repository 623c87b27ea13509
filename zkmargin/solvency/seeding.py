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
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


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

    def __init__(self, seed: int | None, p: int) -> None:
        self.seed = seed
        self.p = p

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
        if self.seed is None:
            return "csprng"
        return "seed:" + hmac.new(b"zkmargin/ledger", str(self.seed).encode(), "sha256").hexdigest()
