"""The boundary to py_ecc, the reference for curve arithmetic and pairings.

py_ecc's optimized modules use projective triples of ``FQ``/``FQ2``; these helpers convert our
affine tuples to and from them and compute the pairing product with one final exponentiation.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from types import ModuleType
from typing import Any

from zkmargin.curve.points import G1, G2

PyEccPoint = tuple[Any, Any, Any]
"""A py_ecc projective triple (``FQ`` or ``FQ2`` coordinates)."""


def g1_to_pyecc(m: ModuleType, p: G1) -> PyEccPoint:
    """A public G1 point as a py_ecc projective triple (infinity is py_ecc's ``Z1``)."""
    if p is None:
        z1: PyEccPoint = m.Z1
        return z1
    return (m.FQ(p[0]), m.FQ(p[1]), m.FQ.one())


def g2_to_pyecc(m: ModuleType, p: G2) -> PyEccPoint:
    """A public G2 point as a py_ecc projective triple (infinity is py_ecc's ``Z2``)."""
    if p is None:
        z2: PyEccPoint = m.Z2
        return z2
    (x0, x1), (y0, y1) = p
    return (m.FQ2([x0, x1]), m.FQ2([y0, y1]), m.FQ2.one())


def g1_from_pyecc(m: ModuleType, p: PyEccPoint) -> G1:
    """A py_ecc G1 triple as a public affine point."""
    if m.is_inf(p):
        return None
    x, y = m.normalize(p)
    return (int(x), int(y))


def g2_from_pyecc(m: ModuleType, p: PyEccPoint) -> G2:
    """A py_ecc G2 triple as a public affine point."""
    if m.is_inf(p):
        return None
    x, y = m.normalize(p)
    return ((int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1])))


def pairing_product_is_one(m: ModuleType, pairs: Sequence[tuple[G1, G2]]) -> bool:
    """``prod e(P_i, Q_i) == 1``: Miller loops multiplied, then ONE final exponentiation.

    Pairs with a point at infinity contribute 1 and are skipped.  py_ecc raises ``ValueError``
    for points off the curve; subgroup membership is the caller's check.
    """
    f = m.FQ12.one()
    for p, q in pairs:
        if p is None or q is None:
            continue
        f = f * m.pairing(g2_to_pyecc(m, q), g1_to_pyecc(m, p), final_exponentiate=False)
    return bool(final_exponentiate(m, f) == m.FQ12.one())


@cache
def _frobenius_table(m: ModuleType) -> tuple[Any, ...]:
    # x -> x^q is Fq-linear on FQ12, so it is fixed by the images of the 12 basis monomials.
    q = m.field_modulus
    return tuple(m.FQ12([0] * i + [1] + [0] * (11 - i)) ** q for i in range(12))


def frobenius(m: ModuleType, x: Any) -> Any:
    """``x^q`` for an FQ12 element, by the precomputed images of the basis."""
    table = _frobenius_table(m)
    acc = m.FQ12.zero()
    for image, c in zip(table, x.coeffs, strict=True):
        if int(c):
            acc = acc + image * int(c)
    return acc


def final_exponentiate(m: ModuleType, f: Any) -> Any:
    """``f^((q^12 - 1)/r)``, equal to py_ecc's ``final_exponentiate`` but with the easy part
    ``(q^6 - 1)(q^2 + 1)`` done by Frobenius maps, leaving a ``(q^4 - q^2 + 1)/r`` power (a
    quarter of the exponent py_ecc's BN254 version raises to).
    """
    q, r = m.field_modulus, m.curve_order
    f6 = f
    for _ in range(6):
        f6 = frobenius(m, f6)
    g = f6 / f  # f^(q^6 - 1)
    g = frobenius(m, frobenius(m, g)) * g  # ^(q^2 + 1)
    return g ** ((q**4 - q**2 + 1) // r)
