"""The circuit DSL: declare a circuit, compile it to R1CS, solve and check witnesses.

>>> from zkmargin.dsl import Circuit, Public, Secret, compile_circuit, check
>>> class Cube(Circuit):
...     def __init__(self):
...         self.y = Public()
...         self.x = Secret()
...     def define(self, api):
...         api.assert_equal(self.x * self.x * self.x, self.y, name="cube")
>>> c = compile_circuit(Cube())
>>> w = c.solve({"x": 3, "y": 27})
>>> check(c.r1cs, w)
>>> c.r1cs.n_constraints
3

Gadgets (range checks, comparators, fixed point, Poseidon, Merkle paths) live in
:mod:`zkmargin.dsl.gadgets`.
"""

from zkmargin.dsl.builder import API
from zkmargin.dsl.circuit import (
    Circuit,
    CompiledCircuit,
    Public,
    Secret,
    SolveError,
    StatRow,
    compile_circuit,
)
from zkmargin.dsl.lc import LC
from zkmargin.dsl.r1cs import (
    R1CS,
    Constraint,
    UnsatisfiedConstraint,
    WitnessShapeError,
    check,
)

__all__ = [
    "API",
    "LC",
    "R1CS",
    "Circuit",
    "CompiledCircuit",
    "Constraint",
    "Public",
    "Secret",
    "SolveError",
    "StatRow",
    "UnsatisfiedConstraint",
    "WitnessShapeError",
    "check",
    "compile_circuit",
]
