"""Witness checking in a numba kernel: the fast path of :func:`zkmargin.dsl.r1cs.check`.

The three sides are laid out once per constraint system as compressed rows (row offsets, wire
indices, coefficients in Montgomery form ``c·R``), so a Montgomery product with a plain witness
value is the plain ``c·w``. The kernel finds the first failing constraint; the reference
:func:`~zkmargin.dsl.r1cs.check` then raises the error that names it, so both paths fail
with the same message.

>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> cs = R1CS(BN254_FR, n_pub_out=0, n_pub_in=1, n_prv_in=1, n_wires=3,
...           constraints=[Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> FastCheck.of(cs)([1, 9, 3])
>>> FastCheck.of(cs)([1, 9, 4])
Traceback (most recent call last):
...
zkmargin.dsl.r1cs.UnsatisfiedConstraint: constraint #0 'square' is not satisfied: 4 * 4 != 9 (mod p), difference 7
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zkmargin.dsl.r1cs import R1CS, Terms, check
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, equal, ints_to_limbs, mul
from zkmargin.field.fast.word import Modulus


@kernel
def _row(
    out: np.ndarray,
    ptr: np.ndarray,
    cols: np.ndarray,
    coeffs: np.ndarray,
    i: int,
    w: np.ndarray,
    m: Modulus,
    t: np.ndarray,
    prod: np.ndarray,
) -> None:
    """``out = <side i, w>`` (plain, from Montgomery coefficients and a plain witness)."""
    for j in range(out.shape[0]):
        out[j] = 0
    for k in range(ptr[i], ptr[i + 1]):
        mul(prod, coeffs[k], w[cols[k]], m, t)
        add(out, out, prod, m)


@kernel
def _first_failure(
    a_ptr: np.ndarray,
    a_cols: np.ndarray,
    a_coeffs: np.ndarray,
    b_ptr: np.ndarray,
    b_cols: np.ndarray,
    b_coeffs: np.ndarray,
    c_ptr: np.ndarray,
    c_cols: np.ndarray,
    c_coeffs: np.ndarray,
    w: np.ndarray,
    plain_one: np.ndarray,
    m: Modulus,
) -> int:
    """Index of the first constraint with ``<a,w>·<b,w> != <c,w>``, or -1."""
    n = w.shape[1]
    t = np.zeros(n + 2, dtype=np.uint64)
    prod = np.zeros(n, dtype=np.uint64)
    a = np.zeros(n, dtype=np.uint64)
    b = np.zeros(n, dtype=np.uint64)
    c = np.zeros(n, dtype=np.uint64)
    for i in range(a_ptr.shape[0] - 1):
        _row(a, a_ptr, a_cols, a_coeffs, i, w, m, t, prod)
        _row(b, b_ptr, b_cols, b_coeffs, i, w, m, t, prod)
        _row(c, c_ptr, c_cols, c_coeffs, i, w, m, t, prod)
        mul(a, a, b, m, t)  # a·b·R^-1
        mul(c, c, plain_one, m, t)  # c·R^-1
        if not equal(a, c):
            return i
    return -1


@dataclass(frozen=True)
class _Side:
    ptr: np.ndarray  # (constraints + 1,) int64
    cols: np.ndarray  # (nnz,) int64
    coeffs: np.ndarray  # (nnz, N) Montgomery limbs

    @staticmethod
    def of(rows: Sequence[Terms], f: Field64) -> _Side:
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(r) for r in rows])
        cols = np.fromiter((w for r in rows for w in r), dtype=np.int64, count=int(ptr[-1]))
        coeffs = f.to_mont([c for r in rows for c in r.values()]).reshape(-1, f.n_limbs)
        return _Side(ptr, cols, coeffs)


@dataclass(frozen=True)
class FastCheck:
    """:func:`~zkmargin.dsl.r1cs.check` for one constraint system, compiled to arrays."""

    system: R1CS
    field: Field64
    sides: tuple[_Side, _Side, _Side]

    @staticmethod
    def of(system: R1CS) -> FastCheck:
        """Lay out ``system``'s constraints (once; reuse the result for every witness)."""
        f = Field64.of(system.prime)
        cons = system.constraints
        sides = tuple(_Side.of([getattr(c, s) for c in cons], f) for s in "abc")
        return FastCheck(system, f, sides)  # type: ignore[arg-type]

    def __call__(self, witness: Sequence[int]) -> None:
        """Return if ``witness`` satisfies the system; else raise as ``check`` does."""
        failing = self.first_failure(witness)
        if failing is not None:
            check(self.system, witness)  # raises UnsatisfiedConstraint naming constraint #failing
            raise RuntimeError(  # a bug: the kernel and the reference disagree
                f"constraint #{failing} fails in the kernel but not in the reference check"
            )

    def first_failure(self, witness: Sequence[int]) -> int | None:
        """The index of the first constraint ``witness`` fails, found by the kernel alone
        (``None``: all hold); a witness of the wrong shape raises as ``check`` does."""
        p = self.system.prime
        if (
            len(witness) != self.system.n_wires
            or witness[0] != 1
            or min(witness) < 0
            or max(witness) >= p
        ):
            check(self.system, witness)  # raises the shape error that names the problem
        w = ints_to_limbs(witness, self.field.n_limbs)
        plain_one = ints_to_limbs([1], self.field.n_limbs)[0]
        a, b, c = self.sides
        failing = _first_failure(
            a.ptr,
            a.cols,
            a.coeffs,
            b.ptr,
            b.cols,
            b.coeffs,
            c.ptr,
            c.cols,
            c.coeffs,
            w,
            plain_one,
            self.field.m,
        )
        return None if failing < 0 else int(failing)
