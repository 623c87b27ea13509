"""GLV scalar multiplications of point rows, each by its own scalar, on register points
(:mod:`zkmargin.curve.fast.jacobian_regs`), and :func:`scale`, which applies them to a section.

``k·P = k1·P + k2·φ(P)`` on G1 and ``k1·P + k2·φ(P) + k3·ψ(P) + k4·ψφ(P)`` on G2
(:mod:`.glv`): the parts, below ``2^128`` and ``2^64``, in width-5 NAF (signed odd digits,
one nonzero digit in six on average) share one chain of doublings. Each point's odd
multiples ``P, 3P, ..`` are computed affine, a whole block's together (:func:`odd_multiples`:
about 6M each where Jacobian additions and a normalisation cost 23M), so the chain's
additions are mixed ones (7M + 4S instead of 11M + 5S); points enter and leave affine, one
inversion per block (:func:`~.affine.normalise`); the maps of each entry are cheap on affine points: ``φ``, ``(β·x, y)``, costs one
multiplication by an F_q element, ``ψ`` two F_q2 multiplications.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import prange

from zkmargin.ceremony import endomorphism, glv
from zkmargin.ceremony.affine import BLOCK, add_rows, double_rows, normalise
from zkmargin.ceremony.endomorphism import psi
from zkmargin.curve.fast.jacobian_regs import (
    p_add_affine,
    p_double,
    p_infinity,
    p_load_affine,
    p_store,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.regs import (
    f_is_zero,
    f_load,
    f_neg,
    f_scale,
    f_store,
    one_of,
    zero_of,
)
from zkmargin.field.fast.word import Modulus

NAF_DIGITS = 130
"""Digits of a part (``< 2^128``) in width-5 NAF, with room for the final carry."""
WIDTH = 5
"""NAF width: the chain adds once per ``WIDTH + 1`` bits of each part, from ``2^(WIDTH-2)``
odd multiples per point and map (the fastest width for G1 and G2: ``docs/decisions.md``)."""
ODD = 1 << (WIDTH - 2)
"""Odd multiples per point: ``1, 3, .. 15``."""


def group_name(points: np.ndarray) -> str:
    """``"g1"`` or ``"g2"`` for an ``(n, 2 or 3, D, N)`` point array."""
    return "g1" if points.shape[2] == 1 else "g2"


@kernel
def wnaf(out: np.ndarray, lo: np.uint64, hi: np.uint64) -> int:
    """``out[i]``: the width-:data:`WIDTH` NAF digits of ``hi·2^64 + lo`` from the least
    significant (odd, of absolute value below ``2^(WIDTH-1)``); returns how many."""
    mask = np.uint64((1 << WIDTH) - 1)
    half = 1 << (WIDTH - 1)
    n = 0
    while lo != 0 or hi != 0:
        d = 0
        if lo & np.uint64(1):
            d = int(lo & mask)
            if d >= half:
                d -= 2 * half
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
def odd_multiples(
    odd: np.ndarray, pts: np.ndarray, live: np.ndarray, pm2: np.ndarray, m: Modulus,
    one: Any, zero: Any,
) -> None:  # fmt: skip
    """``odd[i, j] = (2j + 1)·pts[i]`` (``j <`` :data:`ODD`) for the ``live`` affine rows, all
    affine: one batch doubling and ``ODD - 1`` batch additions (:mod:`.affine`), each with one
    inversion for the block."""
    two = np.empty_like(pts)
    double_rows(two, pts, live, pm2, m, one, zero)
    odd[:, 0] = pts
    for j in range(1, ODD):
        add_rows(odd[:, j], odd[:, j - 1], two, live, pm2, m, one, zero)


@kernel
def _tables(tab: np.ndarray, odd: np.ndarray, endo: np.ndarray, m: Modulus, zero: Any) -> None:
    """``tab[h, j]``: map ``h`` of the affine ``odd[j]``, the maps ``1, φ`` (two parts) or
    ``1, φ, ψ, ψφ`` (four); ``endo`` from :func:`endo_of`."""
    b = endo[0, 0]
    beta = (b[0], b[1], b[2], b[3])
    gx = f_load(endo[1], zero)
    gy = f_load(endo[2], zero)
    for j in range(odd.shape[0]):
        x = f_load(odd[j, 0], zero)
        y = f_load(odd[j, 1], zero)
        for h in range(tab.shape[0]):
            if h == 2:
                x, y = psi(x, y, gx, gy, m)
            f_store(tab[h, j, 0], f_scale(x, beta, m) if h & 1 else x)
            f_store(tab[h, j, 1], y)


@kernel
def _chain(
    tab: np.ndarray, k: np.ndarray, neg: np.ndarray, m: Modulus, naf: np.ndarray,
    lens: np.ndarray, one: Any, zero: Any,
) -> Any:  # fmt: skip
    """``Σ_h k_h·map_h(p)`` from ``tab[h, j]``, the affine ``map_h((2j + 1)·p)``
    (:func:`_tables`; ``p`` finite), ``k[h]`` the parts' limbs, ``neg[h]`` their signs."""
    top = 0
    for h in range(k.shape[0]):
        lens[h] = wnaf(naf[h], k[h, 0], k[h, 1])
        top = max(top, lens[h])
    acc = p_infinity(zero)
    for i in range(top - 1, -1, -1):
        acc = p_double(acc, m)
        for h in range(k.shape[0]):
            d = naf[h, i] if i < lens[h] else 0
            if d != 0:
                entry = tab[h, abs(d) >> 1]
                y = f_load(entry[1], zero)
                if (d < 0) != neg[h]:
                    y = f_neg(y, m)
                acc = p_add_affine(acc, f_load(entry[0], zero), y, one, m)
    return acc


@kernel
def mul_rows(
    out: np.ndarray, pts: np.ndarray, k: np.ndarray, neg: np.ndarray, skip: np.ndarray,
    endo: np.ndarray, pm2: np.ndarray, m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    """``out[i] = k[i]·pts[i]`` for affine rows ``(n, 2, D, N)`` not ``skip``-ped (those are
    copied; ``out`` may be ``pts``), each scalar split in parts as :func:`~.glv.split_limbs`
    does: ``k[i, h]`` the plain limbs of part ``h``'s absolute value, ``neg[i, h]`` its sign;
    ``endo`` from :func:`endo_of`."""
    n, _, dd, nl = pts.shape
    parts = k.shape[1]
    live = np.empty(n, dtype=np.bool_)
    for i in range(n):
        live[i] = not (skip[i] or (f_is_zero(f_load(pts[i, 0], zero))
                                   and f_is_zero(f_load(pts[i, 1], zero))))  # fmt: skip
    odd = np.empty((n, ODD, 2, dd, nl), dtype=np.uint64)
    odd_multiples(odd, pts, live, pm2, m, one, zero)
    tab = np.empty((parts, ODD, 2, dd, nl), dtype=np.uint64)
    naf = np.empty((parts, NAF_DIGITS), dtype=np.int64)
    lens = np.empty(parts, dtype=np.int64)
    jac = np.empty((n, 3, dd, nl), dtype=np.uint64)
    for i in range(n):
        if live[i]:
            _tables(tab, odd[i], endo, m, zero)
            p_store(jac[i], _chain(tab, k[i], neg[i], m, naf, lens, one, zero))
        else:
            p_store(jac[i], p_load_affine(pts[i], one, zero))
    normalise(out, jac, pm2, m, one, zero)


@kernel
def _scale_block(
    out: np.ndarray, points: np.ndarray, k: np.ndarray, neg: np.ndarray, endo: np.ndarray,
    pm2: np.ndarray, m: Modulus, one: Any, zero: Any,
) -> None:  # fmt: skip
    mul_rows(out, points, k, neg, np.zeros(points.shape[0], dtype=np.bool_), endo, pm2, m,
             one, zero)  # fmt: skip


@kernel(parallel=True)
def _scale_each(
    points: np.ndarray, k: np.ndarray, neg: np.ndarray, endo: np.ndarray, pm2: np.ndarray,
    m: Modulus, one: Any, zero: Any,
) -> np.ndarray:  # fmt: skip
    n = points.shape[0]
    out = np.zeros_like(points)
    for b in prange((n + BLOCK - 1) // BLOCK):
        lo = b * BLOCK
        hi = min(n, lo + BLOCK)
        _scale_block(out[lo:hi], points[lo:hi], k[lo:hi], neg[lo:hi], endo, pm2, m, one, zero)
    return out


def endo_of(field: Field64, d: int) -> np.ndarray:
    """``β``, ``γx``, ``γy`` as the kernels take them, a ``(3, d, N)`` array for G1 (``d = 1``)
    or G2 (``d = 2``): Fq's cube root (:mod:`.glv`) and ``ψ``'s constants
    (:mod:`.endomorphism`), in Montgomery form."""
    gx, gy = endomorphism.GAMMA_X, endomorphism.GAMMA_Y
    values = [glv.BETA, 1, 1] if d == 1 else [glv.BETA, 0, *gx, *gy]
    return field.to_mont(values).reshape(3, d, -1)


def scale(points: np.ndarray, scalars: Sequence[int], field: Field64) -> np.ndarray:
    """``scalars[i] · points[i]`` for affine ``(n, 2, D, N)`` points of order r (one scalar per
    point, or one for all); ``field`` is the base field's :class:`~.mont64.Field64`."""
    n, dd = points.shape[0], points.shape[2]
    k, neg = glv.split_limbs(list(scalars), group_name(points))
    if k.shape[0] == 1:
        k, neg = np.repeat(k, n, axis=0), np.repeat(neg, n, axis=0)
    return _scale_each(np.ascontiguousarray(points), k, neg, endo_of(field, dd), field.p_minus_2,
                       field.m, one_of(field.one, dd), zero_of(dd))  # fmt: skip
