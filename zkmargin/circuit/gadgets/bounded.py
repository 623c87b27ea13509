"""Values with a proven integer interval: how gadgets avoid both wrap-around and re-checking.

A :class:`Bounded` pairs a linear combination with an interval ``[lo, hi]`` of integers such that,
in every witness satisfying the constraints made so far, the LC's field value is ``x mod p`` for
exactly one integer ``x`` in ``[lo, hi]`` (the interval is narrower than the field). Only
constraints can earn that interval: range checks make ``Bounded`` values, gadgets whose output
range follows from their constraints return them, and arithmetic on ``Bounded`` values keeps the
interval exact (sums and constant multiples for free, products with one constraint). Comparators
and fixed-point gadgets take ``Bounded`` operands as they are and range-check raw LCs first, so
a value is never compared while unchecked (circomlib's ``LessThan`` trap) and never re-checked.

>>> from zkmargin.circuit import Circuit, Secret, compile_circuit
>>> from zkmargin.circuit.gadgets import range_check
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

from dataclasses import dataclass, field

from zkmargin.circuit import API, LC


@dataclass(frozen=True)
class Bounded:
    """``lc`` holds an integer in ``[lo, hi]`` (proven by constraints); see the module docstring.

    Made by gadgets, not by hand: constructing one asserts a fact the constraints must already
    prove. ``hi - lo < p`` is enforced, so the integer a field value stands for is unique.
    """

    api: API = field(repr=False, compare=False)
    lc: LC
    lo: int
    hi: int

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")
        if self.hi - self.lo >= self.api.p:
            raise OverflowError(
                f"interval [{self.lo}, {self.hi}] is as wide as the field: values could wrap"
            )

    @classmethod
    def constant(cls, api: API, value: int) -> Bounded:
        """The integer constant ``value`` (free)."""
        return cls(api, api.constant(value), value, value)

    @property
    def is_boolean(self) -> bool:
        return self.lo >= 0 and self.hi <= 1

    @property
    def is_constant(self) -> bool:
        return self.lo == self.hi

    def integer(self, field_value: int) -> int:
        """The integer in ``[lo, hi]``'s window that ``field_value`` (in ``[0, p)``) stands for."""
        return self.lo + (field_value - self.lo) % self.api.p

    # -- arithmetic: intervals follow exactly --------------------------------------------------
    def _other(self, other: Bounded | int) -> Bounded:
        if isinstance(other, Bounded):
            return other
        if isinstance(other, int) and not isinstance(other, bool):
            return Bounded.constant(self.api, other)
        raise TypeError(
            f"a Bounded combines with Bounded values and ints, not {type(other).__name__}; "
            "range-check the other operand first, or use .lc to leave interval tracking"
        )

    def __add__(self, other: Bounded | int) -> Bounded:
        o = self._other(other)
        return Bounded(self.api, self.lc + o.lc, self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self) -> Bounded:
        return Bounded(self.api, -self.lc, -self.hi, -self.lo)

    def __sub__(self, other: Bounded | int) -> Bounded:
        return self + (-self._other(other))

    def __rsub__(self, other: Bounded | int) -> Bounded:
        return self._other(other) + (-self)

    def __mul__(self, other: Bounded | int) -> Bounded:
        """Free for an int; one constraint (``api.mul``) for another ``Bounded``."""
        o = self._other(other)
        corners = [x * y for x in (self.lo, self.hi) for y in (o.lo, o.hi)]
        return Bounded(self.api, self.lc * o.lc, min(corners), max(corners))

    __rmul__ = __mul__


def unsigned_window(n: int) -> tuple[int, int]:
    """``(0, 2^n - 1)``."""
    return 0, (1 << n) - 1


def signed_window(n: int) -> tuple[int, int]:
    """``(-2^(n-1), 2^(n-1) - 1)``."""
    return -(1 << (n - 1)), (1 << (n - 1)) - 1


Value = Bounded | LC | int
"""What gadgets accept: a proven ``Bounded``, a raw LC (range-checked on entry) or an int."""
