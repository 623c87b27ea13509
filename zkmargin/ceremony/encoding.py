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
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast import mont64
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64


@kernel
def _from_mont(arr, m):
    """Plain limbs of a ``(k, N)`` Montgomery array (multiplication by a plain 1)."""
    n = arr.shape[1]
    out = np.empty_like(arr)
    one = np.zeros(n, dtype=np.uint64)
    one[0] = 1
    t = np.zeros(n + 2, dtype=np.uint64)
    for i in range(arr.shape[0]):
        mont64.mul(out[i], arr[i], one, m, t)
    return out


@kernel
def _negative_flags(y, half):
    """For plain ``(n, D, N)`` y coordinates: whether each is "negative" (see the module)."""
    n, d, limbs = y.shape
    out = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        c = d - 1
        if d == 2:
            zero = True
            for j in range(limbs):
                if y[i, 1, j] != 0:
                    zero = False
            if zero:
                c = 0
        for j in range(limbs - 1, -1, -1):
            if y[i, c, j] != half[j]:
                out[i] = y[i, c, j] > half[j]
                break
    return out


def _plain(points: np.ndarray, field: Field64) -> np.ndarray:
    n = points.shape[0]
    flat = np.ascontiguousarray(points).reshape(-1, field.n_limbs)
    return _from_mont(flat, field.m).reshape(n, 2, -1, field.n_limbs)


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
