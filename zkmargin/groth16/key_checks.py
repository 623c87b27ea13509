"""Refusing verifying keys under which proofs can be made without a witness.

A Groth16 proof ``(A, B, C)`` verifies for public signals ``x`` when ``e(A, B) = e(alpha, beta)
· e(IC(x), gamma) · e(C, delta)``, with ``IC(x) = IC_0 + Σ x_i IC_i``. A key that breaks one of
the setup's independence assumptions lets anyone solve that equation without a witness:

* ``gamma = ±delta`` (a ``delta`` equal to ``gamma``, which snarkjs makes the G2 generator in
  every key, includes ``delta`` = the generator: a phase 2 nobody contributed to):
  ``(A, B, C) = (alpha, beta, ∓IC(x))`` verifies for every ``x``;
* a point at infinity: ``gamma`` or ``delta`` at infinity drops a pairing, ``alpha`` or
  ``beta`` there makes ``(∞, B, C)`` with ``e(IC(x), gamma) = e(−C, delta)`` easy, IC points
  there make public signals vanish;
* repeated IC points (``IC_i = ±IC_j``): two public signals that the key cannot tell apart;
* an IC of the wrong length: a key for another number of public signals.

``gamma`` equal to the G2 generator is how snarkjs makes every key, ceremonies included: it is
allowed. Points off the curve or outside the prime-order subgroup are refused too (a key built
in memory skips the JSON reader's checks).

>>> from zkmargin.curve import BN254
>>> from zkmargin.formats.snarkjs_json import VerifyingKey
>>> g1, g2 = BN254.g1, BN254.g2
>>> vk = VerifyingKey("bn128", 1, g1, g2, g2, BN254.g2_mul(g2, 7), (BN254.g1_mul(g1, 3), g1))
>>> key_defect(vk) is None
True
>>> key_defect(VerifyingKey("bn128", 1, g1, g2, g2, g2, (BN254.g1_mul(g1, 3), g1)))
'vk_delta_2: is the G2 generator (no phase-2 contribution): anyone can forge proofs'
"""

from __future__ import annotations

from zkmargin.curve import G1, curve_by_name
from zkmargin.formats.snarkjs_json import VerifyingKey

FORGEABLE = "anyone can forge proofs"


class UnsafeKey(ValueError):
    """A verifying key that accepts forged proofs; ``str()`` is ``FIELD: PROBLEM``."""


def key_defect(vk: VerifyingKey, n_public: int | None = None) -> str | None:
    """The first defect of ``vk`` as ``FIELD: PROBLEM`` (module docstring), or ``None``.

    ``n_public``: the number of public signals the key must be for (``None``: its own).
    """
    curve = curve_by_name(vk.curve)
    expected = vk.n_public if n_public is None else n_public
    if vk.n_public != expected:
        return f"nPublic: the key is for {vk.n_public} public signals, expected {expected}"
    if len(vk.ic) != expected + 1:
        return f"IC: {len(vk.ic)} points, a key for {expected} public signals has {expected + 1}"
    g1_points = [("vk_alpha_1", vk.alpha1), *((f"IC[{i}]", p) for i, p in enumerate(vk.ic))]
    g2_points = [("vk_beta_2", vk.beta2), ("vk_gamma_2", vk.gamma2), ("vk_delta_2", vk.delta2)]
    for name, p in g1_points:
        if not curve.g1_is_valid(p):
            return f"{name}: point is not on the curve or not in the prime-order subgroup"
    for name, q in g2_points:
        if not curve.g2_is_valid(q):
            return f"{name}: point is not on the twist or not in the prime-order subgroup"
    for name, point in [*g1_points, *g2_points]:
        if point is None:
            return f"{name}: point at infinity: {FORGEABLE}"
    if vk.delta2 in (curve.g2, curve.g2_neg(curve.g2)):
        return f"vk_delta_2: is the G2 generator (no phase-2 contribution): {FORGEABLE}"
    if vk.delta2 in (vk.gamma2, curve.g2_neg(vk.gamma2)):
        return f"vk_delta_2: equals vk_gamma_2 (up to sign): {FORGEABLE}"
    seen: dict[G1, int] = {}
    for i, p in enumerate(vk.ic):
        for form in (p, curve.g1_neg(p)):
            if form in seen:
                return f"IC[{i}]: repeats IC[{seen[form]}] (up to sign): {FORGEABLE}"
        seen[p] = i
    return None


def check_verifying_key(vk: VerifyingKey, n_public: int | None = None) -> None:
    """Raise :class:`UnsafeKey` naming the first defect of ``vk`` (:func:`key_defect`)."""
    defect = key_defect(vk, n_public)
    if defect is not None:
        raise UnsafeKey(defect)
