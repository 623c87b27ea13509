"""Salts and blinding from a seed: deterministic, in range, separated by purpose and index."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zkmargin.field import BN254_FR
from zkmargin.solvency.seeding import Randomness, derive

P = BN254_FR.p


@given(st.integers(0, 2**128), st.integers(0, 10**9))
def test_derived_numbers_are_field_elements_and_repeat(seed: int, index: int) -> None:
    a = derive(seed, P, "salt", index)
    assert 1 <= a < P
    assert a == derive(seed, P, "salt", index)
    assert a != derive(seed, P, "blinding", index)
    assert a != derive(seed + 1, P, "salt", index)
    assert a != derive(seed, P, "salt", index + 1)


def test_indices_are_not_concatenated_ambiguously() -> None:
    assert derive(1, P, "salt", 1, 23) != derive(1, P, "salt", 12, 3)


def test_without_a_seed_every_salt_is_fresh() -> None:
    r = Randomness(None, P)
    salts = {r.salt(0) for _ in range(8)}
    assert len(salts) == 8 and all(1 <= s < P for s in salts)
    assert r.blinding_seed(0) is None
    assert r.fingerprint() == "csprng"


def test_the_ledger_fingerprint_hides_the_seed() -> None:
    text = Randomness(123456789, P).fingerprint()
    assert "123456789" not in text
    assert text == Randomness(123456789, P).fingerprint() != Randomness(123456780, P).fingerprint()
