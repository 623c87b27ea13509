"""Sparse linear combinations of affine points: a circuit's A, B, C columns over the Lagrange
points, when a zkey starts from a ptau.

Coefficients are often full-size and each point serves several terms, so every point used gets
one affine table of its 4-bit window multiples ``1..15 · P`` (built on register points,
normalised with one inversion per :data:`TABLE_BLOCK` points), and the terms of an output share
their doublings (Straus): a term costs one mixed addition per window.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import prange

from zkmargin.ceremony.affine import BLOCK, normalise
from zkmargin.curve.fast.jacobian_regs import (
    p_add,
    p_add_affine,
    p_double,
    p_infinity,
    p_load_affine,
    p_store,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.regs import f_load, f_neg, one_of, zero_of
from zkmargin.field.fast.word import Modulus

TABLE_BLOCK = 16
"""Points whose window tables are normalised with one inversion."""


@kernel
def _table_block(
    tables: np.ndarray, points: np.ndarray, used: np.ndarray, pm2: np.ndarray, m: Modulus,
    one_r: Any, zero: Any,
) -> None:  # fmt: skip
    """:func:`_affine_tables` for one block of points (``tables`` its rows)."""
    n, _, dd, nl = points.shape
    jac = np.zeros((n * 16, 3, dd, nl), dtype=np.uint64)
    for i in range(n):
        if used[i]:
            p = p_load_affine(points[i], one_r, zero)
            t = p_double(p, m)
            p_store(jac[i * 16 + 1], p)
            p_store(jac[i * 16 + 2], t)
            for d in range(3, 16):
                t = p_add(t, p, m)
                p_store(jac[i * 16 + d], t)
    normalise(tables.reshape(n * 16, 2, dd, nl), jac, pm2, m, one_r, zero)


@kernel(parallel=True)
def _affine_tables(
    points: np.ndarray, used: np.ndarray, pm2: np.ndarray, m: Modulus, one_r: Any, zero: Any,
) -> np.ndarray:  # fmt: skip
    """``tables[i, d] = d·points[i]`` (affine, ``d = 1 .. 15``; row 0 and unused or infinite
    points all zeros)."""
    n, _, dd, nl = points.shape
    tables = np.zeros((n, 16, 2, dd, nl), dtype=np.uint64)
    for b in prange((n + TABLE_BLOCK - 1) // TABLE_BLOCK):
        lo = b * TABLE_BLOCK
        hi = min(n, lo + TABLE_BLOCK)
        _table_block(tables[lo:hi], points[lo:hi], used[lo:hi], pm2, m, one_r, zero)
    return tables


@kernel
def _combine_block(
    out: np.ndarray, lo: int, tables: np.ndarray, finite: np.ndarray, starts: np.ndarray,
    cols: np.ndarray, scalars: np.ndarray, negate: np.ndarray, pm2: np.ndarray, m: Modulus,
    one_r: Any, zero: Any,
) -> None:  # fmt: skip
    """Outputs ``lo .. lo + len(out)`` of :func:`_combine_tables`."""
    n, _, dd, nl = out.shape
    jac = np.zeros((n, 3, dd, nl), dtype=np.uint64)
    for k in range(lo, lo + n):
        acc = p_infinity(zero)
        started = False
        for w in range(scalars.shape[1] * 16 - 1, -1, -1):
            shift = np.uint64(4 * (w & 15))
            if started:
                for _ in range(4):
                    acc = p_double(acc, m)
            for t in range(starts[k], starts[k + 1]):
                d = (scalars[t, w >> 4] >> shift) & np.uint64(15)
                if d != 0 and finite[cols[t]]:
                    entry = tables[cols[t], d]
                    y = f_load(entry[1], zero)
                    if negate[t]:
                        y = f_neg(y, m)
                    acc = p_add_affine(acc, f_load(entry[0], zero), y, one_r, m)
                    started = True
        p_store(jac[k - lo], acc)
    normalise(out, jac, pm2, m, one_r, zero)


@kernel(parallel=True)
def _combine_tables(
    tables: np.ndarray, finite: np.ndarray, starts: np.ndarray, cols: np.ndarray,
    scalars: np.ndarray, negate: np.ndarray, pm2: np.ndarray, m: Modulus, one_r: Any, zero: Any,
) -> np.ndarray:  # fmt: skip
    n_out = starts.shape[0] - 1
    dd, nl = tables.shape[3], tables.shape[4]
    out = np.zeros((n_out, 2, dd, nl), dtype=np.uint64)
    for b in prange((n_out + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n_out, lo + BLOCK)
        _combine_block(out[lo:hi], lo, tables, finite, starts, cols, scalars, negate, pm2, m,
                       one_r, zero)  # fmt: skip
    return out


def combine(
    points: np.ndarray,
    starts: np.ndarray,
    cols: np.ndarray,
    scalars: np.ndarray,
    negate: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
) -> np.ndarray:
    """``out[k] = Σ ±scalars[t] · points[cols[t]]`` over the terms ``t`` in
    ``starts[k] .. starts[k+1]`` (``negate[t]``: subtract); affine ``(n, 2, D, N)`` in and out,
    ``scalars`` plain 64-bit limbs ``(terms, 4)``, ``one``, ``pm2``, ``m`` the base field's
    (:class:`~zkmargin.field.fast.mont64.Field64`)."""
    n, dd = points.shape[0], points.shape[2]
    finite = points.reshape(n, -1).any(axis=1)
    used = np.zeros(n, dtype=np.bool_)
    used[cols] = True
    one_r, zero = one_of(one, dd), zero_of(dd)
    tables = _affine_tables(points, used & finite, pm2, m, one_r, zero)
    return _combine_tables(tables, finite, starts, cols, scalars, negate, pm2, m, one_r, zero)
