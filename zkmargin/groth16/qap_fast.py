"""The QAP side of the prover on numba kernels: :mod:`zkmargin.groth16.qap` on arrays.

Same values as the reference, computed on 64-bit Montgomery limbs (``N = 4`` for both scalar
fields): the row evaluations ``A·w``, ``B·w`` run over the zkey's coefficient records (whose
stored ``v·R² mod r`` times a *plain* witness value is ``v·w`` in Montgomery form, so the
witness is never converted), ``C = A∘B``, then the three polynomials go to the odd coset in one
batched transform (:meth:`FastDomain.to_odd_coset_array`) and ``A·B − C`` comes out in plain
form, ready to be the H MSM's scalars.

>>> from zkmargin.field import BN254_FR
>>> from zkmargin.field.fast.mont64 import Field64, ints_to_limbs, limbs_to_ints
>>> from zkmargin.groth16.qap import quotient_values, row_evaluations
>>> fr = Field64.of(BN254_FR.p)
>>> r2 = fr.r * fr.r % fr.p
>>> coeffs = [(0, 0, 1, 3), (1, 0, 0, 1), (0, 1, 1, 2), (1, 1, 1, 1)]
>>> cols = (np.array([c[i] for c in coeffs], np.uint32) for i in range(3))
>>> values = ints_to_limbs([c[3] * r2 % fr.p for c in coeffs], 4)
>>> w = ints_to_limbs([1, 5], 4)
>>> h = quotient_limbs(BN254_FR, 2, *cols, values, w)
>>> a, b = row_evaluations(coeffs, [1, 5], 2, BN254_FR.p)
>>> limbs_to_ints(h, 4) == quotient_values(BN254_FR, a, b)
True
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, is_zero, mul, sub
from zkmargin.field.fast.word import Modulus
from zkmargin.field.fast_ntt import fast_domain
from zkmargin.field.prime import PrimeField


@kernel
def row_sums(
    out: np.ndarray,
    matrix: np.ndarray,
    constraint: np.ndarray,
    signal: np.ndarray,
    value: np.ndarray,
    witness: np.ndarray,
    m: Modulus,
) -> None:
    """``out[matrix, constraint] += value · witness[signal]`` over all records (zero wires
    skipped): ``out`` is ``(2, n, N)`` zeroed, ``value`` stored ``v·R²``, ``witness`` plain."""
    t = np.empty(len(m) + 1, dtype=np.uint64)
    prod = np.empty(len(m) - 1, dtype=np.uint64)
    for k in range(matrix.shape[0]):
        w = witness[signal[k]]
        if is_zero(w):
            continue
        mul(prod, value[k], w, m, t)
        row = out[matrix[k], constraint[k]]
        add(row, row, prod, m)


@kernel
def hadamard(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out[i] = a[i] · b[i]`` (Montgomery)."""
    t = np.empty(len(m) + 1, dtype=np.uint64)
    for i in range(out.shape[0]):
        mul(out[i], a[i], b[i], m, t)


@kernel
def ab_minus_c_plain(out: np.ndarray, abc: np.ndarray, m: Modulus) -> None:
    """``out[i] = abc[0,i]·abc[1,i] − abc[2,i]`` converted out of Montgomery form."""
    n = len(m) - 1
    t = np.empty(n + 2, dtype=np.uint64)
    one = np.zeros(n, dtype=np.uint64)
    one[0] = 1
    for i in range(out.shape[0]):
        mul(out[i], abc[0, i], abc[1, i], m, t)
        sub(out[i], out[i], abc[2, i], m)
        mul(out[i], out[i], one, m, t)  # x·1·R^-1: Montgomery -> plain


def row_evaluations_mont(
    field: PrimeField,
    n: int,
    matrix: np.ndarray,
    constraint: np.ndarray,
    signal: np.ndarray,
    value: np.ndarray,
    witness: np.ndarray,
) -> np.ndarray:
    """``(3, n, N)`` Montgomery array: ``A·w``, ``B·w`` and ``C = A∘B`` per domain row."""
    f = Field64.of(field.p)
    abc = np.zeros((3, n, f.n_limbs), dtype=np.uint64)
    row_sums(abc[:2], matrix, constraint, signal, value, witness, f.m)
    hadamard(abc[2], abc[0], abc[1], f.m)
    return abc


def quotient_from_rows(field: PrimeField, abc: np.ndarray) -> np.ndarray:
    """``A·B − C`` on the odd coset, plain ``(n, N)`` limbs, from :func:`row_evaluations_mont`
    (transformed in place)."""
    f = Field64.of(field.p)
    fast_domain(field, abc.shape[1]).to_odd_coset_array(abc)
    out = np.empty(abc.shape[1:], dtype=np.uint64)
    ab_minus_c_plain(out, abc, f.m)
    return out


def quotient_limbs(
    field: PrimeField,
    n: int,
    matrix: np.ndarray,
    constraint: np.ndarray,
    signal: np.ndarray,
    value: np.ndarray,
    witness: np.ndarray,
) -> np.ndarray:
    """The H MSM's scalars (plain ``(n, N)`` limbs) from coefficient columns and a plain
    witness (``(n_vars, N)`` limbs): :func:`~zkmargin.groth16.qap.quotient_values` of
    :func:`~zkmargin.groth16.qap.row_evaluations`, on arrays."""
    abc = row_evaluations_mont(field, n, matrix, constraint, signal, value, witness)
    return quotient_from_rows(field, abc)
