"""Radix-2 NTT kernels on the 64-bit Montgomery layer (:mod:`.mont64`), batched and in place.

Arrays are ``(P, n, N)`` ``uint64``: ``P`` polynomials of ``n`` Montgomery-form elements
transformed together, so one pass over the stages (and one parallel region per stage) serves
all of them — the prover transforms A, B and C at once.

Two butterfly orders, so a chain of transforms never needs a bit-reversal pass:

* :func:`dif` (Gentleman–Sande): natural order in, bit-reversed order out;
* :func:`dit` (Cooley–Tukey): bit-reversed order in, natural order out.

Both take a twiddle table ``tw`` of ``n`` rows with ``tw[h + j] = w_(2h)^j`` for every stage
half-size ``h`` (``w_(2h) = w^(n/2h)``; row 0 unused), which :func:`twiddles` builds. With
``w`` a primitive n-th root, ``dif(a, tw(w))`` puts ``sum_i a_i w^(ik)`` at row ``bitrev(k)``,
and ``dit(a, tw(w))`` computes the same from bit-reversed input into natural order.  The
``_par`` drivers split each stage's butterflies across the cores (numba ``prange``) on the one
shared array; nothing is copied between threads.

>>> from zkmargin.field.fast.mont64 import Field64
>>> f = Field64.of(97)          # w = 22 has order 4 mod 97 (22^2 = -1)
>>> tw = twiddles(f, 22, 4)
>>> a = f.to_mont([1, 2, 3, 4]).reshape(1, 4, -1)
>>> dif(a, tw, f.m)             # evaluations of 1 + 2x + 3x^2 + 4x^3, bit-reversed
>>> f.from_mont(a) == [10, (1 - 2 + 3 - 4) % 97, (1 + 2 * 22 - 3 - 4 * 22) % 97, (1 - 2 * 22 - 3 + 4 * 22) % 97]
True
"""

from __future__ import annotations

import numba
import numpy as np
from numba import prange

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, copy, mul, sub
from zkmargin.field.fast.word import Modulus

# Butterflies per parallel task: many tasks per core in every stage (balance under load), each
# long enough that scheduling is noise.
CHUNK = 2048


@kernel
def _log2(n: int) -> int:
    k = 0
    while (1 << k) < n:
        k += 1
    return k


@kernel
def _stage_range(
    a: np.ndarray,
    tw: np.ndarray,
    half: int,
    lo: int,
    hi: int,
    m: Modulus,
    t: np.ndarray,
    u: np.ndarray,
    decimate_in_frequency: bool,
) -> None:
    """Butterflies ``lo..hi`` (over all polynomials) of the stage of half-size ``half``: the DIF
    butterfly (twiddle after the difference) or the DIT one (twiddle before)."""
    n = a.shape[1]
    log_per = _log2(n // 2)
    log_half = _log2(half)
    per_mask = (n // 2) - 1
    half_mask = half - 1
    for k in range(lo, hi):
        p = k >> log_per
        r = k & per_mask
        j = r & half_mask
        i0 = ((r >> log_half) << (log_half + 1)) + j
        x = a[p, i0]
        y = a[p, i0 + half]
        if decimate_in_frequency:
            sub(u, x, y, m)
            add(x, x, y, m)
            mul(y, u, tw[half + j], m, t)
        else:
            mul(u, y, tw[half + j], m, t)
            sub(y, x, u, m)
            add(x, x, u, m)


@kernel
def dif_range(
    a: np.ndarray,
    tw: np.ndarray,
    half: int,
    lo: int,
    hi: int,
    m: Modulus,
    t: np.ndarray,
    u: np.ndarray,
) -> None:
    """Butterflies ``lo..hi`` (over all polynomials) of the DIF stage of half-size ``half``."""
    _stage_range(a, tw, half, lo, hi, m, t, u, True)


@kernel
def dit_range(
    a: np.ndarray,
    tw: np.ndarray,
    half: int,
    lo: int,
    hi: int,
    m: Modulus,
    t: np.ndarray,
    u: np.ndarray,
) -> None:
    """Butterflies ``lo..hi`` (over all polynomials) of the DIT stage of half-size ``half``."""
    _stage_range(a, tw, half, lo, hi, m, t, u, False)


@kernel
def _serial(a: np.ndarray, tw: np.ndarray, m: Modulus, decimate_in_frequency: bool) -> None:
    """Every stage of :func:`dif` (half-sizes n/2 down to 1) or :func:`dit` (1 up to n/2)."""
    n = a.shape[1]
    t = np.empty(len(m) + 1, dtype=np.uint64)
    u = np.empty(len(m) - 1, dtype=np.uint64)
    total = a.shape[0] * (n // 2)
    log_n = _log2(n)
    for s in range(log_n):
        half = 1 << (log_n - 1 - s if decimate_in_frequency else s)
        _stage_range(a, tw, half, 0, total, m, t, u, decimate_in_frequency)


@kernel
def dif(a: np.ndarray, tw: np.ndarray, m: Modulus) -> None:
    """In-place DIF transform of every polynomial of ``a`` (one thread)."""
    _serial(a, tw, m, True)


@kernel
def dit(a: np.ndarray, tw: np.ndarray, m: Modulus) -> None:
    """In-place DIT transform of every polynomial of ``a`` (one thread)."""
    _serial(a, tw, m, False)


@kernel(parallel=True)
def dif_par(a: np.ndarray, tw: np.ndarray, m: Modulus, min_blocks: int) -> None:
    """:func:`dif` on all cores: the first stages (whose butterflies span the whole array)
    split into chunks with a barrier per stage, the rest as at least ``min_blocks``
    independent blocks (:func:`min_blocks`) with no barrier."""
    n = a.shape[1]
    total = a.shape[0] * (n // 2)
    half = n // 2
    while half >= 1 and a.shape[0] * (n // (2 * half)) < min_blocks:
        n_tasks = (total + CHUNK - 1) // CHUNK
        for task in prange(n_tasks):
            t = np.empty(len(m) + 1, dtype=np.uint64)
            u = np.empty(len(m) - 1, dtype=np.uint64)
            dif_range(a, tw, half, task * CHUNK, min(total, (task + 1) * CHUNK), m, t, u)
        half //= 2
    if half >= 1:
        # rows split into blocks of 2·half that no later stage crosses: half butterflies each
        for block in prange(total // half):
            t = np.empty(len(m) + 1, dtype=np.uint64)
            u = np.empty(len(m) - 1, dtype=np.uint64)
            h = half
            while h >= 1:
                dif_range(a, tw, h, block * half, (block + 1) * half, m, t, u)
                h //= 2


@kernel(parallel=True)
def dit_par(a: np.ndarray, tw: np.ndarray, m: Modulus, min_blocks: int) -> None:
    """:func:`dit` on all cores: at least ``min_blocks`` independent blocks for the first
    stages, then the last stages (whose butterflies span the whole array) in chunks with a
    barrier per stage."""
    n = a.shape[1]
    total = a.shape[0] * (n // 2)
    top = 1  # the largest stage half-size that still leaves enough independent blocks
    while 2 * top < n and a.shape[0] * (n // (4 * top)) >= min_blocks:
        top *= 2
    for block in prange(total // top):
        t = np.empty(len(m) + 1, dtype=np.uint64)
        u = np.empty(len(m) - 1, dtype=np.uint64)
        h = 1
        while h <= top:
            dit_range(a, tw, h, block * top, (block + 1) * top, m, t, u)
            h *= 2
    half = 2 * top
    while half < n:
        n_tasks = (total + CHUNK - 1) // CHUNK
        for task in prange(n_tasks):
            t = np.empty(len(m) + 1, dtype=np.uint64)
            u = np.empty(len(m) - 1, dtype=np.uint64)
            dit_range(a, tw, half, task * CHUNK, min(total, (task + 1) * CHUNK), m, t, u)
        half *= 2


def min_blocks() -> int:
    """Independent blocks the ``_par`` drivers want: two per numba thread, so a static split
    keeps every core busy."""
    return 2 * numba.get_num_threads()


@kernel
def fill_powers(out: np.ndarray, g: np.ndarray, start: np.ndarray, m: Modulus) -> None:
    """``out[i] = start · g^i`` (Montgomery form) for every row of ``out``."""
    t = np.empty(len(m) + 1, dtype=np.uint64)
    copy(out[0], start)
    for i in range(1, out.shape[0]):
        mul(out[i], out[i - 1], g, m, t)


@kernel
def fill_twiddles(tw: np.ndarray, m: Modulus) -> None:
    """Given ``tw[n/2 + j] = w^j``, fill the smaller stages: ``tw[h + j] = tw[2h + 2j]``."""
    half = tw.shape[0] // 4
    while half >= 1:
        for j in range(half):
            copy(tw[half + j], tw[2 * half + 2 * j])
        half //= 2


@kernel
def bit_reverse(a: np.ndarray) -> None:
    """Permute the rows of every polynomial of ``a`` (``(P, n, N)``) into bit-reversed order."""
    n = a.shape[1]
    for p in range(a.shape[0]):
        j = 0
        for i in range(1, n):
            bit = n >> 1
            while j & bit:
                j ^= bit
                bit >>= 1
            j |= bit
            if i < j:
                for w in range(a.shape[2]):
                    a[p, i, w], a[p, j, w] = a[p, j, w], a[p, i, w]


@kernel
def scale_rows(a: np.ndarray, table: np.ndarray, m: Modulus) -> None:
    """``a[p, i] *= table[i]`` for every polynomial ``p`` (``table``: ``n`` rows, or 1 row
    applied to every element)."""
    t = np.empty(len(m) + 1, dtype=np.uint64)
    single = table.shape[0] == 1
    for p in range(a.shape[0]):
        for i in range(a.shape[1]):
            mul(a[p, i], a[p, i], table[0 if single else i], m, t)


def twiddles(field: Field64, root: int, n: int) -> np.ndarray:
    """The ``(n, N)`` twiddle table of :func:`dif`/:func:`dit` for a primitive n-th ``root``."""
    tw = np.zeros((max(n, 2), field.n_limbs), dtype=np.uint64)
    if n >= 2:
        g = field.to_mont([root])[0]
        fill_powers(tw[n // 2 :], g, field.one, field.m)
        fill_twiddles(tw, field.m)
    return tw


def scaled_powers(
    field: Field64, g: int, n: int, scale: int = 1, bit_reversed: bool = False
) -> np.ndarray:
    """``scale · g^i`` for ``i < n`` as an ``(n, N)`` Montgomery array, optionally with row ``i``
    holding the power ``bitrev(i)`` (the order :func:`dif` leaves coefficients in)."""
    out = np.empty((n, field.n_limbs), dtype=np.uint64)
    fill_powers(out, field.to_mont([g])[0], field.to_mont([scale])[0], field.m)
    if bit_reversed:
        bit_reverse(out.reshape(1, n, field.n_limbs))
    return out
