"""The QAP side of the prover, exactly as snarkjs computes it.

From the zkey's sparse coefficients (matrix A or B, constraint row, signal, value) the prover
forms, per row of the evaluation domain of size n, ``a_i = <A_i, w>`` and ``b_i = <B_i, w>``,
and sets ``c_i = a_i * b_i`` (rows past the constraints, including snarkjs's extra rows binding
the public inputs, have ``c_i = a_i * b_i`` too). Interpolating each on the n-th roots of unity
and evaluating on the odd coset ``w_2n * <w_n>`` gives ``A(x)B(x) - C(x)`` at the points
``w_2n^(2j+1)``; the zkey's H points are the Lagrange basis of the 2n-th roots at those odd
indices (divided by delta), so one MSM of these values with them yields ``h(tau)Z(tau)/delta``.

>>> from zkmargin.field import BN254_FR
>>> a, b = row_evaluations([(0, 0, 1, 3), (1, 0, 0, 1)], [1, 5], 2, BN254_FR.p)
>>> a, b
([15, 0], [1, 0])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zkmargin.field import PrimeField
from zkmargin.field.ntt import Domain


def row_evaluations(
    coeffs: Iterable[tuple[int, int, int, int]], witness: Sequence[int], n: int, p: int
) -> tuple[list[int], list[int]]:
    """``(A·w, B·w)`` per domain row, from ``(matrix, row, signal, value)`` coefficients."""
    rows = ([0] * n, [0] * n)
    for matrix, row, signal, value in coeffs:
        w = witness[signal]
        if w:
            rows[matrix][row] += value * w
    return [x % p for x in rows[0]], [x % p for x in rows[1]]


def quotient_values(field: PrimeField, a: Sequence[int], b: Sequence[int]) -> list[int]:
    """``A·B − C`` on the odd coset, with ``C = a∘b`` on the domain (snarkjs's joinABC)."""
    domain = Domain(field, len(a))
    p = field.p
    c = [x * y % p for x, y in zip(a, b, strict=True)]
    a_odd, b_odd, c_odd = (domain.to_odd_coset(x) for x in (a, b, c))
    return [(x * y - z) % p for x, y, z in zip(a_odd, b_odd, c_odd, strict=True)]
