"""The Groth16 verifier (py_ecc through the curve layer), single and batched.

A proof (A, B, C) verifies for public signals x when

    e(-A, B) · e(alpha1, beta2) · e(IC_0 + sum x_i IC_i, gamma2) · e(C, delta2) = 1,

checked with one multi-Miller loop and one final exponentiation. Inputs are validated first;
malformed ones raise :class:`zkmargin.errors.InputError` (point off the curve or outside the
subgroup, coordinate >= q, public signal >= r, wrong count, curve mismatch); a well-formed proof
that does not verify returns ``False``.

>>> from zkmargin.formats.snarkjs_json import Proof
>>> from zkmargin.curve import BN254
>>> vk_json = {"protocol": "groth16", "curve": "bn128", "nPublic": 0,
...     "vk_alpha_1": ["1", "2", "1"], "vk_beta_2": [["0", "0"], ["1", "0"], ["0", "0"]],
...     "vk_gamma_2": [["0", "0"], ["1", "0"], ["0", "0"]],
...     "vk_delta_2": [["0", "0"], ["1", "0"], ["0", "0"]], "IC": [["1", "2", "1"]]}
>>> verify(vk_json, [], Proof("bn128", BN254.g1, BN254.g2, BN254.g1))
False
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from zkmargin.curve import Curve, curve_by_name
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import (
    Proof,
    VerifyingKey,
    proof_from_json,
    proof_to_json,
    public_from_json,
    public_to_json,
    vk_from_json,
    vk_to_json,
)

BATCH_WEIGHT_BITS = 128


def _validated(
    vk: VerifyingKey | dict, public: Sequence[int | str], proof: Proof | dict
) -> tuple[Curve, VerifyingKey, list[int], Proof]:
    # One validation path for objects and parsed JSON alike: objects go through their JSON form.
    if isinstance(vk, VerifyingKey):
        vk = vk_to_json(vk)
    vk_obj = vk_from_json(vk, "<verification key>")
    if isinstance(proof, Proof):
        proof = proof_to_json(proof)
    proof_obj = proof_from_json(proof, "<proof>")
    curve = curve_by_name(vk_obj.curve)
    if proof_obj.curve != vk_obj.curve:
        raise InputError(
            "<proof>", "curve", f"proof is on {proof_obj.curve}, the key on {vk_obj.curve}"
        )
    if not isinstance(public, list | tuple):
        raise InputError("<public>", "", "expected a list of public signals")
    values = public_from_json(
        [v if isinstance(v, str) else public_to_json([v])[0] for v in public],
        "<public>",
        curve.fr.p,
    )
    if len(values) != vk_obj.n_public:
        raise InputError(
            "<public>", "", f"expected {vk_obj.n_public} public signals, got {len(values)}"
        )
    return curve, vk_obj, values, proof_obj


def _public_input_point(curve: Curve, vk: VerifyingKey, public: Sequence[int]):
    return curve.g1_add(vk.ic[0], curve.g1_msm(list(vk.ic[1:]), list(public)))


def verify(
    vk: VerifyingKey | dict[str, Any], public: Sequence[int | str], proof: Proof | dict[str, Any]
) -> bool:
    """True iff ``proof`` verifies for ``public`` under ``vk`` (objects or snarkjs JSON dicts).

    Negative ints in ``public`` are rejected like any value outside ``[0, r)``.
    """
    curve, vk, values, proof = _validated(vk, public, proof)
    return curve.pairing_check(
        [
            (curve.g1_neg(proof.a), proof.b),
            (vk.alpha1, vk.beta2),
            (_public_input_point(curve, vk, values), vk.gamma2),
            (proof.c, vk.delta2),
        ]
    )


def batch_verify(
    vk: VerifyingKey | dict[str, Any],
    items: Sequence[tuple[Sequence[int | str], Proof | dict[str, Any]]],
) -> bool:
    """True iff every ``(public, proof)`` verifies under the same ``vk`` (with overwhelming
    probability): a random linear combination with fresh 128-bit weights from ``secrets``, so a
    batch holding one bad proof passes with probability about 2^-128. One multi-Miller loop over
    k + 3 pairs and one final exponentiation. An empty batch is vacuously true.
    """
    checked = [_validated(vk, public, proof) for public, proof in items]
    if not checked:
        return True
    curve, vk_obj = checked[0][0], checked[0][1]
    pairs = []
    weights = []
    publics = []
    cs = []
    for _, _, values, proof in checked:
        rho = secrets.randbits(BATCH_WEIGHT_BITS) | 1  # odd, so never zero
        weights.append(rho)
        pairs.append((curve.g1_neg(curve.g1_mul(proof.a, rho)), proof.b))
        publics.append(_public_input_point(curve, vk_obj, values))
        cs.append(proof.c)
    total = sum(weights) % curve.fr.p
    pairs.append((curve.g1_mul(vk_obj.alpha1, total), vk_obj.beta2))
    pairs.append((curve.g1_msm(publics, weights), vk_obj.gamma2))
    pairs.append((curve.g1_msm(cs, weights), vk_obj.delta2))
    return curve.pairing_check(pairs)
