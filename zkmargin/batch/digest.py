"""A batch circuit's digest: its constraint system, hashed, as a field of its own statement.

The digest of a :class:`~zkmargin.batch.BatchCircuit` is :func:`zkmargin.dsl.r1cs_digest.
r1cs_digest` of the system compiled with :attr:`~zkmargin.batch.BatchCircuit.digest_value` 0.
The circuit hashes its ``circuit_digest`` input into the statement and binds it to that
constant with one constraint, ``circuit_digest − D = 0`` (named :data:`DIGEST_CONSTRAINT`); the
system used for keys and proofs is the one compiled with ``D`` = the digest. Only that
constraint's constant differs between the two, so :func:`compile_with_digest` compiles once
and sets it (tested equal to compiling with ``D``).

What it buys: a verifier recompiles the circuit a report names and compares digests, so a
report made with any other constraint system — a renamed file, a weakened copy under a
built-in's name — is refused even though its name, shape and circuit id match. What it cannot
buy alone: whoever writes a circuit chooses its constant, so the guarantee that the proofs come
from the recompiled system is the verifying key's, made by a ceremony on that system's
``.r1cs`` and pinned by its fingerprint (:mod:`zkmargin.formats.vk_fingerprint`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zkmargin.dsl.r1cs import Constraint
from zkmargin.dsl.r1cs_digest import r1cs_digest

if TYPE_CHECKING:
    from zkmargin.batch.base import BatchCircuit
    from zkmargin.dsl import CompiledCircuit

DIGEST_CONSTRAINT = "circuit_digest"


def compile_with_digest(instance: BatchCircuit) -> tuple[CompiledCircuit, int]:
    """Compile ``instance`` bound to its own digest; returns the compiled circuit and the digest
    (``instance.digest_value`` is set to it)."""
    from zkmargin.dsl import compile_circuit

    instance.digest_value = 0
    compiled = compile_circuit(instance)
    digest = r1cs_digest(compiled.r1cs)
    set_digest(compiled, digest)
    instance.digest_value = digest
    return compiled, digest


def set_digest(compiled: CompiledCircuit, digest: int) -> None:
    """Change the constant of the digest constraint of a circuit compiled with digest 0."""
    r1cs = compiled.r1cs
    found = [i for i, c in enumerate(r1cs.constraints) if c.name == DIGEST_CONSTRAINT]
    if len(found) != 1:
        raise ValueError(f"expected one {DIGEST_CONSTRAINT!r} constraint, found {len(found)}")
    con = r1cs.constraints[found[0]]
    (wire,) = con.a  # compiled with 0: the input wire alone
    if con.a[wire] != 1 or con.b != {0: 1} or con.c:
        raise ValueError(f"{DIGEST_CONSTRAINT!r} is not 'input − constant = 0'")
    a = {wire: 1, 0: -digest % r1cs.prime} if digest % r1cs.prime else {wire: 1}
    r1cs.constraints[found[0]] = Constraint(a, con.b, con.c, con.name)
