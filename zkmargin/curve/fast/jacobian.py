"""numba kernels for Jacobian points on ``y^2 = x^3 + b`` (``a = 0``), over F_p or F_p2.

A Jacobian point is an array ``(3, D, N)``: ``X, Y, Z`` with ``x = X/Z^2``, ``y = Y/Z^3``; the
point at infinity is ``Z = 0``.  Affine points are ``(2, D, N)`` and never infinity (callers
drop infinities before they reach the kernels).  All values are in Montgomery form.

Every addition handles its special cases: an infinite operand, equal points (the formula's
``H = 0, r = 0`` case, doubled instead) and opposite points (``H = 0, r != 0``: infinity), so
bucket accumulation is correct for repeated points.  Formulas: ``madd-2007-bl``,
``add-2007-bl`` and ``dbl-2009-l`` from the Explicit-Formulas Database.

``ws`` is caller-owned workspace of shape ``(WS_ROWS, D, N)``; ``t`` is field scratch
(:func:`zkmargin.field.fast.mont.scratch`).  Outputs may alias inputs.
"""

from __future__ import annotations

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont import (
    ext_add,
    ext_copy,
    ext_is_zero,
    ext_mul,
    ext_set_one,
    ext_set_zero,
    ext_sqr,
    ext_sub,
)

WS_ROWS = 12


@kernel
def set_infinity(out):
    ext_set_zero(out[0])
    ext_set_zero(out[1])
    ext_set_zero(out[2])


@kernel
def is_infinity(p):
    return ext_is_zero(p[2])


@kernel
def jac_double(p, out, m, inv, t, ws):
    """``out = 2·p``."""
    if ext_is_zero(p[2]) or ext_is_zero(p[1]):
        set_infinity(out)
        return
    a, b, c, d, e, f, z3, x3, y3 = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7], ws[8]
    ext_sqr(p[0], a, m, inv, t)  # A = X^2
    ext_sqr(p[1], b, m, inv, t)  # B = Y^2
    ext_sqr(b, c, m, inv, t)  # C = B^2
    ext_add(p[0], b, d, m)
    ext_sqr(d, d, m, inv, t)
    ext_sub(d, a, d, m)
    ext_sub(d, c, d, m)
    ext_add(d, d, d, m)  # D = 2((X + B)^2 - A - C)
    ext_add(a, a, e, m)
    ext_add(e, a, e, m)  # E = 3A
    ext_sqr(e, f, m, inv, t)  # F = E^2
    ext_mul(p[1], p[2], z3, m, inv, t)
    ext_add(z3, z3, z3, m)  # Z3 = 2YZ
    ext_sub(f, d, x3, m)
    ext_sub(x3, d, x3, m)  # X3 = F - 2D
    ext_sub(d, x3, y3, m)
    ext_mul(e, y3, y3, m, inv, t)
    ext_add(c, c, c, m)
    ext_add(c, c, c, m)
    ext_add(c, c, c, m)
    ext_sub(y3, c, y3, m)  # Y3 = E(D - X3) - 8C
    ext_copy(x3, out[0])
    ext_copy(y3, out[1])
    ext_copy(z3, out[2])


@kernel
def jac_add_affine(p, qx, qy, out, m, inv, one, t, ws):
    """``out = p + (qx, qy)`` for a finite affine point."""
    if ext_is_zero(p[2]):
        ext_copy(qx, out[0])
        ext_copy(qy, out[1])
        ext_set_one(out[2], one)
        return
    z1z1, u2, s2, h, r = ws[0], ws[1], ws[2], ws[3], ws[4]
    ext_sqr(p[2], z1z1, m, inv, t)
    ext_mul(qx, z1z1, u2, m, inv, t)
    ext_mul(qy, p[2], s2, m, inv, t)
    ext_mul(s2, z1z1, s2, m, inv, t)
    ext_sub(u2, p[0], h, m)  # H = U2 - X1
    ext_sub(s2, p[1], r, m)
    if ext_is_zero(h):
        if ext_is_zero(r):
            jac_double(p, out, m, inv, t, ws)
        else:
            set_infinity(out)
        return
    hh, i, j, v, x3, y3, tmp = ws[5], ws[6], ws[7], ws[8], ws[9], ws[10], ws[11]
    ext_sqr(h, hh, m, inv, t)
    ext_add(hh, hh, i, m)
    ext_add(i, i, i, m)  # I = 4·HH
    ext_mul(h, i, j, m, inv, t)  # J = H·I
    ext_add(r, r, r, m)  # r = 2(S2 - Y1)
    ext_mul(p[0], i, v, m, inv, t)  # V = X1·I
    ext_sqr(r, x3, m, inv, t)
    ext_sub(x3, j, x3, m)
    ext_sub(x3, v, x3, m)
    ext_sub(x3, v, x3, m)  # X3 = r^2 - J - 2V
    ext_sub(v, x3, y3, m)
    ext_mul(r, y3, y3, m, inv, t)
    ext_mul(p[1], j, tmp, m, inv, t)
    ext_add(tmp, tmp, tmp, m)
    ext_sub(y3, tmp, y3, m)  # Y3 = r(V - X3) - 2·Y1·J
    ext_add(p[2], h, u2, m)
    ext_sqr(u2, u2, m, inv, t)
    ext_sub(u2, z1z1, u2, m)
    ext_sub(u2, hh, u2, m)  # Z3 = (Z1 + H)^2 - Z1Z1 - HH
    ext_copy(x3, out[0])
    ext_copy(y3, out[1])
    ext_copy(u2, out[2])


@kernel
def jac_add(p, q, out, m, inv, t, ws):
    """``out = p + q`` for Jacobian points."""
    if ext_is_zero(q[2]):
        for k in range(3):
            ext_copy(p[k], out[k])
        return
    if ext_is_zero(p[2]):
        for k in range(3):
            ext_copy(q[k], out[k])
        return
    z1z1, z2z2, u1, u2, s1, s2, h, r = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7]
    ext_sqr(p[2], z1z1, m, inv, t)
    ext_sqr(q[2], z2z2, m, inv, t)
    ext_mul(p[0], z2z2, u1, m, inv, t)
    ext_mul(q[0], z1z1, u2, m, inv, t)
    ext_mul(p[1], q[2], s1, m, inv, t)
    ext_mul(s1, z2z2, s1, m, inv, t)
    ext_mul(q[1], p[2], s2, m, inv, t)
    ext_mul(s2, z1z1, s2, m, inv, t)
    ext_sub(u2, u1, h, m)
    ext_sub(s2, s1, r, m)
    if ext_is_zero(h):
        if ext_is_zero(r):
            jac_double(p, out, m, inv, t, ws)
        else:
            set_infinity(out)
        return
    i, j, v, x3 = ws[8], ws[9], ws[10], ws[11]
    ext_add(h, h, i, m)
    ext_sqr(i, i, m, inv, t)  # I = (2H)^2
    ext_mul(h, i, j, m, inv, t)  # J = H·I
    ext_add(r, r, r, m)  # r = 2(S2 - S1)
    ext_mul(u1, i, v, m, inv, t)  # V = U1·I
    ext_sqr(r, x3, m, inv, t)
    ext_sub(x3, j, x3, m)
    ext_sub(x3, v, x3, m)
    ext_sub(x3, v, x3, m)  # X3 = r^2 - J - 2V
    y3 = i  # I is no longer needed
    ext_sub(v, x3, y3, m)
    ext_mul(r, y3, y3, m, inv, t)
    ext_mul(s1, j, s1, m, inv, t)
    ext_add(s1, s1, s1, m)
    ext_sub(y3, s1, y3, m)  # Y3 = r(V - X3) - 2·S1·J
    z3 = u1  # U1 is no longer needed
    ext_add(p[2], q[2], z3, m)
    ext_sqr(z3, z3, m, inv, t)
    ext_sub(z3, z1z1, z3, m)
    ext_sub(z3, z2z2, z3, m)
    ext_mul(z3, h, z3, m, inv, t)  # Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2)·H
    ext_copy(x3, out[0])
    ext_copy(y3, out[1])
    ext_copy(z3, out[2])
