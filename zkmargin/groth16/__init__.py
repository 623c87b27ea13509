"""Groth16 over BN254 and BLS12-381, interchangeable with snarkjs.

Setup (:func:`setup_unsafe_dev`, one party, development only — production keys come from a
ceremony's snarkjs ``.zkey``), :func:`prove`, :func:`verify` and :func:`batch_verify`; keys in
snarkjs's ``.zkey`` layout (:class:`zkmargin.formats.zkey.ZKey`), proofs and verifying keys in
snarkjs's JSON (:mod:`zkmargin.formats.snarkjs_json`).

>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> zkey = setup_unsafe_dev(cs)
>>> proof, public = prove(zkey, [1, 9, 3])
>>> verify(verification_key(zkey), public, proof), verify(verification_key(zkey), [10], proof)
(True, False)
"""

from zkmargin.groth16.keys import verification_key, verifying_key
from zkmargin.groth16.prove import WitnessMismatch, prove
from zkmargin.groth16.setup import setup_unsafe_dev
from zkmargin.groth16.verify import batch_verify, verify

__all__ = [
    "WitnessMismatch",
    "batch_verify",
    "prove",
    "setup_unsafe_dev",
    "verification_key",
    "verify",
    "verifying_key",
]
