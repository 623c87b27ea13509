"""Keys: the verifying key taken from a proving key (a snarkjs-layout :class:`ZKey`).

>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> from zkmargin.groth16 import setup_unsafe_dev
>>> cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> vk = verification_key(setup_unsafe_dev(cs))
>>> vk["protocol"], vk["curve"], vk["nPublic"], len(vk["IC"])
('groth16', 'bn128', 1, 2)
"""

from __future__ import annotations

from typing import Any

from zkmargin.formats.snarkjs_json import VerifyingKey, vk_to_json
from zkmargin.formats.zkey import ZKey
from zkmargin.groth16.gt import alphabeta_12


def verifying_key(zkey: ZKey) -> VerifyingKey:
    """The verifying key of a proving key, with ``vk_alphabeta_12`` = e(alpha1, beta2)."""
    return VerifyingKey(
        curve=zkey.curve,
        n_public=zkey.n_public,
        alpha1=zkey.alpha1,
        beta2=zkey.beta2,
        gamma2=zkey.gamma2,
        delta2=zkey.delta2,
        ic=tuple(zkey.ic),
        alphabeta12=alphabeta_12(zkey.curve, zkey.alpha1, zkey.beta2),
    )


def verification_key(zkey: ZKey) -> dict[str, Any]:
    """``verification_key.json`` content (snarkjs's ``zkey export verificationkey``).

    >>> from zkmargin.dsl.r1cs import R1CS, Constraint
    >>> from zkmargin.field import BN254_FR
    >>> from zkmargin.groth16.setup import setup_unsafe_dev
    >>> square = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "x*x=y")])
    >>> zkey = setup_unsafe_dev(square)
    >>> vk = verification_key(zkey)
    >>> vk["protocol"], vk["curve"], vk["nPublic"], len(vk["IC"])
    ('groth16', 'bn128', 1, 2)
    """
    return vk_to_json(verifying_key(zkey))
