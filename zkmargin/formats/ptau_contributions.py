"""Section 7 of a ptau file, the contributions: each one's new first powers, its public key
(the proofs of knowledge of τ, α and β), the hashes chaining it to the previous one and its
parameters (name, beacon).  The byte layout is in :mod:`zkmargin.formats.ptau`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from zkmargin.ceremony.keys import PublicKey
from zkmargin.errors import InputError
from zkmargin.formats.ptau import (
    CONTRIBUTIONS,
    G1_BYTES,
    G2_BYTES,
    PtauFile,
    decode_params,
    encode_params,
    g1_bytes,
    g1_point,
    g2_bytes,
    g2_point,
)


@dataclass
class Contribution:
    """One entry of section 7 (points as plain tuples)."""

    tau_g1: object
    tau_g2: object
    alpha_g1: object
    beta_g1: object
    beta_g2: object
    keys: tuple[PublicKey, PublicKey, PublicKey]
    partial_hash: bytes
    next_challenge: bytes
    type: int = 0
    name: str = ""
    iterations_exp: int | None = None
    beacon_hash: bytes | None = None


def encode_contributions(contribs: list[Contribution]) -> bytes:
    out = [struct.pack("<I", len(contribs))]
    for c in contribs:
        out += [g1_bytes(c.tau_g1), g2_bytes(c.tau_g2), g1_bytes(c.alpha_g1), g1_bytes(c.beta_g1)]
        out.append(g2_bytes(c.beta_g2))
        out += [g1_bytes(k.g1_s) + g1_bytes(k.g1_sx) for k in c.keys]
        out += [g2_bytes(k.g2_spx) for k in c.keys]
        out += [c.partial_hash, c.next_challenge, struct.pack("<I", c.type)]
        params = encode_params(c.name, c.type, c.iterations_exp, c.beacon_hash)
        out += [struct.pack("<I", len(params)), params]
    return b"".join(out)


def decode_contributions(data: bytes, path: str) -> list[Contribution]:
    where = f"section {CONTRIBUTIONS} (contributions)"
    fixed = 3 * G1_BYTES + 2 * G2_BYTES + 6 * G1_BYTES + 3 * G2_BYTES + 216 + 64 + 4
    if len(data) < 4:
        raise InputError(path, where, "truncated")
    (n,) = struct.unpack_from("<I", data, 0)
    pos, out = 4, []
    for i in range(n):
        label = f"{where}: contribution #{i + 1}"
        if pos + fixed + 4 > len(data):
            raise InputError(path, label, "truncated")
        b = memoryview(data)[pos:]

        def g1(off: int, what: str, b=b, label=label):
            return g1_point(b[off : off + G1_BYTES], f"{label}: {what}", path)

        def g2(off: int, what: str, b=b, label=label):
            return g2_point(b[off : off + G2_BYTES], f"{label}: {what}", path)

        o = 0
        tau_g1 = g1(o, "tauG1")
        tau_g2 = g2(o := o + G1_BYTES, "tauG2")
        alpha_g1 = g1(o := o + G2_BYTES, "alphaG1")
        beta_g1 = g1(o := o + G1_BYTES, "betaG1")
        beta_g2 = g2(o := o + G1_BYTES, "betaG2")
        o += G2_BYTES
        g1s = [g1(o + k * G1_BYTES, "key") for k in range(6)]
        o += 6 * G1_BYTES
        g2s = [g2(o + k * G2_BYTES, "key") for k in range(3)]
        o += 3 * G2_BYTES
        keys = tuple(PublicKey(g1s[2 * k], g1s[2 * k + 1], g2s[k]) for k in range(3))
        partial = bytes(b[o : o + 216])
        nxt = bytes(b[o + 216 : o + 280])
        type_, plen = struct.unpack_from("<II", b, o + 280)
        o += 288
        if pos + o + plen > len(data):
            raise InputError(path, label, "parameter block runs past the section")
        name, exp, beacon = decode_params(bytes(b[o : o + plen]), path, label)
        out.append(
            Contribution(
                tau_g1, tau_g2, alpha_g1, beta_g1, beta_g2, keys, partial, nxt, type_, name, exp,
                beacon,
            )
        )  # fmt: skip
        pos += o + plen
    if pos != len(data):
        raise InputError(path, where, f"{len(data) - pos} bytes after the last contribution")
    return out


def read_contributions(pf: PtauFile) -> list[Contribution]:
    """The contributions recorded in ``pf``, oldest first."""
    return decode_contributions(pf.section_bytes(CONTRIBUTIONS), pf.path)
