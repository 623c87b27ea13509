"""Fq2 = Fq[u]/(u^2 + 1) with lazy reduction, so the Jacobian formulas run unchanged on G2.

Elements behave like Python ints under ``+ - *`` (results are left unreduced) and ``% q``
reduces both coefficients; that lets :mod:`zkmargin.curve.jacobian` write each formula once,
with ``% q`` where a plain int would need it, and use it for G1 (ints) and G2 (``Fq2``).

>>> q = 7
>>> a = Fq2(3, 4)
>>> (a * a) % q
Fq2(0, 3)
"""

from __future__ import annotations


class Fq2:
    """An element ``c0 + c1·u`` with ``u^2 = -1``; coefficients are ints, possibly unreduced."""

    __slots__ = ("c0", "c1")

    def __init__(self, c0: int, c1: int) -> None:
        self.c0 = c0
        self.c1 = c1

    # Anything that is not an Fq2 is a base-field scalar (int, or gmpy2's mpz in the kernels).
    def __add__(self, other: Fq2 | int) -> Fq2:
        if isinstance(other, Fq2):
            return Fq2(self.c0 + other.c0, self.c1 + other.c1)
        return Fq2(self.c0 + other, self.c1)

    __radd__ = __add__

    def __sub__(self, other: Fq2 | int) -> Fq2:
        if isinstance(other, Fq2):
            return Fq2(self.c0 - other.c0, self.c1 - other.c1)
        return Fq2(self.c0 - other, self.c1)

    def __rsub__(self, other: int) -> Fq2:
        return Fq2(other - self.c0, -self.c1)

    def __neg__(self) -> Fq2:
        return Fq2(-self.c0, -self.c1)

    def __mul__(self, other: Fq2 | int) -> Fq2:
        if not isinstance(other, Fq2):
            return Fq2(self.c0 * other, self.c1 * other)
        a0, a1, b0, b1 = self.c0, self.c1, other.c0, other.c1
        t0 = a0 * b0
        t1 = a1 * b1
        # Karatsuba: three multiplications instead of four.
        return Fq2(t0 - t1, (a0 + a1) * (b0 + b1) - t0 - t1)

    __rmul__ = __mul__

    def __mod__(self, q: int) -> Fq2:
        return Fq2(self.c0 % q, self.c1 % q)

    def __bool__(self) -> bool:
        # Only meaningful on reduced elements, as for ints compared to 0 after `% q`.
        return bool(self.c0) or bool(self.c1)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Fq2):
            return self.c0 == other.c0 and self.c1 == other.c1
        if isinstance(other, int):
            return self.c0 == other and self.c1 == 0
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.c0, self.c1))

    def __repr__(self) -> str:
        return f"Fq2({self.c0}, {self.c1})"

    def inverse(self, q: int) -> Fq2:
        """The inverse modulo ``q``: ``conj(a) / norm(a)`` with ``norm = c0^2 + c1^2``."""
        c0, c1 = self.c0 % q, self.c1 % q
        norm = (c0 * c0 + c1 * c1) % q
        if norm == 0:
            raise ZeroDivisionError("0 has no inverse in Fq2")
        inv = pow(norm, -1, q)
        return Fq2(c0 * inv % q, -c1 * inv % q)

    def to_tuple(self, q: int) -> tuple[int, int]:
        """The reduced coefficients ``(c0, c1)``."""
        return (int(self.c0 % q), int(self.c1 % q))
