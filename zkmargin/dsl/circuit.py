"""Declaring circuits (gnark style) and compiling them into an R1CS plus a witness solver.

A circuit is a class whose constructor declares its inputs as :class:`Public` and
:class:`Secret` fields (sizes are ordinary constructor parameters) and whose ``define(api)``
states the constraints. Compiling runs ``define`` once; solving replays the recorded steps.

>>> class Square(Circuit):
...     def __init__(self, n: int = 3):
...         self.y = Public()
...         self.xs = Secret(n)
...     def define(self, api):
...         total = api.constant(0)
...         for x in self.xs:
...             total = total + x * x
...         api.assert_equal(total, self.y, name="sum_of_squares")
>>> compiled = compile_circuit(Square(3))
>>> witness = compiled.solve({"y": 14, "xs": [1, 2, 3]})
>>> check(compiled.r1cs, witness)
>>> compiled.r1cs.n_constraints, compiled.r1cs.n_pub_in, compiled.r1cs.n_prv_in
(4, 1, 3)
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zkmargin.dsl.builder import API, HintStep, LinStep, MulStep, Step
from zkmargin.dsl.lc import LC
from zkmargin.dsl.r1cs import R1CS, check
from zkmargin.field import BN254_FR, PrimeField

__all__ = ["Circuit", "CompiledCircuit", "InputSpec", "Public", "Secret", "compile_circuit"]


class _Input:
    kind = ""

    def __init__(self, *shape: int) -> None:
        if any(not isinstance(n, int) or n < 0 for n in shape):
            raise ValueError(f"shape must be non-negative ints, got {shape}")
        self.shape = shape

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.shape}"


class Public(_Input):
    """A public input: part of the statement the verifier sees. ``Public(n)`` is a list of n."""

    kind = "public"


class Secret(_Input):
    """A private input: known to the prover only. ``Secret(n, m)`` is an n × m nested list."""

    kind = "secret"


class Circuit:
    """Base class: declare inputs in ``__init__`` and constraints in ``define(api)``."""

    def define(self, api: API) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class InputSpec:
    """Where a declared input lives: its name, kind, shape and wires (nested like the shape)."""

    name: str
    kind: str
    shape: tuple[int, ...]
    wires: Any


class SolveError(ValueError):
    """Inputs that do not fit the circuit, or a hint that cannot compute its outputs."""


@dataclass
class CompiledCircuit:
    """A compiled circuit: its constraint system, input layout and witness solver."""

    r1cs: R1CS
    inputs: tuple[InputSpec, ...]
    steps: tuple[Step, ...]
    constraint_namespaces: tuple[str, ...]
    wire_namespaces: tuple[str, ...]

    @property
    def field(self) -> PrimeField:
        return self.r1cs.field

    def solve(self, inputs: Mapping[str, Any], forge: Mapping[int, int] | None = None) -> list[int]:
        """The full witness (iden3 wire order) for the given input values.

        ``inputs`` maps each declared input's name to an int or a nested list of its shape;
        ints are reduced mod p (so negative numbers are field negatives). ``forge`` replaces the
        value of the given wires right after they are computed, with later steps seeing the
        forged value: a tool for malicious-witness tests.
        """
        p = self.r1cs.prime
        forge = {w: v % p for w, v in (forge or {}).items()}
        w = [0] * self.r1cs.n_wires
        w[0] = 1
        unknown = set(inputs) - {spec.name for spec in self.inputs}
        if unknown:
            raise SolveError(f"unknown input(s): {', '.join(sorted(unknown))}")
        for spec in self.inputs:
            if spec.name not in inputs:
                raise SolveError(f"input '{spec.name}' is missing")
            for wire, value in zip(
                _flatten(spec.wires), _flat_values(inputs[spec.name], spec), strict=True
            ):
                w[wire] = forge.get(wire, value % p)
        for step in self.steps:
            if type(step) is MulStep:
                v = _eval(step.a, w, p) * _eval(step.b, w, p) % p
                w[step.out] = forge.get(step.out, v)
            elif type(step) is LinStep:
                w[step.out] = forge.get(step.out, _eval(step.terms, w, p))
            else:
                assert isinstance(step, HintStep)  # Step's third kind; narrows for the checker
                _run_hint(step, w, p, forge)
        return w

    def public_values(self, witness: Sequence[int]) -> list[int]:
        """The public signals of a witness, in ``public.json`` order."""
        return self.r1cs.public_values(witness)

    def check(self, witness: Sequence[int]) -> None:
        """:func:`zkmargin.dsl.check` on this circuit's constraint system."""
        check(self.r1cs, witness)

    def stats(self, depth: int | None = None, collapse_indices: bool = True) -> list[StatRow]:
        """Constraints and wires per namespace, each row counting everything below it.

        ``depth`` limits how deep namespaces are listed; ``collapse_indices`` merges
        ``account[0]``, ``account[1]``, ... into ``account[*]`` so repeated gadgets add up.
        """
        constraints: Counter[str] = Counter()
        wires: Counter[str] = Counter()
        for ns in self.constraint_namespaces:
            for prefix in _prefixes(ns, depth, collapse_indices):
                constraints[prefix] += 1
        for ns in self.wire_namespaces[1:]:
            for prefix in _prefixes(ns, depth, collapse_indices):
                wires[prefix] += 1
        names = sorted(set(constraints) | set(wires), key=lambda n: (n.split("/"), n))
        return [StatRow(n or "<total>", constraints[n], wires[n]) for n in names]


@dataclass(frozen=True)
class StatRow:
    namespace: str
    constraints: int
    wires: int


def compile_circuit(circuit: Circuit, field: PrimeField = BN254_FR) -> CompiledCircuit:
    """Run ``circuit.define`` once and return the constraint system and its solver.

    Wires are allocated in iden3 order: the constant one, public inputs in declaration order,
    secret inputs in declaration order, then internal wires in creation order.

    >>> class Product(Circuit):
    ...     def __init__(self):
    ...         self.z = Public()
    ...         self.x, self.y = Secret(), Secret()
    ...     def define(self, api):
    ...         api.assert_equal(self.x * self.y, self.z, name="product")
    >>> compiled = compile_circuit(Product())
    >>> compiled.r1cs.n_constraints, compiled.solve({"z": 12, "x": 3, "y": 4})
    (2, [1, 12, 3, 4, 12])
    """
    api = API(field)
    instance = copy.copy(circuit)
    if not isinstance(circuit, Circuit):
        raise TypeError(f"compile_circuit expects a Circuit, got {type(circuit).__name__}")
    declared = [(name, v) for name, v in vars(circuit).items() if isinstance(v, _Input)]
    specs: list[InputSpec] = []
    for kind in ("public", "secret"):
        for name, decl in declared:
            if decl.kind != kind:
                continue
            lcs = _allocate(api, decl.shape, name)
            setattr(instance, name, lcs)
            specs.append(InputSpec(name, kind, decl.shape, _wires_of(lcs)))
    n_public = sum(_count(s.shape) for s in specs if s.kind == "public")
    n_secret = sum(_count(s.shape) for s in specs if s.kind == "secret")
    instance.define(api)
    r1cs = R1CS(
        field=field,
        n_pub_out=0,
        n_pub_in=n_public,
        n_prv_in=n_secret,
        n_wires=api.n_wires,
        constraints=api.constraints,
        wire_names=api.wire_names,
    )
    return CompiledCircuit(
        r1cs=r1cs,
        inputs=tuple(specs),
        steps=tuple(api.steps),
        constraint_namespaces=tuple(api.constraint_namespaces),
        wire_namespaces=tuple(api.wire_namespaces),
    )


# -- helpers ------------------------------------------------------------------------------------
def _allocate(api: API, shape: tuple[int, ...], name: str) -> Any:
    if not shape:
        return api.new_wire(name)
    return [_allocate(api, shape[1:], f"{name}[{i}]") for i in range(shape[0])]


def _wires_of(lcs: Any) -> Any:
    return lcs.wire if isinstance(lcs, LC) else [_wires_of(x) for x in lcs]


def _count(shape: tuple[int, ...]) -> int:
    n = 1
    for k in shape:
        n *= k
    return n


def _flatten(nested: Any) -> list[int]:
    if isinstance(nested, int):
        return [nested]
    return [w for item in nested for w in _flatten(item)]


def _flat_values(value: Any, spec: InputSpec, depth: int = 0) -> list[int]:
    if depth == len(spec.shape):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SolveError(f"input '{spec.name}': expected an int, got {type(value).__name__}")
        return [value]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise SolveError(f"input '{spec.name}': expected a list of shape {spec.shape}")
    if len(value) != spec.shape[depth]:
        raise SolveError(
            f"input '{spec.name}': expected {spec.shape[depth]} items at depth {depth}, "
            f"got {len(value)}"
        )
    return [v for item in value for v in _flat_values(item, spec, depth + 1)]


def _eval(terms: tuple[tuple[int, int], ...], w: list[int], p: int) -> int:
    return sum(c * w[i] for i, c in terms) % p


def _run_hint(step: HintStep, w: list[int], p: int, forge: Mapping[int, int]) -> None:
    args = [_eval(t, w, p) for t in step.inputs]
    try:
        result = step.fn(*args)
    except (ArithmeticError, ValueError) as err:
        raise SolveError(f"hint '{step.name}' failed: {err}") from err
    values = [result] if isinstance(result, int) else list(result)
    if len(values) != len(step.outs):
        raise SolveError(
            f"hint '{step.name}' returned {len(values)} values, expected {len(step.outs)}"
        )
    for out, v in zip(step.outs, values, strict=True):
        w[out] = forge.get(out, int(v) % p)


_INDEX = re.compile(r"\[\d+\]")


def _prefixes(ns: str, depth: int | None, collapse: bool) -> list[str]:
    parts = ns.split("/") if ns else []
    if collapse:
        parts = [_INDEX.sub("[*]", part) for part in parts]
    if depth is not None:
        parts = parts[:depth]
    return ["/".join(parts[:i]) for i in range(len(parts) + 1)]
