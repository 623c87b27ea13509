"""Key derivation matches snarkjs's (reference values printed by snarkjs 0.7 / ffjavascript for
the same seeds), and the resumable BLAKE2b matches hashlib at every block boundary."""

from __future__ import annotations

import hashlib
import os

import pytest

from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.ceremony.chacha import ChaCha, beacon_rng, field_from_rng, g1_from_rng, hash_to_g2
from zkmargin.curve import BN254


def test_field_and_g1_from_rng_match_ffjavascript() -> None:
    rng = ChaCha([1, 2, 3, 4, 5, 6, 7, 8])
    assert field_from_rng(rng, BN254.r) == int(
        "11421152797359801513699257512876826534900512878648310510227136947029091328776"
    )
    assert g1_from_rng(rng) == (
        5217210202433667727191898282504136790707584920818966276224927002650483462798,
        15329941312121016545992532075626365884228451898446262084449300681562396985945,
    )


def test_hash_to_g2_matches_snarkjs() -> None:
    p = hash_to_g2(bytes(range(64)))
    assert p == (
        (
            4331880802040179507408134841181032487087173600464364024802210002059667950604,
            4271516305872202364858900391755946161657037246250020514439168976697447665804,
        ),
        (
            14194165528950986229237743759035044030322996258565805903348263410557850081640,
            3572495062036222432809855904167672718120072387698078762897023322348755581936,
        ),
    )
    assert BN254.g2_is_valid(p)  # in the order-r subgroup: the cofactor was applied


def test_beacon_rng_iterates_sha256() -> None:
    h = b"\x01\x02"
    for _ in range(1 << 10):
        h = hashlib.sha256(h).digest()
    assert beacon_rng(b"\x01\x02", 10).next_u32() == ChaCha.from_hash(h).next_u32()
    assert beacon_rng(b"\x01\x02", 11).next_u32() != ChaCha.from_hash(h).next_u32()


@pytest.mark.parametrize("n", [0, 1, 127, 128, 129, 256, 257, 1000])
def test_blake2b_matches_hashlib_and_resumes(n: int) -> None:
    data = os.urandom(n)
    h = Blake2b().update(data[: n // 3]).update(data[n // 3 :])
    assert h.digest() == hashlib.blake2b(data).digest()
    assert (
        Blake2b.resume(h.partial()).update(b"key").digest()
        == hashlib.blake2b(data + b"key").digest()
    )
