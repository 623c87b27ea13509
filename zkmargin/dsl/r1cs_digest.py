"""The digest of a constraint system: what the system *is*, independent of how it is named.

SHA-256 over a canonical encoding, cut to 248 bits so that it is a field element of both
supported fields (it enters a batch statement):

    "zkmargin/r1cs/v1" 0x00, the prime (big-endian, 32 bytes: both fields' width), nWires, nPubOut, nPubIn, nPrvIn, mConstraints (u32 big-endian each), then
    per constraint A, B, C: a u32 term count and the terms in increasing wire order, each a u32
    wire and its coefficient reduced into [0, p) at the field's width.

Constraint and wire names, wire labels and term order inside a linear combination do not enter
it; the order of constraints and the numbering of wires do (the digest names one compiled
system, not its equivalence class).

>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> square = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> renamed = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "other")])
>>> cube = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 2}, {1: 1}, "square")])
>>> r1cs_digest(square) == r1cs_digest(renamed), r1cs_digest(square) == r1cs_digest(cube)
(True, False)
>>> r1cs_digest(square) < 2**248
True
"""

from __future__ import annotations

import hashlib
import struct

from zkmargin.dsl.r1cs import R1CS

TAG = b"zkmargin/r1cs/v1\x00"
DIGEST_BITS = 248


def r1cs_digest(r1cs: R1CS) -> int:
    """The digest of ``r1cs`` as an integer below ``2^248`` (module docstring)."""
    p = r1cs.prime
    width = (p.bit_length() + 7) // 8
    h = hashlib.sha256(TAG)
    h.update(p.to_bytes(width, "big"))
    h.update(
        struct.pack(
            ">5I",
            r1cs.n_wires,
            r1cs.n_pub_out,
            r1cs.n_pub_in,
            r1cs.n_prv_in,
            r1cs.n_constraints,
        )
    )
    pack = struct.Struct(">I").pack
    for con in r1cs.constraints:
        parts = []
        for terms in (con.a, con.b, con.c):
            parts.append(pack(len(terms)))
            for wire in sorted(terms):
                parts.append(pack(wire) + (terms[wire] % p).to_bytes(width, "big"))
        h.update(b"".join(parts))
    return int.from_bytes(h.digest()[: DIGEST_BITS // 8], "big")
