"""Linear combinations of wires: the values a circuit's ``define`` computes with.

Adding LCs and scaling them by constants is free (no constraint, no wire); multiplying two
non-constant LCs asks the builder for a product wire and one constraint.
"""

from __future__ import annotations

from typing import Protocol, Union

Operand = Union["LC", int]


class Builder(Protocol):
    """What an LC needs from the builder that made it (:class:`zkmargin.dsl.builder.API`):
    typed here so this module does not import the builder, which imports it."""

    p: int

    def constant(self, value: int) -> LC: ...

    def mul(self, a: Operand, b: Operand, name: str = "") -> LC: ...


class LC:
    """An immutable linear combination ``Σ coeff·wire`` over the builder's field.

    Wire 0 is the constant one, so ``LC`` of ``{0: 5}`` is the constant 5.

    >>> from zkmargin.dsl import Circuit, Secret, compile_circuit
    >>> class Double(Circuit):
    ...     def __init__(self):
    ...         self.x = Secret()
    ...     def define(self, api):
    ...         y = 2 * self.x + 1          # free: no constraint
    ...         api.assert_equal(y, 7, name="y_is_7")
    >>> compile_circuit(Double()).r1cs.n_constraints
    1
    """

    __slots__ = ("_api", "terms")

    def __init__(self, api: Builder, terms: dict[int, int]) -> None:
        self._api = api
        self.terms = terms

    # -- inspection -------------------------------------------------------------------------
    @property
    def is_constant(self) -> bool:
        return all(w == 0 for w in self.terms)

    @property
    def constant_value(self) -> int:
        """The value of a constant LC (ValueError if it depends on a wire)."""
        if not self.is_constant:
            raise ValueError("linear combination is not a constant")
        return self.terms.get(0, 0)

    @property
    def wire(self) -> int:
        """The wire index of an LC that is exactly one wire with coefficient 1."""
        if len(self.terms) == 1:
            ((w, c),) = self.terms.items()
            if c == 1 and w != 0:
                return w
        raise ValueError(f"linear combination {self!r} is not a single wire")

    def __repr__(self) -> str:
        parts = [f"{c}*w{w}" if w else str(c) for w, c in sorted(self.terms.items())]
        return "LC(" + (" + ".join(parts) or "0") + ")"

    # -- arithmetic ---------------------------------------------------------------------------
    def _coerce(self, other: Operand) -> LC:
        if isinstance(other, LC):
            return other
        if isinstance(other, int):
            return self._api.constant(other)
        return NotImplemented

    def _combine(self, other: LC, sign: int) -> LC:
        p = self._api.p
        terms = dict(self.terms)
        for w, c in other.terms.items():
            v = (terms.get(w, 0) + sign * c) % p
            if v:
                terms[w] = v
            else:
                terms.pop(w, None)
        return LC(self._api, terms)

    def scale(self, k: int) -> LC:
        """``k · self`` (free)."""
        p = self._api.p
        k %= p
        if k == 0:
            return LC(self._api, {})
        return LC(self._api, {w: c * k % p for w, c in self.terms.items()})

    def __add__(self, other: Operand) -> LC:
        other = self._coerce(other)
        return NotImplemented if other is NotImplemented else self._combine(other, 1)

    __radd__ = __add__

    def __sub__(self, other: Operand) -> LC:
        other = self._coerce(other)
        return NotImplemented if other is NotImplemented else self._combine(other, -1)

    def __rsub__(self, other: Operand) -> LC:
        other = self._coerce(other)
        return NotImplemented if other is NotImplemented else other._combine(self, -1)

    def __neg__(self) -> LC:
        return self.scale(-1)

    def __mul__(self, other: Operand) -> LC:
        if isinstance(other, int):
            return self.scale(other)
        if isinstance(other, LC):
            return self._api.mul(self, other)
        return NotImplemented

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        # ``if lc:`` would branch on a symbolic value: almost always a bug in a circuit.
        raise TypeError("a linear combination has no truth value inside a circuit")
