"""A harness for testing a gadget on its own: wrap one call in a circuit, solve, forge, check.

>>> from zkmargin.dsl.gadgets import less_than
>>> h = compile_gadget(lambda api, a, b: less_than(api, a, b, 8), a=(), b=())
>>> w = h.solve(a=3, b=5)
>>> h.value(h.result, w), h.failure(w)
(1, None)
>>> bit = h.wire("less_than/diff/bits[8]")          # the sign bit decides the answer
>>> h.failure(h.solve(a=3, b=5, forge={bit: 1}))   # flipping it breaks the recomposition
'less_than/diff/recompose'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zkmargin.dsl import (
    API,
    LC,
    Circuit,
    CompiledCircuit,
    Secret,
    UnsatisfiedConstraint,
    check,
    compile_circuit,
)
from zkmargin.dsl.gadgets.bounded import Bounded
from zkmargin.field import BN254_FR, PrimeField


class _GadgetCircuit(Circuit):
    """Secret inputs named after ``shapes``; ``define`` calls ``build`` and keeps its result."""

    def __init__(self, build: Callable[..., Any], shapes: Mapping[str, tuple[int, ...]]) -> None:
        for name, shape in shapes.items():
            setattr(self, name, Secret(*shape))
        self._build = build
        self._names = tuple(shapes)
        self._result: list[Any] = []  # shared with the compiler's copy of this object

    def define(self, api: API) -> None:
        self._result.append(self._build(api, **{n: getattr(self, n) for n in self._names}))


@dataclass
class GadgetHarness:
    """A compiled one-gadget circuit; ``n_constraints`` is exactly the gadget's cost."""

    compiled: CompiledCircuit
    result: Any
    """What the gadget returned (LC, Bounded, nested lists of them, or None)."""

    @property
    def n_constraints(self) -> int:
        return self.compiled.r1cs.n_constraints

    def solve(self, forge: Mapping[int, int] | None = None, **inputs: Any) -> list[int]:
        """The witness for these input values, with ``forge`` overriding computed wires."""
        return self.compiled.solve(inputs, forge=forge)

    def failure(self, witness: list[int]) -> str | None:
        """The name of the first constraint ``witness`` violates, or None if it satisfies all."""
        try:
            check(self.compiled.r1cs, witness)
        except UnsatisfiedConstraint as err:
            return err.name
        return None

    def value(self, result: Any, witness: list[int]) -> Any:
        """Evaluate a result: LCs as field ints, Bounded values as integers, lists element-wise."""
        p = self.compiled.r1cs.prime
        if isinstance(result, Bounded):
            return result.integer(self.value(result.lc, witness))
        if isinstance(result, LC):
            return sum(c * witness[w] for w, c in result.terms.items()) % p
        return [self.value(r, witness) for r in result]

    def wire(self, name: str) -> int:
        """The index of the wire with exactly this name (e.g. ``range64/bits[3]``)."""
        hits = [i for i, n in enumerate(self.compiled.r1cs.wire_names) if n == name]
        if len(hits) != 1:
            raise KeyError(f"{len(hits)} wires named {name!r}")
        return hits[0]

    def constraint_names(self) -> list[str]:
        return [c.name for c in self.compiled.r1cs.constraints]


def compile_gadget(
    build: Callable[..., Any], field: PrimeField = BN254_FR, **shapes: tuple[int, ...]
) -> GadgetHarness:
    """Compile ``build(api, **inputs)`` with one secret input per keyword (value = its shape).

    ``compile_gadget(lambda api, x: range_check(api, x, 8), x=())`` makes a scalar input ``x``;
    ``xs=(4,)`` a list of four.
    """
    circuit = _GadgetCircuit(build, shapes)
    compiled = compile_circuit(circuit, field)
    return GadgetHarness(compiled, circuit._result[0])


def edge_values(n: int, p: int, signed: bool = False) -> list[int]:
    """Field values at and just past both edges of the n-bit window, 0, 1, p − 1 and p/2.

    >>> edge_values(4, 97)
    [0, 1, 14, 15, 16, 17, 48, 49, 96]
    """
    lo, hi = (-(1 << (n - 1)), (1 << (n - 1)) - 1) if signed else (0, (1 << n) - 1)
    around = {lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, hi + 2, 0, 1, -1, p // 2, p // 2 + 1}
    return sorted({v % p for v in around})
