"""The Groth16 prover: the same steps as snarkjs's ``groth16 prove``, on any snarkjs-layout key.

With the zkey's points (see :mod:`zkmargin.groth16.setup`) and random r, s:

- ``A = alpha1 + sum w_i A_i + r delta1``
- ``B = beta2 + sum w_i B2_i + s delta2`` (and the same in G1 with ``beta1``, ``B1_i``)
- ``C = sum_{private i} w_i C_i + sum_j h_j H_j + s A + r B_G1 - r s delta1``

where the ``h_j`` are ``A·B − C`` on the odd coset (:mod:`zkmargin.groth16.qap`).

Two paths compute the five MSMs' inputs, chosen by the MSM backend: the ``"reference"`` and
``"py_ecc"`` backends take the pure path (plain ints, :mod:`~zkmargin.groth16.qap`); any other
(``"fast"``, the default whenever numba imports) the array path — key sections as arrays (:mod:`zkmargin.formats.zkey_arrays`),
row evaluations and NTTs on numba kernels (:mod:`~zkmargin.groth16.qap_fast`), MSMs on
:func:`zkmargin.curve.fast.msm_arrays`. For the same ``rng`` both give the same proof.

>>> from zkmargin.dsl.r1cs import R1CS, Constraint
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
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np

from zkmargin.curve import Curve, curve_by_name, default_backend
from zkmargin.curve.points import G1, G2
from zkmargin.formats.snarkjs_json import Proof
from zkmargin.formats.zkey import ZKey
from zkmargin.groth16.qap import quotient_values, row_evaluations
from zkmargin.groth16.setup import random_scalar

if TYPE_CHECKING:
    from zkmargin.formats.zkey_arrays import ZKeyArrays

PURE_BACKENDS = frozenset({"reference", "py_ecc"})
"""MSM backends that take the pure-Python path (the oracles); every other takes arrays."""


class WitnessMismatch(ValueError):
    """A witness that does not fit the proving key (length, range, constant wire)."""


@dataclass(frozen=True)
class _Sums:
    """The five MSM results the proof is assembled from."""

    a: G1
    b1: G1
    b2: G2
    c: G1
    h: G1


def prove(
    zkey: ZKey | ZKeyArrays,
    witness: Sequence[int] | np.ndarray,
    rng: random.Random | None = None,
    *,
    backend: str | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[Proof, list[int]]:
    """A proof and its public signals (``public.json``) for ``witness`` under ``zkey``.

    ``zkey`` is a :class:`~zkmargin.formats.zkey.ZKey` or a
    :class:`~zkmargin.formats.zkey_arrays.ZKeyArrays` (either works with either path; the
    arrays are what the fast path wants, straight from the file). The witness is all wires in
    iden3 order (as in a ``.wtns``): ints, or an ``(n_vars, 4)`` ``uint64`` array of plain
    little-endian limbs. Like snarkjs, the prover does not re-check the constraints (the zkey
    does not hold C): an unsatisfying witness yields a proof that fails verification — run
    :func:`zkmargin.dsl.r1cs.check` first if unsure. ``rng`` (seeded) makes proofs
    reproducible for tests; by default r and s come from secrets. ``backend`` names the MSM
    backend (:func:`zkmargin.curve.available_backends`; default: the highest-priority one).
    ``timings``, if given, receives the seconds of each phase (``witness``, ``rows``, ``ntt``,
    ``msm_a``, ``msm_b1``, ``msm_b2``, ``msm_c``, ``msm_h``, ``assemble``).

    >>> from zkmargin.dsl.r1cs import R1CS, Constraint
    >>> from zkmargin.field import BN254_FR
    >>> from zkmargin.groth16.setup import setup_unsafe_dev
    >>> square = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "x*x=y")])
    >>> zkey = setup_unsafe_dev(square)
    >>> proof, public = prove(zkey, [1, 9, 3])  # wires: one, y = 9, x = 3
    >>> public
    [9]
    """
    name = backend if backend is not None else default_backend()
    curve = curve_by_name(zkey.curve).with_backend(name)
    clock = _Clock(timings)
    if name in PURE_BACKENDS:
        key = zkey if isinstance(zkey, ZKey) else zkey.to_zkey()
        with clock("witness"):
            values = _witness_ints(witness, zkey.n_vars, curve.fr.p)
        sums = _sums_reference(curve, key, values, clock)
        public = values[1 : zkey.n_public + 1]
    else:
        from zkmargin.formats.zkey_arrays import ZKeyArrays

        arrays = zkey if isinstance(zkey, ZKeyArrays) else ZKeyArrays.from_zkey(zkey)
        with clock("witness"):
            limbs = _witness_limbs(witness, zkey.n_vars, curve.fr.p)
        sums = _sums_arrays(curve, arrays, limbs, clock)
        public = _limb_ints(limbs[1 : zkey.n_public + 1])
    with clock("assemble"):
        proof = _assemble(curve, zkey, sums, rng)
    return proof, public


def _sums_reference(curve: Curve, zkey: ZKey, witness: list[int], clock: _Clock) -> _Sums:
    p = curve.fr.p
    with clock("rows"):
        a_rows, b_rows = row_evaluations(zkey.coeffs, witness, zkey.domain_size, p)
    with clock("ntt"):
        h = quotient_values(curve.fr, a_rows, b_rows)
    first_private = zkey.n_public + 1
    with clock("msm_a"):
        a = curve.g1_msm(zkey.a, witness)
    with clock("msm_b1"):
        b1 = curve.g1_msm(zkey.b1, witness)
    with clock("msm_b2"):
        b2 = curve.g2_msm(zkey.b2, witness)
    with clock("msm_c"):
        c = curve.g1_msm(zkey.c[first_private:], witness[first_private:])
    with clock("msm_h"):
        h_sum = curve.g1_msm(zkey.h, h)
    return _Sums(a, b1, b2, c, h_sum)


def _sums_arrays(curve: Curve, key: ZKeyArrays, witness: np.ndarray, clock: _Clock) -> _Sums:
    from zkmargin.groth16.qap_fast import quotient_from_rows, row_evaluations_mont

    with clock("rows"):
        abc = row_evaluations_mont(curve.fr, key.domain_size, *key.coeff_columns(), witness=witness)
    with clock("ntt"):
        h = quotient_from_rows(curve.fr, abc)
    first_private = key.n_public + 1
    msm = _array_msm(curve)

    def g1(points: np.ndarray, scalars: np.ndarray) -> G1:
        return cast(G1, msm("g1", points, scalars))  # a "g1" sum is a G1 point

    with clock("msm_a"):
        a = g1(key.a, witness)
    with clock("msm_b1"):
        b1 = g1(key.b1, witness)
    with clock("msm_b2"):
        b2 = cast(G2, msm("g2", key.b2, witness))
    with clock("msm_c"):
        c = g1(key.c, witness[first_private:])
    with clock("msm_h"):
        h_sum = g1(key.h, h)
    return _Sums(a, b1, b2, c, h_sum)


def _array_msm(curve: Curve) -> Callable[[str, np.ndarray, np.ndarray], G1 | G2]:
    """``msm(group, points, scalars)`` on arrays: the fast kernels for the ``"fast"`` backend,
    otherwise the curve's backend on the terms with non-zero scalars, converted to ints."""
    if curve.msm_backend.name == "fast":
        from zkmargin.curve.fast import msm_arrays

        return lambda group, points, scalars: msm_arrays(curve.name, group, points, scalars)

    def converted(group: str, points: np.ndarray, scalars: np.ndarray) -> G1 | G2:
        from zkmargin.field.fast.mont64 import Field64

        keep = scalars.any(axis=1)
        f = Field64.of(curve.q)
        coords = f.from_mont(points[keep])
        ks = _limb_ints(scalars[keep])
        if group == "g1":
            xs, ys = coords[0::2], coords[1::2]
            pts = [None if not (x or y) else (x, y) for x, y in zip(xs, ys, strict=True)]
            return curve.g1_msm(pts, ks)
        quads = zip(coords[0::4], coords[1::4], coords[2::4], coords[3::4], strict=True)
        pts2 = [None if not any(q) else ((q[0], q[1]), (q[2], q[3])) for q in quads]
        return curve.g2_msm(pts2, ks)

    return converted


def _assemble(
    curve: Curve, zkey: ZKey | ZKeyArrays, sums: _Sums, rng: random.Random | None
) -> Proof:
    p = curve.fr.p
    r = random_scalar(p, rng)
    s = random_scalar(p, rng)
    g1_add, g1_mul = curve.g1_add, curve.g1_mul
    pi_a = g1_add(g1_add(sums.a, zkey.alpha1), g1_mul(zkey.delta1, r))
    pi_b = curve.g2_add(curve.g2_add(sums.b2, zkey.beta2), curve.g2_mul(zkey.delta2, s))
    b_g1 = g1_add(g1_add(sums.b1, zkey.beta1), g1_mul(zkey.delta1, s))
    pi_c = g1_add(sums.c, sums.h)
    pi_c = g1_add(pi_c, g1_mul(pi_a, s))
    pi_c = g1_add(pi_c, g1_mul(b_g1, r))
    pi_c = g1_add(pi_c, g1_mul(zkey.delta1, (-r * s) % p))
    return Proof(curve=zkey.curve, a=pi_a, b=pi_b, c=pi_c)


def _witness_ints(witness: Sequence[int] | np.ndarray, n_vars: int, p: int) -> list[int]:
    if isinstance(witness, np.ndarray):
        values = _limb_ints(_limb_shape(witness, n_vars))
    else:
        values = [int(x) for x in witness]
    if len(values) != n_vars:
        raise WitnessMismatch(f"witness has {len(values)} values, the key {n_vars} wires")
    _check_constant(values[0] if values else None)
    bad = next((i for i, x in enumerate(values) if not 0 <= x < p), None)
    if bad is not None:
        raise WitnessMismatch(f"wire {bad} holds {values[bad]}, outside [0, r)")
    return values


def _witness_limbs(witness: Sequence[int] | np.ndarray, n_vars: int, p: int) -> np.ndarray:
    """Plain ``(n_vars, 4)`` limbs, checked: right length, wire 0 = 1, every value below r."""
    from zkmargin.field.fast.mont64 import Field64, ints_to_limbs
    from zkmargin.formats.point_arrays import first_not_reduced

    if isinstance(witness, np.ndarray):
        limbs = _limb_shape(witness, n_vars)
    else:
        if len(witness) != n_vars:
            raise WitnessMismatch(f"witness has {len(witness)} values, the key {n_vars} wires")
        try:
            limbs = ints_to_limbs(witness, 4)
        except (OverflowError, TypeError, ValueError):
            # negative, wider than 256 bits or not an int: the reference check names the wire
            limbs = ints_to_limbs(_witness_ints(witness, n_vars, p), 4)
    _check_constant(_limb_ints(limbs[:1])[0] if n_vars else None)
    bad = first_not_reduced(limbs, Field64.of(p).m)
    if bad >= 0:
        value = _limb_ints(limbs[bad : bad + 1])[0]
        raise WitnessMismatch(f"wire {bad} holds {value}, outside [0, r)")
    return limbs


def _limb_shape(witness: np.ndarray, n_vars: int) -> np.ndarray:
    if witness.dtype != np.uint64 or witness.ndim != 2 or witness.shape[1] != 4:
        raise WitnessMismatch(
            f"witness array must be (n_vars, 4) uint64 limbs, got {witness.dtype} {witness.shape}"
        )
    if witness.shape[0] != n_vars:
        raise WitnessMismatch(f"witness has {witness.shape[0]} values, the key {n_vars} wires")
    return np.ascontiguousarray(witness)


def _check_constant(first: int | None) -> None:
    if first != 1:
        raise WitnessMismatch(f"wire 0 must be the constant 1, got {first}")


def _limb_ints(limbs: np.ndarray) -> list[int]:
    from zkmargin.field.fast.mont64 import limbs_to_ints

    return limbs_to_ints(limbs, 4)


class _Clock:
    """Adds each phase's wall seconds to ``timings`` (when one is given)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        if self.timings is not None:
            self.timings[phase] = self.timings.get(phase, 0.0) + time.perf_counter() - start
