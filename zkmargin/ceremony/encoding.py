"""Bulk point encodings of ceremony files: Montgomery arrays to ffjavascript's hash forms.

Point sections are ``(n, 2, N)`` (G1) or ``(n, 2, 2, N)`` (G2) ``uint64`` arrays in Montgomery
form, all-zero rows for infinity (:mod:`zkmargin.formats.point_arrays`). The challenge and
response hashes read the points in two other forms (facts from wasmcurves ``LEMtoU`` /
``LEMtoC``):

* *uncompressed*: each coordinate in plain form, big-endian; an F_p2 coordinate is its
  ``c0 ‖ c1`` little-endian bytes reversed (so ``c1`` first); infinity is all zeros;
* *compressed*: the x coordinate only, flag ``0x80`` on the first byte when y is "negative"
  (``> (q-1)/2``, over F_p2 judged on ``c1``, or ``c0`` when ``c1 = 0``), infinity ``0x40``
  then zeros.

Decoding (:func:`from_uncompressed`, :func:`from_compressed`, for files other people wrote) is
strict where ffjavascript is lenient: a coordinate ``>= q``, an x with no point on the curve,
a point off the curve, stray bits beside the infinity flag — each makes the point invalid, and
the callers name the first one.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from zkmargin.field.fast import mont64
from zkmargin.field.fast.ext import e_add, e_is_zero, e_mul, e_neg, e_sqr
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.sqrt import e_sqrt, exponents
from zkmargin.formats import point_arrays

BLOCK = 256
"""Points per parallel block when decompressing."""


@kernel
def _times(rows, k, m):
    """Montgomery products ``rows[i]·k`` of a ``(n, N)`` array: out of Montgomery form with a
    plain 1 for ``k``, into it with ``R²``."""
    out = np.empty_like(rows)
    t = np.zeros(rows.shape[1] + 2, dtype=np.uint64)
    for i in range(rows.shape[0]):
        mont64.mul(out[i], rows[i], k, m, t)
    return out


@kernel(inline=True)
def _is_negative(y, half):
    """Whether the plain ``(D, N)`` coordinate ``y`` is "negative" (see the module)."""
    c = y.shape[0] - 1
    if c == 1 and mont64.is_zero(y[1]):
        c = 0
    for j in range(y.shape[1] - 1, -1, -1):
        if y[c, j] != half[j]:
            return y[c, j] > half[j]
    return False


@kernel
def _negative_flags(y, half):
    """For plain ``(n, D, N)`` y coordinates: whether each is "negative" (see the module)."""
    out = np.zeros(y.shape[0], dtype=np.bool_)
    for i in range(y.shape[0]):
        out[i] = _is_negative(y[i], half)
    return out


def _plain(points: np.ndarray, field: Field64) -> np.ndarray:
    n = points.shape[0]
    flat = np.ascontiguousarray(points).reshape(-1, field.n_limbs)
    unit = mont64.ints_to_limbs([1], field.n_limbs)[0]
    return _times(flat, unit, field.m).reshape(n, 2, -1, field.n_limbs)


def _be(coords: np.ndarray) -> np.ndarray:
    """``(n, D, N)`` plain limbs as ``(n, 8·D·N)`` big-endian bytes (the whole block reversed)."""
    n = coords.shape[0]
    raw = np.ascontiguousarray(coords, dtype="<u8").view(np.uint8).reshape(n, -1)
    return raw[:, ::-1]


def uncompressed(points: np.ndarray, field: Field64) -> bytes:
    """The points' uncompressed encoding, concatenated."""
    if len(points) == 0:
        return b""
    plain = _plain(points, field)
    return np.concatenate([_be(plain[:, 0]), _be(plain[:, 1])], axis=1).tobytes()


def compressed(points: np.ndarray, field: Field64) -> bytes:
    """The points' compressed encoding, concatenated."""
    if len(points) == 0:
        return b""
    plain = _plain(points, field)
    out = np.ascontiguousarray(_be(plain[:, 0]))
    flat = np.ascontiguousarray(points).reshape(len(points), -1)
    infinity = ~flat.any(axis=1)
    half = mont64.ints_to_limbs([(field.p - 1) // 2], field.n_limbs)[0]
    negative = _negative_flags(np.ascontiguousarray(plain[:, 1]), half)
    out[:, 0] |= np.where(negative, 0x80, 0).astype(np.uint8)
    out[infinity] = 0
    out[infinity, 0] = 0x40
    return out.tobytes()


# --- decoding ---------------------------------------------------------------------------------
def _limbs(raw: np.ndarray, d: int, n_limbs: int) -> np.ndarray:
    """Big-endian ``(n, 8·D·N)`` bytes (one coordinate each) as plain ``(n, D, N)`` limbs."""
    le = np.ascontiguousarray(raw[:, ::-1])
    return le.view("<u8").reshape(len(raw), d, n_limbs)


@kernel(parallel=True)
def _decompress(xs, flags, b, exps, one, r2, half, m, out, ok):
    """Fill ``out[i]`` (Montgomery affine) from the plain x ``xs[i]`` and first-byte flags;
    ``ok[i]``: whether the encoding was a valid point (``out[i]`` is zero when not)."""
    n, d, nl = xs.shape
    for blk in prange((n + BLOCK - 1) // BLOCK):
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        tmp = np.zeros((3, d, nl), dtype=np.uint64)
        rhs = np.zeros((d, nl), dtype=np.uint64)
        plain = np.zeros((d, nl), dtype=np.uint64)
        unit = np.zeros(nl, dtype=np.uint64)
        unit[0] = 1
        for i in range(blk * BLOCK, min(n, (blk + 1) * BLOCK)):
            f = flags[i]
            ok[i] = False
            if f & 0x40:
                ok[i] = f == 0x40 and e_is_zero(xs[i])
                continue
            reduced = True
            for c in range(d):
                if mont64.geq_modulus(xs[i, c], m):
                    reduced = False
            if not reduced:
                continue
            x, y = out[i, 0], out[i, 1]
            for c in range(d):
                mont64.mul(x[c], xs[i, c], r2, m, s[0])
            e_sqr(rhs, x, m, s)
            e_mul(rhs, rhs, x, m, s)
            e_add(rhs, rhs, b, m)
            if not e_sqrt(y, rhs, exps, one, m, s, tmp):
                out[i] = 0
                continue
            for c in range(d):
                mont64.mul(plain[c], y[c], unit, m, s[0])
            if _is_negative(plain, half) != ((f & 0x80) != 0):
                e_neg(y, y, m)
            ok[i] = True


def _first_false(ok: np.ndarray) -> int:
    return -1 if ok.all() else int(np.argmin(ok))


def from_compressed(raw: np.ndarray, field: Field64, b: np.ndarray) -> tuple[np.ndarray, int]:
    """Points from compressed encodings (``(n, 8·D·N)`` bytes; ``b`` the curve coefficient as a
    Montgomery ``(D, N)`` array): ``(n, 2, D, N)`` Montgomery points and the index of the first
    invalid encoding (-1 if none)."""
    n, d = len(raw), b.shape[0]
    flags = np.ascontiguousarray(raw[:, 0] & 0xC0)
    masked = np.array(raw, dtype=np.uint8)
    masked[:, 0] &= 0x3F
    xs = _limbs(masked, d, field.n_limbs)
    out = np.zeros((n, 2, d, field.n_limbs), dtype=np.uint64)
    ok = np.zeros(n, dtype=np.bool_)
    half = mont64.ints_to_limbs([(field.p - 1) // 2], field.n_limbs)[0]
    _decompress(xs, flags, b, exponents(field), field.one, field.r2, half, field.m, out, ok)
    return out, _first_false(ok)


def from_uncompressed(raw: np.ndarray, field: Field64, b: np.ndarray) -> tuple[np.ndarray, int]:
    """Points from uncompressed encodings (``(n, 16·D·N)`` bytes), as :func:`from_compressed`."""
    n, d, nl = len(raw), b.shape[0], field.n_limbs
    half = raw.shape[1] // 2
    plain = np.stack([_limbs(raw[:, :half], d, nl), _limbs(raw[:, half:], d, nl)], axis=1)
    bad = point_arrays.first_not_reduced(plain.reshape(-1, nl), field.m)
    if bad >= 0:
        return np.zeros((n, 2, d, nl), dtype=np.uint64), bad // (2 * d)
    out = _times(plain.reshape(-1, nl), field.r2, field.m).reshape(n, 2, d, nl)
    if d == 2:
        return out, point_arrays.first_off_g2(out, b, field.m)
    return out, point_arrays.first_off_g1(out.reshape(n, 2, nl), b[0], field.m)
