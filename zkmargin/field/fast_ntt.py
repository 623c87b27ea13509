"""NTTs on numba kernels: :class:`FastDomain` is a drop-in :class:`~zkmargin.field.Domain`.

Same roots, coset and results as the reference :class:`~zkmargin.field.ntt.Domain` (snarkjs's
domain and odd coset), computed on Montgomery-form limb arrays
(:mod:`zkmargin.field.fast`): an iterative radix-2 transform whose butterflies are split
across the cores within each stage, on one shared array (nothing is copied between threads).

The list methods (``ntt``, ``coset_ntt``, ``coset_intt``, ``to_odd_coset``) convert at the
boundary; the ``*_array`` methods work in place on Montgomery arrays so a prover can chain
transforms without converting between them.

>>> from zkmargin.field import BN254_FR
>>> d = FastDomain(BN254_FR, 4)
>>> d.ntt(d.ntt([1, 2, 0, 0]), inverse=True)
[1, 2, 0, 0]
>>> d.to_odd_coset([5, 6, 7, 8]) == Domain(BN254_FR, 4).to_odd_coset([5, 6, 7, 8])
True
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from numba import prange

from zkmargin.field.fast.convert import converter
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont import fp_add, fp_mul, fp_mul_by, fp_mul_many, fp_sub, scratch
from zkmargin.field.ntt import Domain
from zkmargin.field.prime import PrimeField

# Butterflies per parallel task: large enough that scheduling is noise, small enough that
# both cores get many tasks in every stage.
_CHUNK = 1024
# Below this size one thread is faster: starting a parallel region per stage costs more than
# the stage (measured, docs/kernels.md).
PARALLEL_MIN_SIZE = 1 << 16


@kernel
def bit_reverse_rows(a):
    """Permute the rows of ``a`` (length a power of two) into bit-reversed order, in place."""
    n = a.shape[0]
    tmp = np.empty(a.shape[1], dtype=np.uint64)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            tmp[:] = a[i]
            a[i] = a[j]
            a[j] = tmp


@kernel
def butterflies(a, twiddles, half, lo, hi, m, inv, t, v):
    """Butterflies ``lo..hi`` of the stage whose blocks pair rows ``half`` apart."""
    stride = a.shape[0] // (2 * half)
    for k in range(lo, hi):
        block = k // half
        j = k - block * half
        i0 = block * 2 * half + j
        i1 = i0 + half
        fp_mul(a[i1], twiddles[j * stride], v, m, inv, t)
        fp_sub(a[i0], v, a[i1], m)
        fp_add(a[i0], v, a[i0], m)


@kernel
def ntt_serial(a, twiddles, m, inv):
    """Radix-2 decimation-in-time transform of the rows of ``a``, natural order in and out.

    ``twiddles[j] = w^j`` for ``j < n/2`` (Montgomery form), ``w`` the domain's root (or its
    inverse for the inverse transform, before scaling by ``1/n``).
    """
    n = a.shape[0]
    bit_reverse_rows(a)
    t = scratch(m)
    v = np.empty(m.shape[0], dtype=np.uint64)
    half = 1
    while half < n:
        butterflies(a, twiddles, half, 0, n // 2, m, inv, t, v)
        half *= 2


@kernel(parallel=True)
def ntt_parallel(a, twiddles, m, inv):
    """:func:`ntt_serial` with each stage's butterflies split into tasks across the cores."""
    n = a.shape[0]
    bit_reverse_rows(a)
    half = 1
    while half < n:
        n_tasks = (n // 2 + _CHUNK - 1) // _CHUNK
        for task in prange(n_tasks):
            t = scratch(m)
            v = np.empty(m.shape[0], dtype=np.uint64)
            butterflies(
                a, twiddles, half, task * _CHUNK, min((task + 1) * _CHUNK, n // 2), m, inv, t, v
            )
        half *= 2


class FastDomain(Domain):
    """:class:`~zkmargin.field.ntt.Domain` with its transforms on numba kernels."""

    def __init__(self, field: PrimeField, size: int) -> None:
        super().__init__(field, size)
        self.conv = converter(field.p)
        self._tables: dict[str, np.ndarray] = {}

    # --- Montgomery arrays, in place --------------------------------------------------------
    def to_mont(self, values: Sequence[int]) -> np.ndarray:
        """``n`` values as a Montgomery array ``(n, N)`` (checks the length)."""
        if len(values) != self.size:
            raise ValueError(f"expected {self.size} values for {self!r}, got {len(values)}")
        return self.conv.to_mont(values)

    def from_mont(self, arr: np.ndarray) -> list[int]:
        """Plain ints from a Montgomery array."""
        return self.conv.from_mont(arr)

    def ntt_array(self, arr: np.ndarray, inverse: bool = False) -> None:
        """:meth:`ntt` in place on a Montgomery array."""
        mod = self.conv.mod
        transform = ntt_parallel if self.size >= PARALLEL_MIN_SIZE else ntt_serial
        transform(arr, self._table("inv_twiddles" if inverse else "twiddles"), mod.limbs, mod.inv)
        if inverse:
            fp_mul_by(arr, self._table("size_inv")[0], arr, mod.limbs, mod.inv)

    def coset_ntt_array(self, arr: np.ndarray) -> None:
        """:meth:`coset_ntt` in place on a Montgomery array."""
        mod = self.conv.mod
        fp_mul_many(arr, self._table("shifts"), arr, mod.limbs, mod.inv)
        self.ntt_array(arr)

    def coset_intt_array(self, arr: np.ndarray) -> None:
        """:meth:`coset_intt` in place on a Montgomery array."""
        mod = self.conv.mod
        self.ntt_array(arr, inverse=True)
        fp_mul_many(arr, self._table("inv_shifts"), arr, mod.limbs, mod.inv)

    # --- the reference API on lists of ints ----------------------------------------------
    def ntt(self, values: Sequence[int], inverse: bool = False) -> list[int]:
        arr = self.to_mont(values)
        self.ntt_array(arr, inverse)
        return self.from_mont(arr)

    def coset_ntt(self, coeffs: Sequence[int]) -> list[int]:
        arr = self.to_mont(coeffs)
        self.coset_ntt_array(arr)
        return self.from_mont(arr)

    def coset_intt(self, evals: Sequence[int]) -> list[int]:
        arr = self.to_mont(evals)
        self.coset_intt_array(arr)
        return self.from_mont(arr)

    def to_odd_coset(self, evals: Sequence[int]) -> list[int]:
        arr = self.to_mont(evals)
        self.ntt_array(arr, inverse=True)
        self.coset_ntt_array(arr)
        return self.from_mont(arr)

    # --- internals --------------------------------------------------------------------------
    def _table(self, name: str) -> np.ndarray:
        if name not in self._tables:
            p, n = self.field.p, self.size
            half = max(1, n // 2)
            values = {
                "twiddles": lambda: _powers(self.omega, half, p),
                "inv_twiddles": lambda: _powers(self.omega_inv, half, p),
                "shifts": lambda: _powers(self.shift, n, p),
                "inv_shifts": lambda: _powers(self.shift_inv, n, p),
                "size_inv": lambda: [self.size_inv],
            }[name]()
            self._tables[name] = self.conv.to_mont(values)
        return self._tables[name]


def _powers(g: int, n: int, p: int) -> list[int]:
    out = [1] * n
    for i in range(1, n):
        out[i] = out[i - 1] * g % p
    return out


def warm_up() -> float:
    """Compile or load the NTT kernels for both scalar fields; the seconds it took."""
    from zkmargin.field.prime import BLS12_381_FR, BN254_FR

    start = time.perf_counter()
    for field in (BN254_FR, BLS12_381_FR):
        d = FastDomain(field, 8)
        d.to_odd_coset(d.coset_intt(list(range(8))))
        arr = d.to_mont(list(range(8)))
        ntt_parallel(arr, d._table("twiddles"), d.conv.mod.limbs, d.conv.mod.inv)
    return time.perf_counter() - start
