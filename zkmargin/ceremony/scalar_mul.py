"""GLV scalar multiplication of one point by its own scalar, on register points
(:mod:`zkmargin.curve.fast.jacobian_regs`), and :func:`scale`, which applies it to a section.

``k·P = k1·P + k2·φ(P)`` (:mod:`.glv`): both halves, below ``2^128``, in width-5 NAF (signed
odd digits ``±1 .. ±15``, one nonzero digit in six on average) share one chain of doublings;
the table of odd multiples ``P, 3P, .. 15P`` is built once per point and ``φ`` of it costs
one multiplication per entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import prange

from zkmargin.ceremony import glv
from zkmargin.ceremony.affine import BLOCK, normalise_block
from zkmargin.curve.fast.jacobian_regs import (
    p_add,
    p_double,
    p_infinity,
    p_load,
    p_load_affine,
    p_neg,
    p_store,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.regs import f_scale, fp_of, one_of, zero_of
from zkmargin.field.fast.word import Modulus


def group_name(points: np.ndarray) -> str:
    """``"g1"`` or ``"g2"`` for an ``(n, 2 or 3, D, N)`` point array."""
    return "g1" if points.shape[2] == 1 else "g2"


NAF_DIGITS = 130
"""Digits of a half scalar (``< 2^128``) in width-5 NAF, with room for the final carry."""


@kernel
def wnaf(out: np.ndarray, lo: np.uint64, hi: np.uint64) -> int:
    """``out[i]``: the width-5 NAF digits of ``hi·2^64 + lo`` from the least significant;
    returns how many."""
    n = 0
    while lo != 0 or hi != 0:
        d = 0
        if lo & np.uint64(1):
            d = int(lo & np.uint64(31))
            if d >= 16:
                d -= 32
            if d > 0:
                new = lo - np.uint64(d)
                if new > lo:
                    hi -= np.uint64(1)
                lo = new
            else:
                new = lo + np.uint64(-d)
                if new < lo:
                    hi += np.uint64(1)
                lo = new
        out[n] = d
        n += 1
        lo = (lo >> np.uint64(1)) | (hi << np.uint64(63))
        hi >>= np.uint64(1)
    return n


@kernel
def glv_mul(
    p: Any,
    k: np.ndarray,
    neg: np.ndarray,
    beta: Any,
    m: Modulus,
    tables: np.ndarray,
    naf: np.ndarray,
    zero: Any,
) -> Any:
    """``k1·p + k2·φ(p)`` for a register point ``p``: ``k[h]`` the plain limbs of ``|k1|``,
    ``|k2|``, ``neg[h]`` their signs, ``beta`` Fq's cube root (:mod:`.glv`, Montgomery form);
    ``tables`` ``(2, 8, 3, D, N)`` and ``naf`` ``(2, NAF_DIGITS)`` are scratch."""
    two = p_double(p, m)
    t = p
    for i in range(8):
        if i > 0:
            t = p_add(t, two, m)
        s0 = p_neg(t, m) if neg[0] else t
        s1 = p_neg(t, m) if neg[1] else t
        p_store(tables[0, i], s0)
        p_store(tables[1, i], (f_scale(s1[0], beta, m), s1[1], s1[2]))
    n1 = wnaf(naf[0], k[0, 0], k[0, 1])
    n2 = wnaf(naf[1], k[1, 0], k[1, 1])
    acc = p_infinity(zero)
    for i in range(max(n1, n2) - 1, -1, -1):
        acc = p_double(acc, m)
        for h in range(2):
            d = naf[h, i] if i < (n1 if h == 0 else n2) else 0
            if d > 0:
                acc = p_add(acc, p_load(tables[h, d >> 1], zero), m)
            elif d < 0:
                acc = p_add(acc, p_neg(p_load(tables[h, (-d) >> 1], zero), m), m)
    return acc


@kernel
def _scale_block(
    out: np.ndarray, points: np.ndarray, k: np.ndarray, neg: np.ndarray, beta: Any,
    one: np.ndarray, pm2: np.ndarray, m: Modulus, one_r: Any, zero: Any,
) -> None:  # fmt: skip
    n, _, dd, nl = points.shape
    tables = np.empty((2, 8, 3, dd, nl), dtype=np.uint64)
    naf = np.empty((2, NAF_DIGITS), dtype=np.int64)
    jac = np.empty((n, 3, dd, nl), dtype=np.uint64)
    for i in range(n):
        p = p_load_affine(points[i], one_r, zero)
        p_store(jac[i], glv_mul(p, k[i], neg[i], beta, m, tables, naf, zero))
    normalise_block(out, jac, one, pm2, m)


@kernel(parallel=True)
def _scale_each(
    points: np.ndarray, k: np.ndarray, neg: np.ndarray, beta: Any, one: np.ndarray,
    pm2: np.ndarray, m: Modulus, one_r: Any, zero: Any,
) -> np.ndarray:  # fmt: skip
    n = points.shape[0]
    out = np.zeros_like(points)
    for b in prange((n + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        _scale_block(out[lo:hi], points[lo:hi], k[lo:hi], neg[lo:hi], beta, one, pm2, m, one_r,
                     zero)  # fmt: skip
    return out


def scale(points: np.ndarray, scalars: Sequence[int], field: Field64) -> np.ndarray:
    """``scalars[i] · points[i]`` for affine ``(n, 2, D, N)`` points of order r (one scalar per
    point, or one for all); ``field`` is the base field's :class:`~.mont64.Field64`."""
    n, dd = points.shape[0], points.shape[2]
    k, neg = glv.split_limbs(list(scalars), group_name(points))
    if k.shape[0] == 1:
        k, neg = np.repeat(k, n, axis=0), np.repeat(neg, n, axis=0)
    beta = fp_of(field.to_mont([glv.BETA])[0])
    return _scale_each(np.ascontiguousarray(points), k, neg, beta, field.one, field.p_minus_2,
                       field.m, one_of(field.one, dd), zero_of(dd))  # fmt: skip
