"""The rank-1 constraint system: the compiled form of a circuit.

Wires follow the iden3 order: wire 0 is the constant one, then public outputs, public inputs,
private inputs and internal signals. A constraint holds when ``<a, w> * <b, w> = <c, w>`` modulo
the field's prime, each side a sparse map from wire index to a non-zero coefficient.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zkmargin.field import PrimeField

Terms = dict[int, int]
"""A linear combination of wires: wire index -> coefficient in ``[1, p)``."""


@dataclass(frozen=True)
class Constraint:
    """``<a, w> * <b, w> = <c, w>``; ``name`` is the gadget path that made it (``a/b/c``)."""

    a: Terms
    b: Terms
    c: Terms
    name: str = ""


class UnsatisfiedConstraint(AssertionError):
    """A witness fails a constraint; carries its index, its gadget path and the three values."""

    def __init__(self, index: int, name: str, a: int, b: int, c: int, p: int) -> None:
        self.index = index
        self.name = name
        self.values = (a, b, c)
        super().__init__(
            f"constraint #{index} '{name or '<unnamed>'}' is not satisfied: "
            f"{a} * {b} != {c} (mod p), difference {(a * b - c) % p}"
        )


class WitnessShapeError(ValueError):
    """A witness that does not fit its constraint system (length, range or constant wire)."""


def evaluate(terms: Mapping[int, int], witness: Sequence[int], p: int) -> int:
    """``<terms, witness> mod p``."""
    return sum(coeff * witness[w] for w, coeff in terms.items()) % p


@dataclass
class R1CS:
    """A constraint system in iden3 wire order (see the module docstring).

    >>> from zkmargin.field import BN254_FR
    >>> cs = R1CS(BN254_FR, n_pub_out=0, n_pub_in=1, n_prv_in=1, n_wires=3,
    ...           constraints=[Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
    >>> check(cs, [1, 9, 3])
    >>> check(cs, [1, 9, 4])
    Traceback (most recent call last):
    ...
    zkmargin.dsl.r1cs.UnsatisfiedConstraint: constraint #0 'square' is not satisfied: 4 * 4 != 9 (mod p), difference 7
    """

    field: PrimeField
    n_pub_out: int
    n_pub_in: int
    n_prv_in: int
    n_wires: int
    constraints: list[Constraint]
    wire_labels: list[int] = dataclasses.field(default_factory=list)
    """iden3 label id per wire (the `.r1cs` wire-to-label map); empty means the identity."""
    wire_names: list[str] = dataclasses.field(default_factory=list)
    """Human-readable name per wire, when the DSL knows it; empty otherwise."""

    @property
    def prime(self) -> int:
        return self.field.p

    @property
    def n_public(self) -> int:
        """Public wires after the constant one: outputs then public inputs."""
        return self.n_pub_out + self.n_pub_in

    @property
    def n_constraints(self) -> int:
        return len(self.constraints)

    def labels(self) -> list[int]:
        return self.wire_labels or list(range(self.n_wires))

    def public_values(self, witness: Sequence[int]) -> list[int]:
        """The public signals as snarkjs's ``public.json`` lists them (outputs, then inputs)."""
        return [int(v) for v in witness[1 : 1 + self.n_public]]


def check(system: R1CS, witness: Sequence[int]) -> None:
    """Return if ``witness`` satisfies every constraint; else raise naming the first failure.

    Raises :class:`WitnessShapeError` for a witness of the wrong length, with an element outside
    ``[0, p)``, or whose wire 0 is not 1; :class:`UnsatisfiedConstraint` for the first failing
    constraint, with the gadget path that made it.
    """
    p = system.prime
    if len(witness) != system.n_wires:
        raise WitnessShapeError(
            f"witness has {len(witness)} values, the system {system.n_wires} wires"
        )
    if witness[0] != 1:
        raise WitnessShapeError(f"wire 0 must be the constant 1, got {witness[0]}")
    for i, v in enumerate(witness):
        if not 0 <= v < p:
            raise WitnessShapeError(f"wire {i} holds {v}, outside [0, p)")
    for i, con in enumerate(system.constraints):
        a = evaluate(con.a, witness, p)
        b = evaluate(con.b, witness, p)
        c = evaluate(con.c, witness, p)
        if (a * b - c) % p:
            raise UnsatisfiedConstraint(i, con.name, a, b, c, p)
