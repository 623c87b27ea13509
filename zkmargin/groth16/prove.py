"""The Groth16 prover: the same steps as snarkjs's ``groth16 prove``, on any snarkjs-layout key.

With the zkey's points (see :mod:`zkmargin.groth16.setup`) and random r, s:

- ``A = alpha1 + sum w_i A_i + r delta1``
- ``B = beta2 + sum w_i B2_i + s delta2`` (and the same in G1 with ``beta1``, ``B1_i``)
- ``C = sum_{private i} w_i C_i + sum_j h_j H_j + s A + r B_G1 - r s delta1``

where the ``h_j`` are ``A·B − C`` on the odd coset (:mod:`zkmargin.groth16.qap`).

>>> from zkmargin.circuit.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> from zkmargin.groth16 import setup_unsafe_dev, verify, verifying_key
>>> cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> zkey = setup_unsafe_dev(cs)
>>> proof, public = prove(zkey, [1, 9, 3])
>>> public, verify(verifying_key(zkey), public, proof)
([9], True)
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from zkmargin.curve import curve_by_name
from zkmargin.formats.snarkjs_json import Proof
from zkmargin.formats.zkey import ZKey
from zkmargin.groth16.qap import quotient_values, row_evaluations
from zkmargin.groth16.setup import random_scalar


class WitnessMismatch(ValueError):
    """A witness that does not fit the proving key (length, range, constant wire)."""


def prove(
    zkey: ZKey,
    witness: Sequence[int],
    rng: random.Random | None = None,
    *,
    backend: str | None = None,
) -> tuple[Proof, list[int]]:
    """A proof and its public signals (``public.json``) for ``witness`` under ``zkey``.

    The witness is all wires in iden3 order (as in a ``.wtns``). Like snarkjs, the prover does
    not re-check the constraints (the zkey does not hold C): an unsatisfying witness yields a
    proof that fails verification — run :func:`zkmargin.circuit.r1cs.check` first if unsure.
    ``rng`` (seeded) makes proofs reproducible for tests; by default r and s come from secrets.
    ``backend`` names the MSM backend (:func:`zkmargin.curve.available_backends`; default: the
    curve's).
    """
    curve = curve_by_name(zkey.curve)
    if backend is not None:
        curve = curve.with_backend(backend)
    p = curve.fr.p
    if len(witness) != zkey.n_vars:
        raise WitnessMismatch(f"witness has {len(witness)} values, the key {zkey.n_vars} wires")
    if witness[0] != 1:
        raise WitnessMismatch(f"wire 0 must be the constant 1, got {witness[0]}")
    bad = next((i for i, x in enumerate(witness) if not 0 <= x < p), None)
    if bad is not None:
        raise WitnessMismatch(f"wire {bad} holds {witness[bad]}, outside [0, r)")
    witness = [int(x) for x in witness]

    a_rows, b_rows = row_evaluations(zkey.coeffs, witness, zkey.domain_size, p)
    h = quotient_values(curve.fr, a_rows, b_rows)

    first_private = zkey.n_public + 1
    a_sum = curve.g1_msm(zkey.a, witness)
    b1_sum = curve.g1_msm(zkey.b1, witness)
    b2_sum = curve.g2_msm(zkey.b2, witness)
    c_sum = curve.g1_msm(zkey.c[first_private:], witness[first_private:])
    h_sum = curve.g1_msm(zkey.h, h)

    r = random_scalar(p, rng)
    s = random_scalar(p, rng)
    g1_add, g1_mul = curve.g1_add, curve.g1_mul
    pi_a = g1_add(g1_add(a_sum, zkey.alpha1), g1_mul(zkey.delta1, r))
    pi_b = curve.g2_add(curve.g2_add(b2_sum, zkey.beta2), curve.g2_mul(zkey.delta2, s))
    b_g1 = g1_add(g1_add(b1_sum, zkey.beta1), g1_mul(zkey.delta1, s))
    pi_c = g1_add(c_sum, h_sum)
    pi_c = g1_add(pi_c, g1_mul(pi_a, s))
    pi_c = g1_add(pi_c, g1_mul(b_g1, r))
    pi_c = g1_add(pi_c, g1_mul(zkey.delta1, (-r * s) % p))

    public = witness[1:first_private]
    return Proof(curve=zkey.curve, a=pi_a, b=pi_b, c=pi_c), public
