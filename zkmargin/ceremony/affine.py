"""Affine point rows and Montgomery's trick: many field inversions for the price of one.

Points come and go in the files' layout: affine ``(n, 2, D, N)`` ``uint64`` (``D = 1`` for
G1, ``2`` for G2), Montgomery form, all-zero rows for infinity; Jacobian rows are
``(n, 3, D, N)`` with ``Z = 0`` for infinity. ``one`` and ``zero`` are the field's register
values (:func:`~zkmargin.field.fast.regs.one_of`, :func:`~zkmargin.field.fast.regs.zero_of`),
``pm2`` and ``m`` the base field's (:class:`~zkmargin.field.fast.mont64.Field64`).

:func:`invert_rows` inverts a block of field values with one inversion and three products
each; with it an affine addition costs 2M + 1S + 3M, about half a Jacobian one, which is why
the ceremony's precomputed multiples and its FFT butterflies stay affine
(:func:`add_rows`, :func:`double_rows`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.regs import (
    f_add,
    f_inv,
    f_is_zero,
    f_load,
    f_mul,
    f_sqr,
    f_store,
    f_sub,
)
from zkmargin.field.fast.word import Modulus

BLOCK = 256
"""Points per parallel block of the section kernels (one inversion each when normalising)."""


@kernel
def invert_rows(den: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any, zero: Any) -> None:
    """``den[i] = 1/den[i]`` in place for ``(n, D, N)`` rows, zero rows left zero; one field
    inversion for the whole block."""
    n = den.shape[0]
    prefix = np.empty_like(den)
    acc = one
    for i in range(n):
        f_store(prefix[i], acc)
        d = f_load(den[i], zero)
        if not f_is_zero(d):
            acc = f_mul(acc, d, m)
    inv = f_inv(acc, pm2, one, m)
    for i in range(n - 1, -1, -1):
        d = f_load(den[i], zero)
        if not f_is_zero(d):
            f_store(den[i], f_mul(inv, f_load(prefix[i], zero), m))
            inv = f_mul(inv, d, m)


@kernel(inline=True)
def chord(x1: Any, y1: Any, x2: Any, lam: Any, m: Modulus) -> tuple[Any, Any]:
    """The third point on the line of slope ``lam`` through ``(x1, y1)`` and a point of
    abscissa ``x2``, reflected: their sum (``x2 = x1`` for the tangent)."""
    x3 = f_sub(f_sub(f_sqr(lam, m), x1, m), x2, m)
    return x3, f_sub(f_mul(lam, f_sub(x1, x3, m), m), y1, m)


@kernel(inline=True)
def tangent_slope_numerator(x: Any, m: Modulus) -> Any:
    """``3x²``, the tangent's slope times ``2y`` on ``y² = x³ + b``."""
    xx = f_sqr(x, m)
    return f_add(f_add(xx, xx, m), xx, m)


@kernel
def double_rows(
    out: np.ndarray, pts: np.ndarray, live: np.ndarray, pm2: np.ndarray, m: Modulus,
    one: Any, zero: Any,
) -> None:  # fmt: skip
    """``out[i] = 2·pts[i]`` for the ``live`` affine rows (finite points of odd order, so
    ``y ≠ 0``); one inversion for the block."""
    n, _, dd, nl = pts.shape
    den = np.zeros((n, dd, nl), dtype=np.uint64)
    for i in range(n):
        if live[i]:
            y = f_load(pts[i, 1], zero)
            f_store(den[i], f_add(y, y, m))
    invert_rows(den, pm2, m, one, zero)
    for i in range(n):
        if live[i]:
            x = f_load(pts[i, 0], zero)
            lam = f_mul(tangent_slope_numerator(x, m), f_load(den[i], zero), m)
            x3, y3 = chord(x, f_load(pts[i, 1], zero), x, lam, m)
            f_store(out[i, 0], x3)
            f_store(out[i, 1], y3)


@kernel
def add_rows(
    out: np.ndarray, p: np.ndarray, q: np.ndarray, live: np.ndarray, pm2: np.ndarray,
    m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """``out[i] = p[i] + q[i]`` for the ``live`` affine rows, which must be finite with
    ``p[i] ≠ ±q[i]`` (distinct multiples of one point of large order); one inversion."""
    n, _, dd, nl = p.shape
    den = np.zeros((n, dd, nl), dtype=np.uint64)
    for i in range(n):
        if live[i]:
            f_store(den[i], f_sub(f_load(q[i, 0], zero), f_load(p[i, 0], zero), m))
    invert_rows(den, pm2, m, one, zero)
    for i in range(n):
        if live[i]:
            x1, y1 = f_load(p[i, 0], zero), f_load(p[i, 1], zero)
            lam = f_mul(f_sub(f_load(q[i, 1], zero), y1, m), f_load(den[i], zero), m)
            x3, y3 = chord(x1, y1, f_load(q[i, 0], zero), lam, m)
            f_store(out[i, 0], x3)
            f_store(out[i, 1], y3)


@kernel
def normalise(
    out: np.ndarray, jac: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any, zero: Any
) -> None:
    """Jacobian rows to affine rows with one inversion (infinity to all zeros)."""
    n, _, dd, nl = jac.shape
    zinv = np.empty((n, dd, nl), dtype=np.uint64)
    zinv[:] = jac[:, 2]
    invert_rows(zinv, pm2, m, one, zero)
    for i in range(n):
        z = f_load(zinv[i], zero)
        if f_is_zero(z):
            out[i] = 0
            continue
        z2 = f_sqr(z, m)
        f_store(out[i, 0], f_mul(f_load(jac[i, 0], zero), z2, m))
        f_store(out[i, 1], f_mul(f_load(jac[i, 1], zero), f_mul(z2, z, m), m))
