"""Groth16 phase 2 contributions and beacons to a zkey, snarkjs-compatible.

A contribution multiplies delta by its secret ``d`` and the L (C) and H sections by ``1/d``
(:func:`~.scalar_mul.scale`, one scalar for every point); section 10 records, per contribution,
the new ``delta1``, its proof of knowledge and the transcript hash it is bound to
(:func:`~zkmargin.ceremony.keys.delta_key`).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony.chacha import ChaCha, beacon_rng
from zkmargin.ceremony.keys import (
    CURVE,
    delta_key,
    g1_uncompressed,
    g2_uncompressed,
)
from zkmargin.ceremony.phase2 import R_Q, R, write_sections
from zkmargin.ceremony.powersoftau import parse_beacon
from zkmargin.ceremony.scalar_mul import scale
from zkmargin.errors import InputError
from zkmargin.formats.binfile import BinFile, read_binfile
from zkmargin.formats.ptau import (
    FQ,
    G1_BYTES,
    G2_BYTES,
    decode_params,
    encode_params,
    g1_bytes,
    g1_point,
    g2_bytes,
    g2_point,
)
from zkmargin.formats.zkey import GROTH16


@dataclass(frozen=True)
class ZkeyContribution:
    delta_after: object
    g1_s: object
    g1_sx: object
    g2_spx: object
    transcript: bytes
    type: int = 0
    name: str = ""
    iterations_exp: int | None = None
    beacon_hash: bytes | None = None

    def public_bytes(self) -> bytes:
        """What ``hashPubKey`` hashes: the points uncompressed, then the transcript."""
        return (
            g1_uncompressed(self.delta_after) + g1_uncompressed(self.g1_s)
            + g1_uncompressed(self.g1_sx) + g2_uncompressed(self.g2_spx) + self.transcript
        )  # fmt: skip

    def hash(self) -> bytes:
        return hashlib.blake2b(self.public_bytes(), digest_size=64).digest()

    def encode(self) -> bytes:
        params = encode_params(self.name, self.type, self.iterations_exp, self.beacon_hash)
        return b"".join(
            [
                g1_bytes(self.delta_after), g1_bytes(self.g1_s), g1_bytes(self.g1_sx),
                g2_bytes(self.g2_spx), self.transcript, struct.pack("<II", self.type, len(params)),
                params,
            ]
        )  # fmt: skip


def decode_mpc(data: bytes, path: str) -> tuple[bytes, list[ZkeyContribution]]:
    where = "section 10 (contributions)"
    if len(data) < 68:
        raise InputError(path, where, "truncated")
    circuit_hash = data[:64]
    (n,) = struct.unpack_from("<I", data, 64)
    pos, out = 68, []
    for i in range(n):
        label = f"{where}: contribution #{i + 1}"
        fixed = 3 * G1_BYTES + G2_BYTES + 64 + 8
        if pos + fixed > len(data):
            raise InputError(path, label, "truncated")
        b = data[pos:]
        pts = [g1_point(b[k * 64 : (k + 1) * 64], f"{label}: G1 point", path) for k in range(3)]
        g2 = g2_point(b[192:320], f"{label}: G2 point", path)
        transcript = bytes(b[320:384])
        type_, plen = struct.unpack_from("<II", b, 384)
        if pos + fixed + plen > len(data):
            raise InputError(path, label, "parameter block runs past the section")
        name, exp, beacon = decode_params(bytes(b[392 : 392 + plen]), path, label)
        out.append(ZkeyContribution(*pts, g2, transcript, type_, name, exp, beacon))
        pos += fixed + plen
    if pos != len(data):
        raise InputError(path, where, f"{len(data) - pos} bytes after the last contribution")
    return circuit_hash, out


def encode_mpc(circuit_hash: bytes, contribs: list[ZkeyContribution]) -> bytes:
    return circuit_hash + struct.pack("<I", len(contribs)) + b"".join(c.encode() for c in contribs)


def read_zkey(path: str) -> BinFile:
    """A bn128 Groth16 key's sections (refused with :class:`InputError` otherwise)."""
    bf = read_binfile(path, "zkey", max_version=1)
    if struct.unpack("<I", bf.section(1, "header"))[0] != GROTH16:
        raise InputError(path, "section 1 (header)", "not a Groth16 key")
    head = bf.section(2, "groth header")
    if len(head) != 4 + 32 + 4 + 32 + 12 + 3 * G1_BYTES + 3 * G2_BYTES or head[
        4:36
    ] != R_Q.to_bytes(32, "little"):
        raise InputError(path, "section 2 (groth header)", "not a bn128 key of the expected size")
    return bf


HEAD_SIZE = 4 + 32 + 4 + 32 + 12  # primes and nVars, nPublic, domainSize in section 2
DELTA1_AT = HEAD_SIZE + 2 * G1_BYTES + 2 * G2_BYTES  # offset of delta1


def deltas(head: bytes, path: str):
    """``delta1``, ``delta2`` from the header section."""
    d1 = g1_point(head[DELTA1_AT : DELTA1_AT + G1_BYTES], "delta1", path)
    d2 = g2_point(head[DELTA1_AT + G1_BYTES :], "delta2", path)
    return d1, d2


def _contribute(src: str, dst: str, derive, name: str, beacon: tuple[bytes, int] | None) -> bytes:
    bf = read_zkey(src)
    circuit_hash, contribs = decode_mpc(bf.section(10, "contributions"), src)
    head_hash = circuit_hash + b"".join(c.public_bytes() for c in contribs)
    x, s, sx, transcript, g2_spx = delta_key(derive(), head_hash)
    head = bf.section(2)
    d1, d2 = deltas(head, src)
    new_d1, new_d2 = CURVE.g1_mul(d1, x), CURVE.g2_mul(d2, x)
    c = ZkeyContribution(
        new_d1, s, sx, g2_spx, transcript, 1 if beacon else 0, name,
        beacon[1] if beacon else None, beacon[0] if beacon else None,
    )  # fmt: skip
    inv = [pow(x, -1, R)]
    sections = {sid: payload for sid, payload in bf.sections}
    sections[2] = head[:DELTA1_AT] + g1_bytes(new_d1) + g2_bytes(new_d2)
    for sid in (8, 9):
        pts = np.frombuffer(sections[sid], dtype="<u8").reshape(-1, 2, 1, 4)
        sections[sid] = scale(pts, inv, FQ).tobytes()
    sections[10] = encode_mpc(circuit_hash, [*contribs, c])
    write_sections(dst, sections, order=range(1, 11))
    return c.hash()


def contribute(src: str, dst: str, name: str, rng: ChaCha) -> bytes:
    """Add a delta contribution drawn from ``rng``; returns its contribution hash."""
    return _contribute(src, dst, lambda: rng, name, None)


def beacon(src: str, dst: str, name: str, beacon_hex: str, iterations_exp: int | str) -> bytes:
    """Add the beacon contribution (its secret from ``2^iterations_exp`` SHA-256 iterations)."""
    b, exp = parse_beacon(beacon_hex, iterations_exp)
    return _contribute(src, dst, lambda: beacon_rng(b, exp), name, (b, exp))
