"""Public point types and their conversions to the internal forms used by the kernels.

Public points are plain tuples of ints (easy to serialise, compare and hash):

* ``G1 = (x, y)``; ``G2 = ((x.c0, x.c1), (y.c0, y.c1))`` over ``Fq2 = Fq[u]/(u^2 + 1)``;
* ``None`` is the point at infinity, in both groups.

Internally G2 coordinates are :class:`~zkmargin.curve.fq2.Fq2` so the shared Jacobian formulas
apply; py_ecc's ``FQ``/``FQ2`` projective triples are used only at the pairing boundary.

>>> g2_from_internal(g2_to_internal(((1, 2), (3, 4))), 7)
((1, 2), (3, 4))
"""

from __future__ import annotations

from typing import Any, overload

from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.jacobian import Jacobian, to_affine
from zkmargin.field.bigint import big

G1 = tuple[int, int] | None
G2 = tuple[tuple[int, int], tuple[int, int]] | None
FiniteG1 = tuple[int, int]
FiniteG2 = tuple[tuple[int, int], tuple[int, int]]

# A finite point narrows to a finite internal point: the overloads say so to the type checker.


@overload
def g1_to_internal(p: FiniteG1) -> tuple[Any, Any]: ...


@overload
def g1_to_internal(p: G1) -> tuple[Any, Any] | None: ...


def g1_to_internal(p: G1) -> tuple[Any, Any] | None:
    """A public G1 point with coordinates in the kernels' integer type."""
    if p is None:
        return None
    return (big(p[0]), big(p[1]))


@overload
def g2_to_internal(p: FiniteG2) -> tuple[Fq2, Fq2]: ...


@overload
def g2_to_internal(p: G2) -> tuple[Fq2, Fq2] | None: ...


def g2_to_internal(p: G2) -> tuple[Fq2, Fq2] | None:
    """A public G2 point as an affine pair of :class:`Fq2` (kernel integer type inside)."""
    if p is None:
        return None
    (x0, x1), (y0, y1) = p
    return (Fq2(big(x0), big(x1)), Fq2(big(y0), big(y1)))


@overload
def g2_from_internal(a: tuple[Fq2, Fq2], q: int) -> FiniteG2: ...


@overload
def g2_from_internal(a: tuple[Fq2, Fq2] | None, q: int) -> G2: ...


def g2_from_internal(a: tuple[Fq2, Fq2] | None, q: int) -> G2:
    """An internal affine G2 point as public tuples (coefficients reduced mod ``q``)."""
    if a is None:
        return None
    return (a[0].to_tuple(q), a[1].to_tuple(q))


def g1_from_jacobian(p: Jacobian, q: int) -> G1:
    """A Jacobian G1 point as a public affine point (plain ints)."""
    a = to_affine(p, q)
    return None if a is None else (int(a[0]), int(a[1]))


def g2_from_jacobian(p: Jacobian, q: int) -> G2:
    """A Jacobian G2 point as a public affine point."""
    return g2_from_internal(to_affine(p, q), q)


def is_int_pair(v: Any) -> bool:
    """Whether ``v`` is a 2-tuple/list of ints (bools excluded), the shape of a coordinate pair."""
    return (
        isinstance(v, tuple | list)
        and len(v) == 2
        and all(isinstance(c, int) and not isinstance(c, bool) for c in v)
    )
