"""Roots of unity exactly as ffjavascript (and so snarkjs) derives them.

ffjavascript takes ``nqr`` = the smallest integer ``>= 2`` that is a quadratic non-residue
(Euler's criterion), writes ``p - 1 = 2^s · t`` with ``t`` odd, sets ``w[s] = nqr^t`` (a
primitive ``2^s``-th root of unity) and ``w[i] = w[i+1]^2``.  Its coset shift for a domain of
the full size ``2^s`` is ``nqr^2``.  The prover's H polynomial must use the same roots as
snarkjs, hence this module.

>>> from zkmargin.field import BN254_FR
>>> nqr(BN254_FR), two_adicity(BN254_FR)
(5, 28)
>>> pow(root_of_unity(BN254_FR, 3), 8, BN254_FR.p)
1
"""

from __future__ import annotations

from functools import cache

from zkmargin.field.prime import PrimeField


@cache
def nqr(field: PrimeField) -> int:
    """The smallest quadratic non-residue ``>= 2`` (5 for BN254 Fr, 5 for BLS12-381 Fr)."""
    p = field.p
    candidate = 2
    while pow(candidate, (p - 1) // 2, p) != p - 1:
        candidate += 1
    return candidate


@cache
def two_adicity(field: PrimeField) -> int:
    """``s`` with ``p - 1 = 2^s · t``, ``t`` odd: the largest power-of-two domain is ``2^s``."""
    t = field.p - 1
    s = 0
    while t % 2 == 0:
        t //= 2
        s += 1
    return s


@cache
def roots_of_unity(field: PrimeField) -> tuple[int, ...]:
    """ffjavascript's ``Fr.w``: entry ``i`` is a primitive ``2^i``-th root of unity."""
    p = field.p
    s = two_adicity(field)
    w = [0] * (s + 1)
    w[s] = pow(nqr(field), (p - 1) >> s, p)
    for i in range(s - 1, -1, -1):
        w[i] = w[i + 1] * w[i + 1] % p
    if w[0] != 1 or (s > 0 and w[1] != p - 1):
        raise ArithmeticError("root of unity derivation failed")
    return tuple(w)


def root_of_unity(field: PrimeField, log_n: int) -> int:
    """ffjavascript's primitive ``2^log_n``-th root of unity ``Fr.w[log_n]``."""
    s = two_adicity(field)
    if not 0 <= log_n <= s:
        raise ValueError(f"{field.name} Fr has roots of unity of order up to 2^{s}, not 2^{log_n}")
    return roots_of_unity(field)[log_n]


def coset_shift(field: PrimeField, log_n: int) -> int:
    """snarkjs's shift for the odd coset of a ``2^log_n`` domain.

    ``w[log_n + 1]`` (a primitive ``2^(log_n+1)``-th root, so the coset is the "odd" half of the
    doubled domain), or ``nqr^2`` when the domain already has the maximal size ``2^s``.
    """
    s = two_adicity(field)
    if log_n < s:
        return root_of_unity(field, log_n + 1)
    return nqr(field) ** 2 % field.p
