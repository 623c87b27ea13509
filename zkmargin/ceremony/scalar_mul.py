"""GLV scalar multiplications of point rows, each by its own scalar, on register points
(:mod:`zkmargin.curve.fast.jacobian_regs`), and :func:`scale`, which applies them to a section.

``k·P = k1·P + k2·φ(P)`` (:mod:`.glv`): both halves, below ``2^128``, in width-5 NAF (signed
odd digits ``±1 .. ±15``, one nonzero digit in six on average) share one chain of doublings.
Each point's odd multiples ``P, 3P, .. 15P`` are computed affine, a whole block's together
(:func:`odd_multiples`: about 6M each where Jacobian additions and a normalisation cost 23M),
so the chain's additions are mixed ones (7M + 4S instead of 11M + 5S); ``φ`` of an entry,
``(β·x, y)``, costs one multiplication. Points enter and leave affine, one inversion per block
(:func:`~.affine.normalise`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import prange

from zkmargin.ceremony import glv
from zkmargin.ceremony.affine import BLOCK, add_rows, double_rows, normalise
from zkmargin.curve.fast.jacobian_regs import (
    p_add_affine,
    p_double,
    p_infinity,
    p_load_affine,
    p_store,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.regs import f_is_zero, f_load, f_neg, f_scale, fp_of, one_of, zero_of
from zkmargin.field.fast.word import Modulus

NAF_DIGITS = 130
"""Digits of a half scalar (``< 2^128``) in width-5 NAF, with room for the final carry."""
ODD = 8
"""Odd multiples per point: ``1, 3, .. 15``."""


def group_name(points: np.ndarray) -> str:
    """``"g1"`` or ``"g2"`` for an ``(n, 2 or 3, D, N)`` point array."""
    return "g1" if points.shape[2] == 1 else "g2"


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
def _chain(
    odd: np.ndarray, k: np.ndarray, neg: np.ndarray, beta: Any, m: Modulus,
    naf: np.ndarray, one: Any, zero: Any,
) -> Any:  # fmt: skip
    """``k1·p + k2·φ(p)`` from ``odd``, the affine ``(2i + 1)·p`` (``p`` finite)."""
    n1 = wnaf(naf[0], k[0, 0], k[0, 1])
    n2 = wnaf(naf[1], k[1, 0], k[1, 1])
    acc = p_infinity(zero)
    for i in range(max(n1, n2) - 1, -1, -1):
        acc = p_double(acc, m)
        for h in range(2):
            d = naf[h, i] if i < (n1 if h == 0 else n2) else 0
            if d != 0:
                entry = odd[abs(d) >> 1]
                x = f_load(entry[0], zero)
                y = f_load(entry[1], zero)
                if h == 1:
                    x = f_scale(x, beta, m)
                if (d < 0) != neg[h]:
                    y = f_neg(y, m)
                acc = p_add_affine(acc, x, y, one, m)
    return acc


@kernel
def odd_multiples(
    odd: np.ndarray, pts: np.ndarray, live: np.ndarray, pm2: np.ndarray, m: Modulus,
    one: Any, zero: Any,
) -> None:  # fmt: skip
    """``odd[i, j] = (2j + 1)·pts[i]`` (``j < ODD``) for the ``live`` affine rows, all affine:
    one batch doubling and ``ODD - 1`` batch additions (:mod:`.affine`), each with one
    inversion for the block."""
    two = np.empty_like(pts)
    double_rows(two, pts, live, pm2, m, one, zero)
    odd[:, 0] = pts
    for j in range(1, ODD):
        add_rows(odd[:, j], odd[:, j - 1], two, live, pm2, m, one, zero)


@kernel
def mul_rows(
    out: np.ndarray, pts: np.ndarray, k: np.ndarray, neg: np.ndarray, skip: np.ndarray,
    beta: Any, pm2: np.ndarray, m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """``out[i] = (k1 + k2·λ)·pts[i]`` for affine rows ``(n, 2, D, N)`` not ``skip``-ped (those
    are copied; ``out`` may be ``pts``): ``k[i, h]`` the plain limbs of ``|k1|``, ``|k2|``,
    ``neg[i, h]`` their signs, ``beta`` Fq's cube root (:mod:`.glv`)."""
    n, _, dd, nl = pts.shape
    live = np.empty(n, dtype=np.bool_)
    for i in range(n):
        live[i] = not (skip[i] or (f_is_zero(f_load(pts[i, 0], zero))
                                   and f_is_zero(f_load(pts[i, 1], zero))))  # fmt: skip
    odd = np.empty((n, ODD, 2, dd, nl), dtype=np.uint64)
    odd_multiples(odd, pts, live, pm2, m, one, zero)
    jac = np.empty((n, 3, dd, nl), dtype=np.uint64)
    naf = np.empty((2, NAF_DIGITS), dtype=np.int64)
    for i in range(n):
        if live[i]:
            p_store(jac[i], _chain(odd[i], k[i], neg[i], beta, m, naf, one, zero))
        else:
            p_store(jac[i], p_load_affine(pts[i], one, zero))
    normalise(out, jac, pm2, m, one, zero)


@kernel
def _scale_block(
    out: np.ndarray, points: np.ndarray, k: np.ndarray, neg: np.ndarray, beta: Any,
    pm2: np.ndarray, m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    mul_rows(out, points, k, neg, np.zeros(points.shape[0], dtype=np.bool_), beta, pm2, m,
             one, zero)  # fmt: skip


@kernel(parallel=True)
def _scale_each(
    points: np.ndarray, k: np.ndarray, neg: np.ndarray, beta: Any, pm2: np.ndarray,
    m: Modulus, one: Any, zero: Any,
) -> np.ndarray:  # fmt: skip
    n = points.shape[0]
    out = np.zeros_like(points)
    for b in prange((n + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        _scale_block(out[lo:hi], points[lo:hi], k[lo:hi], neg[lo:hi], beta, pm2, m, one, zero)
    return out


def beta_of(field: Field64) -> Any:
    """Fq's cube root ``β`` (:mod:`.glv`) as the kernels take it."""
    return fp_of(field.to_mont([glv.BETA])[0])


def scale(points: np.ndarray, scalars: Sequence[int], field: Field64) -> np.ndarray:
    """``scalars[i] · points[i]`` for affine ``(n, 2, D, N)`` points of order r (one scalar per
    point, or one for all); ``field`` is the base field's :class:`~.mont64.Field64`."""
    n, dd = points.shape[0], points.shape[2]
    k, neg = glv.split_limbs(list(scalars), group_name(points))
    if k.shape[0] == 1:
        k, neg = np.repeat(k, n, axis=0), np.repeat(neg, n, axis=0)
    return _scale_each(np.ascontiguousarray(points), k, neg, beta_of(field), field.p_minus_2,
                       field.m, one_of(field.one, dd), zero_of(dd))  # fmt: skip
