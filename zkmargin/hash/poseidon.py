"""Poseidon permutation, the circomlib-compatible hash, and a sponge for long inputs (reference).

``poseidon(inputs)`` equals circomlibjs's ``poseidon(inputs)``: width ``t = len(inputs) + 1``,
state ``[0, *inputs]``, each round adds the round constants, applies x^5 to every word (full
rounds) or to word 0 only (partial rounds), then multiplies by the MDS matrix; the digest is
word 0 of the final state.

Sponge (:func:`poseidon_sponge`, our construction, for any number of inputs): width 17 (capacity
word 0, rate words 1..16), capacity initialised to the domain tag ``2^64 + len(inputs)``; the
inputs, zero-padded to a positive multiple of 16, are absorbed 16 at a time by field addition
into words 1..16, each block followed by one permutation; the digest is word 1 (the first rate
word) of the final state. Encoding the length in the capacity makes the zero padding unambiguous
(inputs of different lengths start from different states) and separates the sponge from
:func:`poseidon`, whose capacity starts at 0 (the Poseidon paper's idea of domain separation
through the initial capacity value).

>>> poseidon([1, 2])
7853200120776062878684798364095072458815029376092732009249414926327459813530
>>> poseidon_sponge([1, 2]) != poseidon([1, 2])
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeVar

from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash.poseidon_constants import ALPHA, MAX_T, PoseidonParams, poseidon_params
from zkmargin.hash.poseidon_fast import permute_fast

Permutation = Callable[[Sequence[int], PoseidonParams], list[int]]
"""A Poseidon permutation implementation: :func:`permute` (textbook reference),
:func:`zkmargin.hash.poseidon_fast.permute_fast` (same values, faster for wide states) or
:func:`zkmargin.hash.poseidon_kernel.permute_kernel` (numba); the hashes default to
:func:`preferred_permutation`."""

SPONGE_RATE = MAX_T - 1

T = TypeVar("T")

SPONGE_DOMAIN_BASE = 1 << 64


def permute(state: Sequence[int], params: PoseidonParams) -> list[int]:
    """The Poseidon permutation on ``params.t`` field elements."""
    p, t = params.field.p, params.t
    if len(state) != t:
        raise ValueError(f"state has {len(state)} words, the permutation takes {t}")
    s = [x % p for x in state]
    for r in range(params.rounds):
        s = [(x + c) % p for x, c in zip(s, params.round_constants[r], strict=True)]
        if params.is_full_round(r):
            s = [pow(x, ALPHA, p) for x in s]
        else:
            s[0] = pow(s[0], ALPHA, p)
        s = [sum(m * x for m, x in zip(row, s, strict=True)) % p for row in params.mds]
    return s


@cache
def preferred_permutation() -> Permutation:
    """The fastest permutation here: the numba kernel when numba imports, else ``permute_fast``.

    Every implementation gives the same values (tested against :func:`permute`); pass
    ``permutation=permute`` to run the textbook one.
    """
    try:
        from zkmargin.hash.poseidon_kernel import permute_kernel
    except ImportError:  # numba is optional at run time, like the fast curve backend
        return permute_fast
    return permute_kernel


def poseidon(
    inputs: Sequence[int], field: PrimeField = BN254_FR, *, permutation: Permutation | None = None
) -> int:
    """circomlib's Poseidon hash of 1 … 16 field elements (ints are reduced mod p).

    >>> poseidon([1])
    18586133768512220936620570745912940619677854269274689475585506675881198879027
    """
    n = len(inputs)
    if not 1 <= n <= MAX_T - 1:
        raise ValueError(f"poseidon takes 1..{MAX_T - 1} inputs, got {n}; use poseidon_sponge")
    permute_with = permutation or preferred_permutation()
    return permute_with([0, *inputs], poseidon_params(n + 1, field))[0]


def sponge_blocks(inputs: Sequence[T]) -> list[list[T | int]]:
    """The zero-padded rate-16 blocks the sponge absorbs (at least one)."""
    n_blocks = max(1, -(-len(inputs) // SPONGE_RATE))
    padded: list[T | int] = [*inputs] + [0] * (n_blocks * SPONGE_RATE - len(inputs))
    return [padded[i : i + SPONGE_RATE] for i in range(0, len(padded), SPONGE_RATE)]


def sponge_domain_tag(length: int) -> int:
    """The sponge's initial capacity word for an input of ``length`` elements."""
    return SPONGE_DOMAIN_BASE + length


def poseidon_sponge(
    inputs: Sequence[int], field: PrimeField = BN254_FR, *, permutation: Permutation | None = None
) -> int:
    """Hash any number of field elements with the width-17 Poseidon sponge (see module doc).

    >>> poseidon_sponge(list(range(40))) == poseidon_sponge(list(range(40)) + [0])
    False
    """
    params = poseidon_params(MAX_T, field)
    permute_with = permutation or preferred_permutation()
    p = field.p
    state = [sponge_domain_tag(len(inputs)) % p] + [0] * SPONGE_RATE
    for block in sponge_blocks(inputs):
        state = [state[0]] + [(s + x) % p for s, x in zip(state[1:], block, strict=True)]
        state = permute_with(state, params)
    return state[1]
