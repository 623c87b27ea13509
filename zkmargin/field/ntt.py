"""Number-theoretic transforms over power-of-two domains, with snarkjs's roots and coset.

A :class:`Domain` of size ``n = 2^k`` is ``{w^i}`` for ffjavascript's root ``w = Fr.w[k]``
(:mod:`zkmargin.field.roots`).  ``ntt`` maps coefficients to evaluations at ``w^0..w^(n-1)``;
``inverse=True`` maps back.  The *odd coset* is ``{g·w^i}`` with ``g = w_(2n)`` (a primitive
``2n``-th root): the points of the doubled domain that are not in this one, where the vanishing
polynomial ``x^n - 1`` equals the constant ``g^n - 1 = -2``.  snarkjs evaluates A, B, C there to
compute H, so the Groth16 prover uses :meth:`Domain.to_odd_coset`.

Pure-Python kernel (on gmpy2's ``mpz`` when installed, see :mod:`zkmargin.field.bigint`):
each butterfly stage runs as list comprehensions over slices (contiguous blocks in late
stages, strided columns in early ones), so the interpreter's per-element work stays small.

>>> from zkmargin.field import BN254_FR
>>> d = Domain(BN254_FR, 4)
>>> evals = d.ntt([1, 2, 0, 0])          # p(x) = 1 + 2x at 1, w, w^2, w^3
>>> evals[0], evals[2]                    # p(1) = 3, p(-1) = -1
(3, 21888242871839275222246405745257275088548364400416034343698204186575808495616)
>>> d.ntt(evals, inverse=True)
[1, 2, 0, 0]
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.field.bigint import big
from zkmargin.field.prime import PrimeField
from zkmargin.field.roots import coset_shift, root_of_unity, two_adicity


class Domain:
    """The multiplicative subgroup of ``2^k``-th roots of unity in ``field``.

    >>> from zkmargin.field import BN254_FR
    >>> d = Domain(BN254_FR, 8)
    >>> pow(d.omega, 8, BN254_FR.p), pow(d.shift, 8, BN254_FR.p) == BN254_FR.p - 1
    (1, True)
    """

    def __init__(self, field: PrimeField, size: int) -> None:
        if size < 1 or size & (size - 1):
            raise ValueError(f"domain size must be a power of two, got {size}")
        log_size = size.bit_length() - 1
        if log_size > two_adicity(field):
            raise ValueError(f"{field.name} Fr has no domain of size 2^{log_size}")
        p = field.p
        self.field = field
        self.size = size
        self.log_size = log_size
        self.omega = root_of_unity(field, log_size)
        self.omega_inv = pow(self.omega, -1, p)
        self.size_inv = pow(size, -1, p)
        self.shift = coset_shift(field, log_size)
        self.shift_inv = pow(self.shift, -1, p)
        self._twiddles: dict[bool, list[list[int]]] = {}

    def __repr__(self) -> str:
        return f"Domain({self.field.name}, {self.size})"

    def elements(self) -> list[int]:
        """``[w^0, w^1, ..., w^(n-1)]``."""
        return _powers(self.omega, self.size, self.field.p)

    def ntt(self, values: Sequence[int], inverse: bool = False) -> list[int]:
        """Evaluations at the domain from ``n`` coefficients, or (``inverse``) the reverse."""
        p = big(self.field.p)
        a = [big(v) for v in self._checked(values)]
        _transform(a, self._stage_twiddles(inverse), p)
        if inverse:
            inv = big(self.size_inv)
            return [int(x * inv % p) for x in a]
        return [int(x) for x in a]

    def coset_ntt(self, coeffs: Sequence[int]) -> list[int]:
        """Evaluations ``p(g·w^i)`` on the odd coset from ``n`` coefficients of ``p``."""
        p = self.field.p
        shifts = self._shift_powers(False)
        scaled = [c * s % p for c, s in zip(self._checked(coeffs), shifts, strict=True)]
        return self.ntt(scaled)

    def coset_intt(self, evals: Sequence[int]) -> list[int]:
        """Coefficients of ``p`` from its evaluations ``p(g·w^i)`` on the odd coset."""
        p = self.field.p
        coeffs = self.ntt(evals, inverse=True)
        return [c * s % p for c, s in zip(coeffs, self._shift_powers(True), strict=True)]

    def to_odd_coset(self, evals: Sequence[int]) -> list[int]:
        """Evaluations on the odd coset from evaluations on the domain (snarkjs's A/B/C step)."""
        return self.coset_ntt(self.ntt(evals, inverse=True))

    def vanishing_on_coset(self) -> int:
        """``Z(x) = x^n - 1`` on the odd coset, where it is the constant ``g^n - 1``."""
        p = self.field.p
        return (pow(self.shift, self.size, p) - 1) % p

    # --- internals --------------------------------------------------------------------------
    def _checked(self, values: Sequence[int]) -> list[int]:
        if len(values) != self.size:
            raise ValueError(f"expected {self.size} values for {self!r}, got {len(values)}")
        p = self.field.p
        return [v % p for v in values]

    def _shift_powers(self, inverse: bool) -> list[int]:
        g = self.shift_inv if inverse else self.shift
        return _powers(g, self.size, self.field.p)

    def _stage_twiddles(self, inverse: bool) -> list[list[int]]:
        # Stage with half-size m = 2^j uses the m powers of a primitive 2m-th root.
        if inverse not in self._twiddles:
            root = self.omega_inv if inverse else self.omega
            p = self.field.p
            stages = []
            for j in range(self.log_size):
                m = 1 << j
                powers = _powers(pow(root, self.size // (2 * m), p), m, p)
                stages.append([big(w) for w in powers])
            self._twiddles[inverse] = stages
        return self._twiddles[inverse]


def ntt(field: PrimeField, values: Sequence[int], inverse: bool = False) -> list[int]:
    """:meth:`Domain.ntt` on the domain of size ``len(values)``.

    (Not re-exported by :mod:`zkmargin.field`, where the name would shadow this module.)

    >>> from zkmargin.field import BN254_FR
    >>> ntt(BN254_FR, ntt(BN254_FR, [5, 7]), inverse=True)
    [5, 7]
    """
    return Domain(field, len(values)).ntt(values, inverse)


def _powers(g: int, n: int, p: int) -> list[int]:
    out = [1] * n
    for i in range(1, n):
        out[i] = out[i - 1] * g % p
    return out


def _bit_reverse(a: list[int]) -> None:
    n = len(a)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            a[i], a[j] = a[j], a[i]


def _transform(a: list[int], stages: list[list[int]], p: int) -> None:
    """In-place iterative radix-2 decimation-in-time transform (natural order in and out)."""
    n = len(a)
    _bit_reverse(a)
    for ws in stages:
        m = len(ws)
        step = 2 * m
        if m < n // step:
            # Early stage: few twiddles, many blocks; column j of every block shares ws[j].
            for j, w in enumerate(ws):
                lo = a[j::step]
                hi = [x * w % p for x in a[j + m :: step]]
                a[j::step] = [(u + v) % p for u, v in zip(lo, hi, strict=True)]
                a[j + m :: step] = [(u - v) % p for u, v in zip(lo, hi, strict=True)]
        else:
            for start in range(0, n, step):
                mid = start + m
                lo = a[start:mid]
                hi = [x * w % p for x, w in zip(a[mid : mid + m], ws, strict=True)]
                a[start:mid] = [(u + v) % p for u, v in zip(lo, hi, strict=True)]
                a[mid : mid + m] = [(u - v) % p for u, v in zip(lo, hi, strict=True)]
