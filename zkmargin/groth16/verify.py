"""The Groth16 verifier (py_ecc through the curve layer), single and batched.

A proof (A, B, C) verifies for public signals x when

    e(-A, B) · e(alpha1, beta2) · e(IC_0 + sum x_i IC_i, gamma2) · e(C, delta2) = 1,

checked with one multi-Miller loop and one final exponentiation. Inputs are validated first;
malformed ones raise :class:`zkmargin.errors.InputError` (point off the curve or outside the
subgroup, coordinate >= q, public signal >= r, wrong count, curve mismatch); a well-formed proof
that does not verify returns ``False``.

Two pairing backends give the same answers: ``"reference"`` (py_ecc, through
:meth:`zkmargin.curve.Curve.pairing_check`) and ``"fast"`` (:mod:`zkmargin.curve.fast.pairing`:
numba kernels, arkworks on BLS12-381 when installed), which prepares each key's fixed G2 points'
lines and ``e(alpha, beta)``'s Miller value once and keeps them (:func:`fast_key`).  The default
(``backend=None``) follows the curve layer: ``"fast"`` when the fast MSM backend is the default
(:func:`zkmargin.curve.default_backend`), else ``"reference"``.  A validated verifying key is
remembered by its JSON content, so verifying many proofs under one key checks it once.

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

import json
import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from zkmargin.curve import G1, G2, Curve, curve_by_name, default_backend, get_backend
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
PAIRING_BACKENDS = ("fast", "reference")
_CACHE_SIZE = 16  # verifying keys remembered (validated form, and prepared pairing data)
PREFER_NATIVE = True
"""Whether the fast backend uses arkworks on BLS12-381 when installed (else numba there too)."""


V = TypeVar("V")


class _Lru(OrderedDict[Hashable, V]):
    def remember(self, key: Hashable, make: Callable[[], V]) -> V:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        if len(self) > _CACHE_SIZE:
            self.popitem(last=False)
        return value


_VALIDATED_KEYS: _Lru[VerifyingKey] = _Lru()
_FAST_KEYS: _Lru[FastKey] = _Lru()


def pairing_backend(name: str | None = None) -> str:
    """The pairing backend ``name`` resolves to: ``"fast"`` or ``"reference"`` (``None``: the
    default, ``"fast"`` iff the curve layer's default MSM backend is ``"fast"``).

    >>> pairing_backend("reference")
    'reference'
    """
    if name is None:
        return "fast" if default_backend() == "fast" else "reference"
    if name not in PAIRING_BACKENDS:
        raise ValueError(f"unknown pairing backend {name!r}; expected one of {PAIRING_BACKENDS}")
    return name


def _validated_vk(vk: VerifyingKey | dict[str, Any]) -> VerifyingKey:
    # Validation is a pure function of the JSON content: remember it per content.
    doc = vk_to_json(vk) if isinstance(vk, VerifyingKey) else vk
    try:
        key = json.dumps(doc, sort_keys=True)
    except (TypeError, ValueError):  # not JSON-like: let vk_from_json name the problem
        return vk_from_json(doc, "<verification key>")
    return _VALIDATED_KEYS.remember(key, lambda: vk_from_json(doc, "<verification key>"))


@dataclass(frozen=True)
class FastKey:
    """What the fast backend keeps per verifying key: the pairing engine, ``beta``, ``gamma``
    and ``delta`` prepared (line coefficients), and ``e(alpha, beta)`` before the final
    exponentiation (``alphabeta``)."""

    engine: Any
    beta: Any
    gamma: Any
    delta: Any
    alphabeta: Any


def fast_key(vk: VerifyingKey) -> FastKey:
    """The (cached) fast-backend data of a validated verifying key."""
    native = PREFER_NATIVE
    key = (native, vk.curve, vk.alpha1, vk.beta2, vk.gamma2, vk.delta2)
    return _FAST_KEYS.remember(key, lambda: _make_fast_key(vk, native))


def _make_fast_key(vk: VerifyingKey, native: bool) -> FastKey:
    from zkmargin.curve.fast.pairing import engine_for  # numba: imported only when used

    engine = engine_for(curve_by_name(vk.curve), native)

    def prepared(q: G2) -> Any:
        return None if q is None else engine.prepare(q)

    beta = prepared(vk.beta2)
    return FastKey(
        engine,
        beta,
        prepared(vk.gamma2),
        prepared(vk.delta2),
        engine.precompute([(vk.alpha1, beta)]),
    )


def _validated(
    vk: VerifyingKey | dict[str, Any],
    public: Sequence[int | str],
    proof: Proof | dict[str, Any],
) -> tuple[Curve, VerifyingKey, list[int], Proof]:
    # One validation path for objects and parsed JSON alike: objects go through their JSON form.
    vk_obj = _validated_vk(vk)
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


SMALL_MSM = 32
"""Below this many points an MSM runs on the reference backend: a verifier's MSMs are small,
and the fast backend's fixed cost (threads, conversions) outweighs them."""


def _msm(curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1:
    if len(points) < SMALL_MSM:
        return get_backend("reference").g1_msm(curve, list(points), list(scalars))
    return curve.g1_msm(list(points), list(scalars))


def _public_input_point(curve: Curve, vk: VerifyingKey, public: Sequence[int]) -> G1:
    return _msm(curve, vk.ic, [1, *public])


def verify(
    vk: VerifyingKey | dict[str, Any],
    public: Sequence[int | str],
    proof: Proof | dict[str, Any],
    *,
    backend: str | None = None,
) -> bool:
    """True iff ``proof`` verifies for ``public`` under ``vk`` (objects or snarkjs JSON dicts).

    Negative ints in ``public`` are rejected like any value outside ``[0, r)``.  ``backend``:
    ``"fast"``, ``"reference"`` or ``None`` (see :func:`pairing_backend`).

    >>> from zkmargin.dsl.r1cs import R1CS, Constraint
    >>> from zkmargin.field import BN254_FR
    >>> from zkmargin.groth16.setup import setup_unsafe_dev
    >>> square = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "x*x=y")])
    >>> zkey = setup_unsafe_dev(square)
    >>> from zkmargin.groth16.keys import verifying_key
    >>> from zkmargin.groth16.prove import prove
    >>> proof, public = prove(zkey, [1, 9, 3])
    >>> verify(verifying_key(zkey), public, proof), verify(verifying_key(zkey), [10], proof)
    (True, False)
    """
    curve, vk, values, proof = _validated(vk, public, proof)
    if pairing_backend(backend) == "fast":
        key = fast_key(vk)
        return bool(
            key.engine.product_is_one(
                [
                    (curve.g1_neg(proof.a), proof.b),
                    (_public_input_point(curve, vk, values), key.gamma),
                    (proof.c, key.delta),
                ],
                key.alphabeta,
            )
        )
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
    *,
    backend: str | None = None,
) -> bool:
    """True iff every ``(public, proof)`` verifies under the same ``vk`` (with overwhelming
    probability): a random linear combination with fresh 128-bit weights from ``secrets``, so a
    batch holding one bad proof passes with probability about 2^-128. One multi-Miller loop over
    k + 3 pairs and one final exponentiation. An empty batch is vacuously true.  ``backend`` as
    for :func:`verify`.
    """
    checked = [_validated(vk, public, proof) for public, proof in items]
    if not checked:
        return True
    curve, vk_obj = checked[0][0], checked[0][1]
    r = curve.fr.p
    fast = pairing_backend(backend) == "fast"
    weights = []
    # sum_i rho_i (IC_0 + sum_j x_ij IC_j) = sum_j (sum_i rho_i x_ij) IC_j: one small MSM
    ic_scalars = [0] * len(vk_obj.ic)
    for _, _, values, _ in checked:
        rho = secrets.randbits(BATCH_WEIGHT_BITS) | 1  # odd, so never zero
        weights.append(rho)
        for j, x in enumerate([1, *values]):
            ic_scalars[j] = (ic_scalars[j] + rho * x) % r
    # e(-rho_i A_i, B_i): the weights go on A as -rho_i, so no negation afterwards
    minus = [r - rho for rho in weights]
    a_list = [proof.a for _, _, _, proof in checked]
    if fast:
        from zkmargin.curve.fast.pairing.scalar import g1_mul_many

        weighted = g1_mul_many(curve, a_list, minus)
    else:
        weighted = [curve.g1_mul(a, k) for a, k in zip(a_list, minus, strict=True)]
    pairs = [(wa, proof.b) for wa, (_, _, _, proof) in zip(weighted, checked, strict=True)]
    cs = [proof.c for _, _, _, proof in checked]
    alpha = curve.g1_mul(vk_obj.alpha1, ic_scalars[0])
    public_sum = _msm(curve, vk_obj.ic, ic_scalars)
    c_sum = _msm(curve, cs, weights)
    if fast:
        key = fast_key(vk_obj)
        return bool(
            key.engine.product_is_one(
                [*pairs, (alpha, key.beta), (public_sum, key.gamma), (c_sum, key.delta)]
            )
        )
    pairs += [(alpha, vk_obj.beta2), (public_sum, vk_obj.gamma2), (c_sum, vk_obj.delta2)]
    return curve.pairing_check(pairs)
