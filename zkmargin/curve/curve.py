"""Pairing-friendly curves BN254 (snarkjs: ``bn128``) and BLS12-381 (``bls12381``).

>>> from zkmargin.curve import BN254
>>> p = BN254.g1_mul(BN254.g1, 5)
>>> BN254.g1_eq(BN254.g1_add(p, BN254.g1_neg(p)), None)
True
>>> BN254.pairing_check([(BN254.g1_mul(BN254.g1, 6), BN254.g2),
...                      (BN254.g1_neg(BN254.g1), BN254.g2_mul(BN254.g2, 6))])
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import py_ecc.optimized_bls12_381 as _bls
import py_ecc.optimized_bn128 as _bn

from zkmargin.curve import jacobian as jac
from zkmargin.curve import pyecc
from zkmargin.curve.backends import MsmBackend, get_backend
from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.points import (
    G1,
    G2,
    g1_from_jacobian,
    g1_to_internal,
    g2_from_jacobian,
    g2_to_internal,
    is_int_pair,
)
from zkmargin.field.bigint import big
from zkmargin.field.prime import BLS12_381_FR, BN254_FR, PrimeField


@dataclass(frozen=True)
class Curve:
    """A pairing-friendly curve ``y^2 = x^3 + b`` over Fq with its twist over Fq2.

    Points are public tuples (see :mod:`zkmargin.curve.points`); scalars are ints, taken mod
    ``fr.p``.  Arithmetic assumes valid inputs: check untrusted points with
    :meth:`g1_is_valid` / :meth:`g2_is_valid` first.
    """

    name: str
    fr: PrimeField
    q: int
    b: int
    b2: tuple[int, int]
    g1: G1
    g2: G2
    g1_cofactor_is_one: bool
    pyecc: ModuleType = field(repr=False, compare=False)
    # None: the default backend at call time, so a fast backend registered later is used.
    backend: MsmBackend | None = field(default=None, compare=False)

    @property
    def r(self) -> int:
        """The prime order of G1 and G2 (the scalar field's modulus)."""
        return self.fr.p

    @property
    def msm_backend(self) -> MsmBackend:
        """The backend MSMs use: the one chosen by :meth:`with_backend`, else the default."""
        return self.backend if self.backend is not None else get_backend()

    def with_backend(self, name: str) -> Curve:
        """The same curve with MSMs done by the backend called ``name``."""
        return dataclasses.replace(self, backend=get_backend(name))

    # --- G1 -------------------------------------------------------------------------------
    def g1_add(self, a: G1, b: G1) -> G1:
        """``a + b`` in G1."""
        return self._g1_out(jac.add(_g1_jac(a), _g1_jac(b), self.q))

    def g1_neg(self, a: G1) -> G1:
        """``-a`` in G1."""
        return jac.negate_affine(a, self.q)

    def g1_mul(self, a: G1, k: int) -> G1:
        """``k·a`` in G1 (``k`` taken mod ``r``, so negative ``k`` works)."""
        return self._g1_out(jac.multiply(g1_to_internal(a), k % self.r, big(self.q)))

    def g1_eq(self, a: G1, b: G1) -> bool:
        """Whether two G1 points are equal (coordinates compared mod ``q``)."""
        return _normalise_g1(a, self.q) == _normalise_g1(b, self.q)

    def g1_msm(self, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        """``sum(k_i · P_i)`` via the curve's MSM backend."""
        return self.msm_backend.g1_msm(self, points, scalars)

    def g1_is_on_curve(self, p: Any) -> bool:
        """Well-formed, coordinates in ``[0, q)``, and on the curve (no subgroup check)."""
        if p is None:
            return True
        if not is_int_pair(p) or not all(0 <= c < self.q for c in p):
            return False
        return jac.is_on_curve(tuple(p), self.b, self.q)

    def g1_is_valid(self, p: Any) -> bool:
        """On the curve and in the order-``r`` subgroup (BN254's G1 has cofactor 1)."""
        if not self.g1_is_on_curve(p):
            return False
        if p is None or self.g1_cofactor_is_one:
            return True
        return jac.multiply(g1_to_internal(tuple(p)), self.r, big(self.q)) is None

    # --- G2 -------------------------------------------------------------------------------
    def g2_add(self, a: G2, b: G2) -> G2:
        """``a + b`` in G2."""
        return self._g2_out(jac.add(_g2_jac(a), _g2_jac(b), self.q))

    def g2_neg(self, a: G2) -> G2:
        """``-a`` in G2."""
        if a is None:
            return None
        (x0, x1), (y0, y1) = a
        return ((x0, x1), (-y0 % self.q, -y1 % self.q))

    def g2_mul(self, a: G2, k: int) -> G2:
        """``k·a`` in G2 (``k`` taken mod ``r``)."""
        return self._g2_out(jac.multiply(g2_to_internal(a), k % self.r, big(self.q)))

    def g2_eq(self, a: G2, b: G2) -> bool:
        """Whether two G2 points are equal (coefficients compared mod ``q``)."""
        return _normalise_g2(a, self.q) == _normalise_g2(b, self.q)

    def g2_msm(self, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        """``sum(k_i · Q_i)`` via the curve's MSM backend."""
        return self.msm_backend.g2_msm(self, points, scalars)

    def g2_is_on_curve(self, p: Any) -> bool:
        """Well-formed, coefficients in ``[0, q)``, and on the twist (no subgroup check)."""
        if p is None:
            return True
        if not (isinstance(p, tuple | list) and len(p) == 2 and all(map(is_int_pair, p))):
            return False
        if not all(0 <= c < self.q for coord in p for c in coord):
            return False
        return jac.is_on_curve(g2_to_internal(_as_tuples(p)), Fq2(*self.b2), self.q)

    def g2_is_valid(self, p: Any) -> bool:
        """On the twist and in the order-``r`` subgroup (both curves' G2 need the check), the
        subgroup test by the MSM backend: ``psi(Q) == [lambda]Q`` in numba for the fast one
        (soundness argument and agreement tests in :mod:`zkmargin.curve.fast.pairing.subgroup`),
        ``[r]Q`` for the reference (``with_backend("reference")``).
        """
        return self.g2_is_on_curve(p) and self.msm_backend.g2_in_subgroup(self, p)

    # --- pairing --------------------------------------------------------------------------
    def pairing_check(self, pairs: Sequence[tuple[G1, G2]]) -> bool:
        """``prod e(P_i, Q_i) == 1`` with one multi-Miller loop and one final exponentiation.

        Pairs that share a G2 point are merged first by bilinearity,
        ``e(P1, Q)·e(P2, Q) = e(P1 + P2, Q)``, so a batch of Groth16 equations costs one
        Miller loop per distinct G2 point (the verifying key's are shared).  Bilinearity holds
        on the order-``r`` subgroups: callers verifying untrusted data check membership first
        (:meth:`g1_is_valid`, :meth:`g2_is_valid`).  Raises ``ValueError`` for points off the
        curve.
        """
        merged: dict[G2, G1] = {}
        for p, q in pairs:
            if not self.g1_is_on_curve(p):
                raise ValueError(f"G1 point not on {self.name}: {p!r}")
            if not self.g2_is_on_curve(q):
                raise ValueError(f"G2 point not on the {self.name} twist: {q!r}")
            if p is None or q is None:
                continue  # e(O, Q) = e(P, O) = 1
            key = _normalise_g2(_as_tuples(q), self.q)
            merged[key] = self.g1_add(merged.get(key), (p[0], p[1]))
        return pyecc.pairing_product_is_one(self.pyecc, [(p, q) for q, p in merged.items()])

    # --- helpers --------------------------------------------------------------------------
    def _g1_out(self, p: jac.Jacobian) -> G1:
        return g1_from_jacobian(p, self.q)

    def _g2_out(self, p: jac.Jacobian) -> G2:
        return g2_from_jacobian(p, self.q)


def _g1_jac(a: G1) -> jac.Jacobian:
    return None if a is None else (a[0], a[1], 1)


def _g2_jac(a: G2) -> jac.Jacobian:
    if a is None:
        return None
    x, y = g2_to_internal(a)
    return (x, y, Fq2(1, 0))


def _normalise_g1(a: G1, q: int) -> G1:
    return None if a is None else (a[0] % q, a[1] % q)


def _as_tuples(a: Any) -> G2:
    # JSON gives lists; dictionary keys need tuples.
    (x0, x1), (y0, y1) = a
    return ((x0, x1), (y0, y1))


def _normalise_g2(a: G2, q: int) -> G2:
    if a is None:
        return None
    (x0, x1), (y0, y1) = a
    return ((x0 % q, x1 % q), (y0 % q, y1 % q))


def _fq2(v: Any) -> tuple[int, int]:
    return (int(v.coeffs[0]), int(v.coeffs[1]))


def _from_pyecc(name: str, fr: PrimeField, m: ModuleType, g1_cofactor_is_one: bool) -> Curve:
    q = int(m.field_modulus)
    if int(m.curve_order) != fr.p:
        raise AssertionError(f"py_ecc's {name} order disagrees with zkmargin.field")
    return Curve(
        name=name,
        fr=fr,
        q=q,
        b=int(m.b),
        b2=_fq2(m.b2),
        g1=pyecc.g1_from_pyecc(m, m.G1),
        g2=pyecc.g2_from_pyecc(m, m.G2),
        g1_cofactor_is_one=g1_cofactor_is_one,
        pyecc=m,
    )


BN254 = _from_pyecc("bn128", BN254_FR, _bn, g1_cofactor_is_one=True)
BLS12_381 = _from_pyecc("bls12381", BLS12_381_FR, _bls, g1_cofactor_is_one=False)

_BY_NAME = {"bn128": BN254, "bn254": BN254, "bls12381": BLS12_381, "bls12-381": BLS12_381}


def curve_by_name(name: str) -> Curve:
    """The curve for a name: ``bn128``/``bn254`` or ``bls12381``/``bls12-381`` (any case)."""
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        raise ValueError(f"unknown curve {name!r}; expected one of {sorted(_BY_NAME)}") from None
