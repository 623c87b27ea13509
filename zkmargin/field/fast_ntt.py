"""NTTs on numba kernels: :class:`FastDomain` is a drop-in :class:`~zkmargin.field.Domain`.

Same roots, coset and results as the reference :class:`~zkmargin.field.ntt.Domain` (snarkjs's
domain and odd coset), computed on 64-bit-limb Montgomery arrays
(:mod:`zkmargin.field.fast.mont64`) by the kernels of :mod:`zkmargin.field.fast.ntt64`.

The list methods (``ntt``, ``coset_ntt``, ``coset_intt``, ``to_odd_coset``) convert at the
boundary; the ``*_array`` methods work in place on Montgomery arrays of shape ``(n, N)`` or
``(P, n, N)`` (``P`` polynomials at once), so a prover chains transforms without converting.
:meth:`FastDomain.to_odd_coset_array` — the prover's step — runs an inverse DIF transform, one
table multiplication (``n^-1 · g^bitrev(i)``: the inverse's scaling and the coset shift
together) and a forward DIT transform, with no bit-reversal pass.

>>> from zkmargin.field import BN254_FR
>>> d = FastDomain(BN254_FR, 4)
>>> d.ntt(d.ntt([1, 2, 0, 0]), inverse=True)
[1, 2, 0, 0]
>>> d.to_odd_coset([5, 6, 7, 8]) == Domain(BN254_FR, 4).to_odd_coset([5, 6, 7, 8])
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from zkmargin.field.fast import ntt64
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.ntt import Domain
from zkmargin.field.prime import PrimeField

PARALLEL_MIN_SIZE = 1 << 14
"""Butterflies per stage (all polynomials together) from which the transforms use every core;
below it one thread wins over starting parallel regions (``bench/groth16_vs_snarkjs.py --ntt``
measures both)."""


class FastDomain(Domain):
    """:class:`~zkmargin.field.ntt.Domain` with its transforms on numba kernels."""

    def __init__(self, field: PrimeField, size: int) -> None:
        super().__init__(field, size)
        self.f64 = Field64.of(field.p)
        self._tables: dict[str, np.ndarray] = {}

    # --- Montgomery arrays, in place --------------------------------------------------------
    def to_mont(self, values: Sequence[int]) -> np.ndarray:
        """``n`` values as a Montgomery array ``(n, N)`` (checks the length)."""
        if len(values) != self.size:
            raise ValueError(f"expected {self.size} values for {self!r}, got {len(values)}")
        return self.f64.to_mont(values)

    def from_mont(self, arr: np.ndarray) -> list[int]:
        """Plain ints from a Montgomery array (flattened)."""
        return self.f64.from_mont(arr)

    def ntt_array(self, arr: np.ndarray, inverse: bool = False) -> None:
        """:meth:`ntt` in place on a Montgomery array (natural order in and out)."""
        a = self._batch(arr)
        if inverse:
            self._dif(a, self._table("tw_inv"))
            ntt64.bit_reverse(a)
            ntt64.scale_rows(a, self._table("size_inv"), self.f64.m)
        else:
            ntt64.bit_reverse(a)
            self._dit(a, self._table("tw"))

    def coset_ntt_array(self, arr: np.ndarray) -> None:
        """:meth:`coset_ntt` in place on a Montgomery array."""
        a = self._batch(arr)
        ntt64.scale_rows(a, self._table("shifts"), self.f64.m)
        ntt64.bit_reverse(a)
        self._dit(a, self._table("tw"))

    def coset_intt_array(self, arr: np.ndarray) -> None:
        """:meth:`coset_intt` in place on a Montgomery array."""
        a = self._batch(arr)
        self._dif(a, self._table("tw_inv"))
        ntt64.scale_rows(a, self._table("unshift_br"), self.f64.m)
        ntt64.bit_reverse(a)

    def to_odd_coset_array(self, arr: np.ndarray) -> None:
        """:meth:`to_odd_coset` in place on a Montgomery array."""
        a = self._batch(arr)
        self._dif(a, self._table("tw_inv"))
        ntt64.scale_rows(a, self._table("shift_br"), self.f64.m)
        self._dit(a, self._table("tw"))

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
        self.to_odd_coset_array(arr)
        return self.from_mont(arr)

    # --- internals --------------------------------------------------------------------------
    def _batch(self, arr: np.ndarray) -> np.ndarray:
        """``arr`` as a ``(P, n, N)`` view (no copy); rejects a wrong shape or dtype."""
        n, limbs = self.size, self.f64.n_limbs
        ok = arr.dtype == np.uint64 and arr.flags.c_contiguous and arr.shape[-2:] == (n, limbs)
        if not ok or arr.ndim not in (2, 3):
            raise ValueError(
                f"expected a C-contiguous uint64 array (..., {n}, {limbs}) for {self!r}, "
                f"got {arr.dtype} {arr.shape}"
            )
        return arr.reshape(-1, n, limbs)

    def _parallel(self, a: np.ndarray) -> bool:
        return bool(a.shape[0] * self.size // 2 >= PARALLEL_MIN_SIZE)

    def _dif(self, a: np.ndarray, tw: np.ndarray) -> None:
        if self._parallel(a):
            ntt64.dif_par(a, tw, self.f64.m, ntt64.min_blocks())
        else:
            ntt64.dif(a, tw, self.f64.m)

    def _dit(self, a: np.ndarray, tw: np.ndarray) -> None:
        if self._parallel(a):
            ntt64.dit_par(a, tw, self.f64.m, ntt64.min_blocks())
        else:
            ntt64.dit(a, tw, self.f64.m)

    def _table(self, name: str) -> np.ndarray:
        if name not in self._tables:
            f, n = self.f64, self.size
            make: Callable[[], np.ndarray] = {
                "tw": lambda: ntt64.twiddles(f, self.omega, n),
                "tw_inv": lambda: ntt64.twiddles(f, self.omega_inv, n),
                "shifts": lambda: ntt64.scaled_powers(f, self.shift, n),
                # after an inverse DIF, row i holds n·(coefficient bitrev(i)): scale and shift
                "shift_br": lambda: ntt64.scaled_powers(f, self.shift, n, self.size_inv, True),
                "unshift_br": lambda: ntt64.scaled_powers(
                    f, self.shift_inv, n, self.size_inv, True
                ),
                "size_inv": lambda: f.to_mont([self.size_inv]),
            }[name]
            self._tables[name] = make()
        return self._tables[name]


@cache
def fast_domain(field: PrimeField, size: int) -> FastDomain:
    """A shared :class:`FastDomain` per field and size, so its tables are built once."""
    return FastDomain(field, size)


def warm_up() -> float:
    """Compile or load the NTT kernels for both scalar fields; the seconds it took."""
    from zkmargin.field.prime import BLS12_381_FR, BN254_FR

    start = time.perf_counter()
    for field in (BN254_FR, BLS12_381_FR):
        d = FastDomain(field, 8)
        d.to_odd_coset(d.coset_intt(d.coset_ntt(d.ntt(list(range(8)), inverse=True))))
        arr = d.to_mont(list(range(8)))
        for kernel in (ntt64.dif_par, ntt64.dit_par):
            kernel(arr.reshape(1, 8, -1), d._table("tw"), d.f64.m, ntt64.min_blocks())
    return time.perf_counter() - start
