"""Field encodings shared by the reference and the circuits: ids, account leaves, circuit ids.

Every hash here is the width-17 Poseidon sponge (:func:`zkmargin.hash.poseidon_sponge`) over a
list that starts with a domain tag, so an account leaf, an id hash, a market hash, a circuit id
and a statement hash can never be confused for one another even when their inputs coincide.

* ``id_hash(id)``: sponge ``[ID_TAG, byte length, chunk_0, ...]`` where the UTF-8 bytes are cut
  into 31-byte big-endian chunks (each < 2^248 < p, so no chunk wraps); the explicit length keeps
  trailing zero bytes apart (``"a"`` vs ``"a\\x00"``). Ids are at most :data:`MAX_ID_BYTES`.
* ``account_commitment(id, secret)``: sponge ``[ACCOUNT_TAG, id_hash(id), secret]``, the
  account's pseudonym. The secret is the exchange's, per account and kept across epochs (unlike
  the per-snapshot salt), and handed to the user in each receipt: the pseudonym is stable, so an
  account's own receipts, notices and attestations link, while without the secret nobody can
  tell which id it names or link it to a leaf.
* ``account_leaf``: sponge ``[LEAF_TAG, K, A, commitment, salt, i_0, q_0 mod p, ..., i_(K−1),
  q_(K−1) mod p, b_0, ..., b_(A−1)]``: the account's commitment (so one leaf names one
  pseudonym), K position slots (instrument index, signed quantity as
  ``q mod p``; :mod:`zkmargin.batch.slots`) and A balances (the counts keep a value from moving
  between the sections).
* a model that commits more per account uses the extended leaf ``[EXTENDED_LEAF_TAG, K, A, E,
  commitment, salt, slots..., balances..., extra_0, ..., extra_(E−1)]``: its own tag and the count
  E, so no extended leaf equals a plain one and no value can move between the sections.

>>> id_hash("acct-0001") == id_hash("acct-0001"), id_hash("a") != id_hash("a\\x00")
(True, True)
>>> leaf = account_leaf(account_commitment("u1", 5), 7, [(3, -10**8), (0, 0)], [5 * 10**8])
>>> 0 < leaf < BN254_FR.p, account_commitment("u1", 5) != account_commitment("u1", 6)
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash import poseidon_sponge


def text_tag(text: str) -> int:
    """A short ASCII label as one field element (its big-endian bytes; at most 31 bytes)."""
    raw = text.encode("ascii")
    if len(raw) > 31:
        raise ValueError(f"tag {text!r} longer than 31 bytes")
    return int.from_bytes(raw, "big")


ID_TAG = text_tag("zkmargin/id/v1")
ACCOUNT_TAG = text_tag("zkmargin/account/v1")
LEAF_TAG = text_tag("zkmargin/leaf/v2")
EXTENDED_LEAF_TAG = text_tag("zkmargin/leaf-extended/v2")
CIRCUIT_TAG = text_tag("zkmargin/circuit/v1")
MAX_ID_BYTES = 64
"""Longest account id (UTF-8 bytes) — the accounts schema allows 64 ASCII characters."""
CHUNK_BYTES = 31


def pack_text(text: str, max_bytes: int = MAX_ID_BYTES) -> list[int]:
    """``[byte length, chunk_0, ...]``: UTF-8 bytes in 31-byte big-endian chunks (each < 2^248).

    >>> pack_text("ab")
    [2, 24930]
    """
    raw = text.encode("utf-8")
    if not raw or len(raw) > max_bytes:
        raise ValueError(f"text must be 1..{max_bytes} UTF-8 bytes, got {len(raw)}: {text!r}")
    chunks = [raw[i : i + CHUNK_BYTES] for i in range(0, len(raw), CHUNK_BYTES)]
    return [len(raw), *(int.from_bytes(c, "big") for c in chunks)]


def id_hash(account_id: str, field: PrimeField = BN254_FR) -> int:
    """The field element an account id enters the tree as (see the module docstring)."""
    return poseidon_sponge([ID_TAG, *pack_text(account_id)], field)


def account_commitment(account_id: str, secret: int, field: PrimeField = BN254_FR) -> int:
    """The account's stable pseudonym (see the module docstring); ``secret`` in ``[0, p)``."""
    return poseidon_sponge([ACCOUNT_TAG, id_hash(account_id, field), secret % field.p], field)


def leaf_inputs(
    account: int,
    salt: int,
    slots: Sequence[tuple[int, int]],
    balances: Sequence[int],
    p: int,
    extra: Sequence[int] = (),
) -> list[int]:
    """The sponge input of a leaf, as field elements (what the circuit hashes, in order)."""
    header = [LEAF_TAG, len(slots), len(balances)]
    if extra:
        header = [EXTENDED_LEAF_TAG, len(slots), len(balances), len(extra)]
    return [
        *header,
        account % p,
        salt % p,
        *(v % p for slot in slots for v in slot),
        *balances,
        *(x % p for x in extra),
    ]


def account_leaf(
    account: int,
    salt: int,
    slots: Sequence[tuple[int, int]],
    balances: Sequence[int],
    field: PrimeField = BN254_FR,
    *,
    extra: Sequence[int] = (),
) -> int:
    """An account's leaf in its batch tree: binds the account's commitment
    (:func:`account_commitment`), salt, every position slot and balance.

    ``slots`` are ``(instrument index, signed quantity at 10^8)`` pairs
    (:func:`~zkmargin.batch.slots.account_slots`); ``balances`` non-negative, in asset order.
    The salt hides the leaf's preimage from anyone holding the tree (a random field element per
    account and epoch). ``extra``: a model's own per-account values (non-negative), which make
    it an extended leaf (module docstring).

    >>> account_leaf(1, 2, [(0, 3)], [4]) != account_leaf(1, 2, [(0, 3)], [4], extra=[0])
    True
    """
    if any(b < 0 for b in balances) or any(x < 0 for x in extra):
        raise ValueError("balances and extra leaf values must be non-negative")
    inputs = leaf_inputs(account, salt, slots, balances, field.p, extra)
    return poseidon_sponge(inputs, field)


def circuit_id(
    name: str, batch_size: int, shape: Sequence[int], field: PrimeField = BN254_FR
) -> int:
    """A field element naming a circuit: model name, batch size and shape.

    ``shape`` is :meth:`zkmargin.batch.shape.Shape.encoding` (slots, capacities, scenarios,
    level, lookup), so a proof made for one model or shape cannot pass as another's.

    >>> circuit_id("cross", 4, [1, 2]) != circuit_id("cross", 8, [1, 2])
    True
    """
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    return _circuit_id(name, batch_size, tuple(shape), field)


@lru_cache(maxsize=64)
def _circuit_id(name: str, batch_size: int, shape: tuple[int, ...], field: PrimeField) -> int:
    return poseidon_sponge([CIRCUIT_TAG, *pack_text(name), batch_size, *shape], field)
