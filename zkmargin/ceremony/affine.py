"""Jacobian point rows back to the files' affine rows, one field inversion per block of points
(Montgomery's trick: the running products of the ``Z`` coordinates are inverted once, then
unwound).

Points come and go in the files' layout: affine ``(n, 2, D, N)`` ``uint64`` (``D = 1`` for
G1, ``2`` for G2), Montgomery form, all-zero rows for infinity; Jacobian rows are
``(n, 3, D, N)`` with ``Z = 0`` for infinity (:mod:`zkmargin.curve.fast.jacobian`).
"""

from __future__ import annotations

import numpy as np
from numba import prange

from zkmargin.field.fast.ext import e_copy, e_inverse, e_is_zero, e_mul, e_set_one, e_sqr
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus

BLOCK = 256
"""Points per parallel block of the section kernels (one inversion each when normalising)."""


@kernel
def normalise(
    out: np.ndarray,
    jac: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    prefix: np.ndarray,
    tmp: np.ndarray,
) -> None:
    """Jacobian rows to affine rows with one inversion (infinity to all zeros); ``s``, field
    scratch ``(4, N + 2)``, ``prefix`` ``(n, D, N)`` and ``tmp`` ``(4, D, N)`` are scratch."""
    n = jac.shape[0]
    acc = tmp[0]
    e_set_one(acc, one)
    for i in range(n):
        e_copy(prefix[i], acc)
        if not e_is_zero(jac[i, 2]):
            e_mul(acc, acc, jac[i, 2], m, s)
    inv = tmp[1]
    e_inverse(inv, acc, one, pm2, m, s)
    zinv, z2 = tmp[2], tmp[3]
    for i in range(n - 1, -1, -1):
        if e_is_zero(jac[i, 2]):
            for k in range(2):
                for d in range(out.shape[2]):
                    out[i, k, d, :] = 0
            continue
        e_mul(zinv, inv, prefix[i], m, s)
        e_mul(inv, inv, jac[i, 2], m, s)
        e_sqr(z2, zinv, m, s)
        e_mul(out[i, 0], jac[i, 0], z2, m, s)
        e_mul(z2, z2, zinv, m, s)
        e_mul(out[i, 1], jac[i, 1], z2, m, s)


@kernel
def normalise_block(
    out: np.ndarray, jac: np.ndarray, one: np.ndarray, pm2: np.ndarray, m: Modulus
) -> None:
    """:func:`normalise` with its own scratch (called once per parallel block)."""
    n, _, dd, nl = jac.shape
    s = np.zeros((4, nl + 2), dtype=np.uint64)
    prefix = np.zeros((n, dd, nl), dtype=np.uint64)
    tmp = np.zeros((4, dd, nl), dtype=np.uint64)
    normalise(out, jac, one, pm2, m, s, prefix, tmp)


@kernel(parallel=True)
def normalise_all(
    out: np.ndarray, jac: np.ndarray, one: np.ndarray, pm2: np.ndarray, m: Modulus
) -> None:
    """:func:`normalise` over a whole section, in parallel blocks of :data:`BLOCK`."""
    n = jac.shape[0]
    for b in prange((n + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        normalise_block(out[lo:hi], jac[lo:hi], one, pm2, m)
