"""Jacobian points on ``y^2 = x^3 + b`` (``a = 0``) held in registers, over F_p or F_p2.

The formulas of :mod:`.jacobian` (``dbl-2009-l``, ``add-2007-bl``, ``madd-2007-bl``) on the
register field of :mod:`zkmargin.field.fast.regs`: a point is a tuple ``(X, Y, Z)`` of field
values, infinity has ``Z = 0``, and every function returns its result instead of writing it,
so a scalar multiplication's chain of doublings and additions never touches memory. The array
layout ``(3, D, N)`` is read and written with :func:`p_load` and :func:`p_store`; ``zero`` (from
:func:`~zkmargin.field.fast.regs.zero_of`) selects G1 or G2.

Additions handle their special cases like :mod:`.jacobian`'s: an infinite operand, equal points
(doubled) and opposite points (infinity).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.regs import (
    f_add,
    f_is_zero,
    f_load,
    f_mul,
    f_neg,
    f_sqr,
    f_store,
    f_sub,
)
from zkmargin.field.fast.word import Modulus

Point = tuple[Any, Any, Any]


@kernel(inline=True)
def p_load(row: np.ndarray, zero: Any) -> Point:
    """The point in a ``(3, D, N)`` array row."""
    return (f_load(row[0], zero), f_load(row[1], zero), f_load(row[2], zero))


@kernel(inline=True)
def p_load_affine(row: np.ndarray, one: Any, zero: Any) -> Point:
    """The point in an affine ``(2, D, N)`` row (all zeros: infinity); ``one``: the field's 1."""
    x = f_load(row[0], zero)
    y = f_load(row[1], zero)
    if f_is_zero(x) and f_is_zero(y):
        return (zero, zero, zero)
    return (x, y, one)


@kernel(inline=True)
def p_store(row: np.ndarray, p: Point) -> None:
    """Write ``p`` into a ``(3, D, N)`` array row (infinity as all zeros)."""
    if f_is_zero(p[2]):
        row[:] = 0
        return
    f_store(row[0], p[0])
    f_store(row[1], p[1])
    f_store(row[2], p[2])


@kernel(inline=True)
def p_infinity(zero: Any) -> Point:
    """The point at infinity."""
    return (zero, zero, zero)


@kernel(inline=True)
def p_neg(p: Point, m: Modulus) -> Point:
    """``-p``."""
    return (p[0], f_neg(p[1], m), p[2])


@kernel
def p_double(p: Point, m: Modulus) -> Point:
    """``2·p``; 2M + 5S."""
    x, y, z = p
    a = f_sqr(x, m)
    b = f_sqr(y, m)
    c = f_sqr(b, m)
    d = f_sub(f_sub(f_sqr(f_add(x, b, m), m), a, m), c, m)
    d = f_add(d, d, m)  # D = 2((X + B)^2 - A - C)
    e = f_add(f_add(a, a, m), a, m)  # E = 3A
    yz = f_mul(y, z, m)
    x3 = f_sub(f_sub(f_sqr(e, m), d, m), d, m)  # X3 = E^2 - 2D
    c2 = f_add(c, c, m)
    c4 = f_add(c2, c2, m)
    y3 = f_sub(f_mul(e, f_sub(d, x3, m), m), f_add(c4, c4, m), m)  # Y3 = E(D - X3) - 8C
    # Z3 = 2YZ is zero exactly when p is infinity (no points of order 2 in the groups here)
    return (x3, y3, f_add(yz, yz, m))


@kernel
def p_add(p: Point, q: Point, m: Modulus) -> Point:
    """``p + q``; 11M + 5S."""
    if f_is_zero(q[2]):
        return p
    if f_is_zero(p[2]):
        return q
    z1z1 = f_sqr(p[2], m)
    z2z2 = f_sqr(q[2], m)
    u1 = f_mul(p[0], z2z2, m)
    u2 = f_mul(q[0], z1z1, m)
    s1 = f_mul(f_mul(p[1], q[2], m), z2z2, m)
    s2 = f_mul(f_mul(q[1], p[2], m), z1z1, m)
    h = f_sub(u2, u1, m)
    r = f_sub(s2, s1, m)
    if f_is_zero(h):
        if f_is_zero(r):
            doubled: Point = p_double(p, m)
            return doubled
        return (h, h, h)  # infinity: h is zero
    i = f_sqr(f_add(h, h, m), m)  # I = (2H)^2
    j = f_mul(h, i, m)
    r = f_add(r, r, m)
    v = f_mul(u1, i, m)
    x3 = f_sub(f_sub(f_sub(f_sqr(r, m), j, m), v, m), v, m)  # X3 = r^2 - J - 2V
    sj = f_mul(s1, j, m)
    y3 = f_sub(f_mul(r, f_sub(v, x3, m), m), f_add(sj, sj, m), m)  # Y3 = r(V - X3) - 2 S1 J
    zz = f_sub(f_sub(f_sqr(f_add(p[2], q[2], m), m), z1z1, m), z2z2, m)
    return (x3, y3, f_mul(zz, h, m))  # Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2)·H


@kernel
def p_add_affine(p: Point, qx: Any, qy: Any, one: Any, m: Modulus) -> Point:
    """``p + (qx, qy)`` for a finite affine point (``one``: the field's 1); 7M + 4S."""
    if f_is_zero(p[2]):
        return (qx, qy, one)
    z1z1 = f_sqr(p[2], m)
    h = f_sub(f_mul(qx, z1z1, m), p[0], m)  # H = U2 - X1
    r = f_sub(f_mul(f_mul(qy, p[2], m), z1z1, m), p[1], m)
    if f_is_zero(h):
        if f_is_zero(r):
            doubled: Point = p_double(p, m)
            return doubled
        return (h, h, h)
    hh = f_sqr(h, m)
    i = f_add(hh, hh, m)
    i = f_add(i, i, m)  # I = 4·HH
    j = f_mul(h, i, m)
    r = f_add(r, r, m)
    v = f_mul(p[0], i, m)
    x3 = f_sub(f_sub(f_sub(f_sqr(r, m), j, m), v, m), v, m)
    yj = f_mul(p[1], j, m)
    y3 = f_sub(f_mul(r, f_sub(v, x3, m), m), f_add(yj, yj, m), m)
    z3 = f_sub(f_sub(f_sqr(f_add(p[2], h, m), m), z1z1, m), hh, m)
    return (x3, y3, z3)
