"""A digest of a compiled constraint system: every constraint (terms and name), the wire
counts and the wire names, so two compilations hash alike only if they are the same circuit."""

from __future__ import annotations

import hashlib

from zkmargin.dsl import CompiledCircuit


def r1cs_digest(cc: CompiledCircuit) -> str:
    r = cc.r1cs
    h = hashlib.sha256()
    h.update(f"{r.n_pub_out},{r.n_pub_in},{r.n_prv_in},{r.n_wires}\n".encode())
    for c in r.constraints:
        for lc in (c.a, c.b, c.c):
            h.update(",".join(f"{w}:{v}" for w, v in sorted(lc.items())).encode() + b"|")
        h.update(c.name.encode() + b"\n")
    h.update("\n".join(r.wire_names).encode())
    return h.hexdigest()
