"""numba kernels for Jacobian points on ``y^2 = x^3 + b`` (``a = 0``), over F_p or F_p2.

A Jacobian point is an array ``(3, D, N)``: ``X, Y, Z`` with ``x = X/Z^2``, ``y = Y/Z^3``; the
point at infinity is ``Z = 0``.  Affine points are ``(2, D, N)`` and finite (callers drop
infinities first).  All values are in Montgomery form; field kernels from
:mod:`zkmargin.field.fast.ext`.

Every addition handles its special cases: an infinite operand, equal points (the formula's
``H = 0, r = 0`` case, doubled instead) and opposite points (``H = 0, r != 0``: infinity), so
bucket accumulation is correct for repeated points.  Formulas: ``madd-2007-bl``,
``add-2007-bl`` and ``dbl-2009-l`` from the Explicit-Formulas Database.

``ws`` is caller-owned workspace of shape ``(WS_ROWS, D, N)``, ``s`` field scratch
(:func:`zkmargin.field.fast.fp2.scratch2`).  Outputs come first and may alias inputs.
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.ext import (
    e_add,
    e_copy,
    e_is_zero,
    e_mul,
    e_set_one,
    e_set_zero,
    e_sqr,
    e_sub,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus

WS_ROWS = 12


@kernel
def set_infinity(out: np.ndarray) -> None:
    """``out = O`` (all zero)."""
    for k in range(3):
        e_set_zero(out[k])


@kernel
def jac_copy(out: np.ndarray, p: np.ndarray) -> None:
    """``out = p``."""
    for k in range(3):
        e_copy(out[k], p[k])


@kernel
def jac_double(out: np.ndarray, p: np.ndarray, m: Modulus, s: np.ndarray, ws: np.ndarray) -> None:
    """``out = 2·p``."""
    if e_is_zero(p[2]) or e_is_zero(p[1]):
        set_infinity(out)
        return
    a, b, c, d, e, f, z3, x3, y3 = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7], ws[8]
    e_sqr(a, p[0], m, s)  # A = X^2
    e_sqr(b, p[1], m, s)  # B = Y^2
    e_sqr(c, b, m, s)  # C = B^2
    e_add(d, p[0], b, m)
    e_sqr(d, d, m, s)
    e_sub(d, d, a, m)
    e_sub(d, d, c, m)
    e_add(d, d, d, m)  # D = 2((X + B)^2 - A - C)
    e_add(e, a, a, m)
    e_add(e, e, a, m)  # E = 3A
    e_sqr(f, e, m, s)  # F = E^2
    e_mul(z3, p[1], p[2], m, s)
    e_add(z3, z3, z3, m)  # Z3 = 2YZ
    e_sub(x3, f, d, m)
    e_sub(x3, x3, d, m)  # X3 = F - 2D
    e_sub(y3, d, x3, m)
    e_mul(y3, e, y3, m, s)
    e_add(c, c, c, m)
    e_add(c, c, c, m)
    e_add(c, c, c, m)
    e_sub(y3, y3, c, m)  # Y3 = E(D - X3) - 8C
    e_copy(out[0], x3)
    e_copy(out[1], y3)
    e_copy(out[2], z3)


@kernel
def jac_add_affine(
    out: np.ndarray,
    p: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out = p + (qx, qy)`` for a finite affine point; 7M + 4S."""
    if e_is_zero(p[2]):
        e_copy(out[0], qx)
        e_copy(out[1], qy)
        e_set_one(out[2], one)
        return
    z1z1, u2, s2, h, r = ws[0], ws[1], ws[2], ws[3], ws[4]
    e_sqr(z1z1, p[2], m, s)
    e_mul(u2, qx, z1z1, m, s)
    e_mul(s2, qy, p[2], m, s)
    e_mul(s2, s2, z1z1, m, s)
    e_sub(h, u2, p[0], m)  # H = U2 - X1
    e_sub(r, s2, p[1], m)
    if e_is_zero(h):
        if e_is_zero(r):
            jac_double(out, p, m, s, ws)
        else:
            set_infinity(out)
        return
    hh, i, j, v, x3, y3, tmp = ws[5], ws[6], ws[7], ws[8], ws[9], ws[10], ws[11]
    e_sqr(hh, h, m, s)
    e_add(i, hh, hh, m)
    e_add(i, i, i, m)  # I = 4·HH
    e_mul(j, h, i, m, s)  # J = H·I
    e_add(r, r, r, m)  # r = 2(S2 - Y1)
    e_mul(v, p[0], i, m, s)  # V = X1·I
    e_sqr(x3, r, m, s)
    e_sub(x3, x3, j, m)
    e_sub(x3, x3, v, m)
    e_sub(x3, x3, v, m)  # X3 = r^2 - J - 2V
    e_sub(y3, v, x3, m)
    e_mul(y3, r, y3, m, s)
    e_mul(tmp, p[1], j, m, s)
    e_add(tmp, tmp, tmp, m)
    e_sub(y3, y3, tmp, m)  # Y3 = r(V - X3) - 2·Y1·J
    e_add(u2, p[2], h, m)
    e_sqr(u2, u2, m, s)
    e_sub(u2, u2, z1z1, m)
    e_sub(u2, u2, hh, m)  # Z3 = (Z1 + H)^2 - Z1Z1 - HH
    e_copy(out[0], x3)
    e_copy(out[1], y3)
    e_copy(out[2], u2)


@kernel
def jac_add(
    out: np.ndarray, p: np.ndarray, q: np.ndarray, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``out = p + q`` for Jacobian points; 11M + 5S."""
    if e_is_zero(q[2]):
        jac_copy(out, p)
        return
    if e_is_zero(p[2]):
        jac_copy(out, q)
        return
    z1z1, z2z2, u1, u2, s1, s2, h, r = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7]
    e_sqr(z1z1, p[2], m, s)
    e_sqr(z2z2, q[2], m, s)
    e_mul(u1, p[0], z2z2, m, s)
    e_mul(u2, q[0], z1z1, m, s)
    e_mul(s1, p[1], q[2], m, s)
    e_mul(s1, s1, z2z2, m, s)
    e_mul(s2, q[1], p[2], m, s)
    e_mul(s2, s2, z1z1, m, s)
    e_sub(h, u2, u1, m)
    e_sub(r, s2, s1, m)
    if e_is_zero(h):
        if e_is_zero(r):
            jac_double(out, p, m, s, ws)
        else:
            set_infinity(out)
        return
    i, j, v, x3 = ws[8], ws[9], ws[10], ws[11]
    e_add(i, h, h, m)
    e_sqr(i, i, m, s)  # I = (2H)^2
    e_mul(j, h, i, m, s)  # J = H·I
    e_add(r, r, r, m)  # r = 2(S2 - S1)
    e_mul(v, u1, i, m, s)  # V = U1·I
    e_sqr(x3, r, m, s)
    e_sub(x3, x3, j, m)
    e_sub(x3, x3, v, m)
    e_sub(x3, x3, v, m)  # X3 = r^2 - J - 2V
    y3 = i  # I is no longer needed
    e_sub(y3, v, x3, m)
    e_mul(y3, r, y3, m, s)
    e_mul(s1, s1, j, m, s)
    e_add(s1, s1, s1, m)
    e_sub(y3, y3, s1, m)  # Y3 = r(V - X3) - 2·S1·J
    z3 = u1  # U1 is no longer needed
    e_add(z3, p[2], q[2], m)
    e_sqr(z3, z3, m, s)
    e_sub(z3, z3, z1z1, m)
    e_sub(z3, z3, z2z2, m)
    e_mul(z3, z3, h, m, s)  # Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2)·H
    e_copy(out[0], x3)
    e_copy(out[1], y3)
    e_copy(out[2], z3)
