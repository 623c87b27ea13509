"""The builder a circuit's ``define(api)`` talks to: it records constraints and solver steps.

Every new internal wire is made by exactly one solver step (a product, a hint or a
materialised linear combination), recorded in creation order, so solving a witness later replays
the steps without running ``define`` again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from zkmargin.dsl.lc import LC, Operand
from zkmargin.dsl.r1cs import Constraint
from zkmargin.field import PrimeField

Hint = Callable[..., "int | Sequence[int]"]


@dataclass(frozen=True)
class MulStep:
    """``out = <a, w> · <b, w>``."""

    a: tuple[tuple[int, int], ...]
    b: tuple[tuple[int, int], ...]
    out: int


@dataclass(frozen=True)
class LinStep:
    """``out = <terms, w>``."""

    terms: tuple[tuple[int, int], ...]
    out: int


@dataclass(frozen=True)
class HintStep:
    """``outs = fn(<inputs_i, w>...)``: values computed in Python, constrained elsewhere."""

    fn: Hint
    inputs: tuple[tuple[tuple[int, int], ...], ...]
    outs: tuple[int, ...]
    name: str


Step = MulStep | LinStep | HintStep


class API:
    """Records a circuit: wires, named constraints and the steps that solve the witness.

    Gadgets take the API as their first argument; see ``zkmargin.dsl.gadgets``.
    """

    def __init__(self, field: PrimeField) -> None:
        self.field = field
        self.p = field.p
        self.n_wires = 1  # wire 0: the constant one
        self.wire_names: list[str] = ["one"]
        self.wire_namespaces: list[str] = [""]
        self.constraints: list[Constraint] = []
        self.constraint_namespaces: list[str] = []
        self.steps: list[Step] = []
        self._namespace: list[str] = []
        self._ns_path = ""

    # -- namespaces -----------------------------------------------------------------------------
    @contextmanager
    def namespace(self, name: str) -> Iterator[None]:
        """Constraints and wires made inside are named ``<outer>/<name>/...``."""
        self._namespace.append(name)
        self._ns_path = "/".join(self._namespace)
        try:
            yield
        finally:
            self._namespace.pop()
            self._ns_path = "/".join(self._namespace)

    def _path(self, name: str) -> str:
        if not name:
            return self._ns_path
        return f"{self._ns_path}/{name}" if self._ns_path else name

    # -- wires ----------------------------------------------------------------------------------
    def new_wire(self, name: str = "") -> LC:
        """Allocate a wire (used by the compiler for inputs and by the steps below)."""
        w = self.n_wires
        self.n_wires += 1
        self.wire_names.append(self._path(name or f"w{w}"))
        self.wire_namespaces.append(self._ns_path)
        return LC(self, {w: 1})

    def constant(self, value: int) -> LC:
        """The constant ``value`` (reduced mod p) as a linear combination."""
        v = value % self.p
        return LC(self, {0: v} if v else {})

    def lc(self, x: Operand) -> LC:
        """``x`` as a linear combination (ints become constants)."""
        if isinstance(x, LC):
            if x._api is not self:
                raise ValueError("linear combination belongs to another circuit")
            return x
        if isinstance(x, bool) or not isinstance(x, int):
            raise TypeError(f"expected a linear combination or an int, got {type(x).__name__}")
        return self.constant(x)

    # -- constraints ----------------------------------------------------------------------------
    def assert_product(self, a: Operand, b: Operand, c: Operand, name: str = "") -> None:
        """The raw R1CS constraint ``a · b = c``."""
        a, b, c = self.lc(a), self.lc(b), self.lc(c)
        self.constraints.append(Constraint(a.terms, b.terms, c.terms, self._path(name)))
        self.constraint_namespaces.append(self._ns_path)

    def assert_equal(self, a: Operand, b: Operand, name: str = "") -> None:
        """``a = b`` (one constraint, ``(a − b) · 1 = 0``)."""
        diff = self.lc(a) - self.lc(b)
        if diff.is_constant:
            if diff.constant_value:
                raise ValueError(f"{self._path(name)}: constants are never equal")
            return
        self.assert_product(diff, 1, 0, name)

    def assert_zero(self, a: Operand, name: str = "") -> None:
        """``a = 0`` (one constraint)."""
        self.assert_equal(a, 0, name)

    # -- wire-making operations -------------------------------------------------------------------
    def mul(self, a: Operand, b: Operand, name: str = "") -> LC:
        """``a · b``: free when either side is constant, else one wire and one constraint."""
        a, b = self.lc(a), self.lc(b)
        if a.is_constant:
            return b.scale(a.constant_value)
        if b.is_constant:
            return a.scale(b.constant_value)
        out = self.new_wire(name or "product")
        self.steps.append(MulStep(_frozen(a), _frozen(b), out.wire))
        self.assert_product(a, b, out, name or "product")
        return out

    def materialize(self, a: Operand, name: str = "") -> LC:
        """A new wire equal to ``a`` (one constraint): keeps long combinations from spreading."""
        a = self.lc(a)
        out = self.new_wire(name or "value")
        self.steps.append(LinStep(_frozen(a), out.wire))
        self.assert_equal(a, out, name or "value")
        return out

    def hint(self, fn: Hint, *inputs: Operand, n_out: int = 1, name: str = "") -> list[LC]:
        """``n_out`` new UNCONSTRAINED wires that the solver sets to ``fn(*input_values)``.

        ``fn`` gets field ints in ``[0, p)`` and returns an int (``n_out == 1``) or a sequence of
        ``n_out`` ints. The caller must constrain the outputs: a hint alone proves nothing.
        """
        ins = tuple(_frozen(self.lc(x)) for x in inputs)
        label = name or getattr(fn, "__name__", "hint")
        outs = [self.new_wire(f"{label}[{i}]" if n_out > 1 else label) for i in range(n_out)]
        self.steps.append(HintStep(fn, ins, tuple(o.wire for o in outs), self._path(label)))
        return outs

    def inverse(self, a: Operand, name: str = "inverse") -> LC:
        """``1 / a`` (one hint wire, one constraint ``a · inv = 1``); unsatisfiable for ``a = 0``."""
        p = self.p
        a = self.lc(a)
        if a.is_constant:
            return self.constant(self.field.inv(a.constant_value))

        def _inverse(v: int) -> int:
            if v == 0:
                raise ZeroDivisionError("inverse of zero")
            return pow(v, -1, p)

        (inv,) = self.hint(_inverse, a, name=name)
        self.assert_product(a, inv, 1, name)
        return inv


def _frozen(a: LC) -> tuple[tuple[int, int], ...]:
    return tuple(a.terms.items())
