"""Values with a proven integer interval: how gadgets avoid both wrap-around and re-checking.

A :class:`Bounded` is a linear combination carrying an interval ``[lo, hi]`` of integers such that,
in every witness satisfying the constraints made so far, the LC's field value is ``x mod p`` for
exactly one integer ``x`` in ``[lo, hi]`` (the interval is narrower than the field). Only
constraints can earn that interval: range checks make ``Bounded`` values, gadgets whose output
range follows from their constraints return them, and arithmetic on ``Bounded`` values keeps the
interval exact (sums and constant multiples for free, products with one constraint). Comparators
and fixed-point gadgets take ``Bounded`` operands as they are and range-check raw LCs first, so
a value is never compared while unchecked (circomlib's ``LessThan`` trap) and never re-checked.
Mixing a ``Bounded`` with a raw LC yields a raw LC: the interval is dropped, never guessed.

>>> from zkmargin.dsl import Circuit, Secret, compile_circuit
>>> from zkmargin.dsl.gadgets import range_check
>>> class Sum(Circuit):
...     def __init__(self):
...         self.a = Secret()
...         self.b = Secret()
...     def define(self, api):
...         total = range_check(api, self.a, 8) + 3 * range_check(api, self.b, 8)
...         assert (total.lo, total.hi) == (0, 4 * 255)
>>> compile_circuit(Sum()).r1cs.n_constraints   # two 8-bit range checks, the sum is free
18
"""

from __future__ import annotations

from typing import overload

from zkmargin.dsl.lc import LC, Builder


class Bounded(LC):
    """An LC holding an integer in ``[lo, hi]``, proven by constraints (see the module docstring).

    A ``Bounded`` is an ``LC``: pass it anywhere an LC goes (``api.assert_equal``, hashes, ...).
    Arithmetic with ints and other ``Bounded`` values keeps the interval exact; mixing in a raw
    LC gives a raw LC, which gadgets will range-check again. Made by gadgets, not by hand:
    constructing one asserts a fact the constraints must already prove. ``hi − lo < p`` is
    enforced, so the integer a field value stands for is unique.
    """

    __slots__ = ("hi", "lo")

    def __init__(self, api: Builder, lc: LC, lo: int, hi: int) -> None:
        super().__init__(api, dict(lc.terms))
        if lo > hi:
            raise ValueError(f"empty interval [{lo}, {hi}]")
        if hi - lo >= api.p:
            raise OverflowError(f"interval [{lo}, {hi}] is as wide as the field: values could wrap")
        self.lo = lo
        self.hi = hi

    @classmethod
    def constant(cls, api: Builder, value: int) -> Bounded:
        """The integer constant ``value`` (free)."""
        return cls(api, api.constant(value), value, value)

    def __repr__(self) -> str:
        return f"Bounded({LC.__repr__(self)}, [{self.lo}, {self.hi}])"

    @property
    def lc(self) -> LC:
        """The same linear combination without the interval."""
        return LC(self._api, self.terms)

    @property
    def is_boolean(self) -> bool:
        return self.lo >= 0 and self.hi <= 1

    @property
    def is_exact(self) -> bool:
        """The interval is one integer (the LC may still mention wires whose value is proven)."""
        return self.lo == self.hi

    def integer(self, field_value: int) -> int:
        """The integer in ``[lo, hi]``'s window that ``field_value`` (in ``[0, p)``) stands for."""
        return self.lo + (field_value - self.lo) % self._api.p

    # -- arithmetic: intervals follow exactly; a raw LC operand gives a raw LC -------------------
    def _bounded(self, other: object) -> Bounded | None:
        if isinstance(other, Bounded):
            return other
        if isinstance(other, int) and not isinstance(other, bool):
            return Bounded.constant(self._api, other)
        return None

    @overload
    def __add__(self, other: Bounded | int) -> Bounded: ...

    @overload
    def __add__(self, other: LC) -> LC: ...

    def __add__(self, other: LC | int) -> LC:
        o = self._bounded(other)
        if o is None:
            return LC.__add__(self.lc, other)
        return Bounded(self._api, self.lc + o.lc, self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self) -> Bounded:
        return Bounded(self._api, -self.lc, -self.hi, -self.lo)

    @overload
    def __sub__(self, other: Bounded | int) -> Bounded: ...

    @overload
    def __sub__(self, other: LC) -> LC: ...

    def __sub__(self, other: LC | int) -> LC:
        o = self._bounded(other)
        return LC.__sub__(self.lc, other) if o is None else self + (-o)

    @overload
    def __rsub__(self, other: Bounded | int) -> Bounded: ...

    @overload
    def __rsub__(self, other: LC) -> LC: ...

    def __rsub__(self, other: LC | int) -> LC:
        o = self._bounded(other)
        return LC.__rsub__(self.lc, other) if o is None else o + (-self)

    @overload
    def __mul__(self, other: Bounded | int) -> Bounded: ...

    @overload
    def __mul__(self, other: LC) -> LC: ...

    def __mul__(self, other: LC | int) -> LC:
        """Free for an int; one constraint (``api.mul``) for another LC."""
        o = self._bounded(other)
        if o is None:
            return LC.__mul__(self.lc, other)
        corners = [x * y for x in (self.lo, self.hi) for y in (o.lo, o.hi)]
        return Bounded(self._api, self.lc * o.lc, min(corners), max(corners))

    __rmul__ = __mul__


def unsigned_window(n: int) -> tuple[int, int]:
    """``(0, 2^n - 1)``."""
    return 0, (1 << n) - 1


def signed_window(n: int) -> tuple[int, int]:
    """``(-2^(n-1), 2^(n-1) - 1)``."""
    return -(1 << (n - 1)), (1 << (n - 1)) - 1


Value = Bounded | LC | int
"""What gadgets accept: a proven ``Bounded``, a raw LC (range-checked on entry) or an int."""
