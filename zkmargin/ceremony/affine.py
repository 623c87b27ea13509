"""Jacobian point rows back to the files' affine rows, one field inversion per block of points
(Montgomery's trick: the running products of the ``Z`` coordinates are inverted once, then
unwound), on register values (:mod:`zkmargin.field.fast.regs`).

Points come and go in the files' layout: affine ``(n, 2, D, N)`` ``uint64`` (``D = 1`` for
G1, ``2`` for G2), Montgomery form, all-zero rows for infinity; Jacobian rows are
``(n, 3, D, N)`` with ``Z = 0`` for infinity. ``one`` and ``zero`` are the field's register
values (:func:`~zkmargin.field.fast.regs.one_of`, :func:`~zkmargin.field.fast.regs.zero_of`),
``pm2`` and ``m`` the base field's (:class:`~zkmargin.field.fast.mont64.Field64`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import prange

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.regs import f_inv, f_is_zero, f_load, f_mul, f_sqr, f_store
from zkmargin.field.fast.word import Modulus

BLOCK = 256
"""Points per parallel block of the section kernels (one inversion each when normalising)."""


@kernel
def normalise(
    out: np.ndarray, jac: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any, zero: Any
) -> None:
    """Jacobian rows to affine rows with one inversion (infinity to all zeros)."""
    n, _, dd, nl = jac.shape
    prefix = np.empty((n, dd, nl), dtype=np.uint64)
    acc = one
    for i in range(n):
        f_store(prefix[i], acc)
        z = f_load(jac[i, 2], zero)
        if not f_is_zero(z):
            acc = f_mul(acc, z, m)
    inv = f_inv(acc, pm2, one, m)
    for i in range(n - 1, -1, -1):
        z = f_load(jac[i, 2], zero)
        if f_is_zero(z):
            out[i] = 0
            continue
        zinv = f_mul(inv, f_load(prefix[i], zero), m)
        inv = f_mul(inv, z, m)
        z2 = f_sqr(zinv, m)
        f_store(out[i, 0], f_mul(f_load(jac[i, 0], zero), z2, m))
        f_store(out[i, 1], f_mul(f_load(jac[i, 1], zero), f_mul(z2, zinv, m), m))


@kernel(parallel=True)
def normalise_all(
    out: np.ndarray, jac: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any, zero: Any
) -> None:
    """:func:`normalise` over a whole section, in parallel blocks of :data:`BLOCK`."""
    n = jac.shape[0]
    for b in prange((n + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        normalise(out[lo:hi], jac[lo:hi], pm2, m, one, zero)
