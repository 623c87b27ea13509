"""snarkjs powers-of-tau files (``.ptau``), read through a memory map.

Public ptau files reach gigabytes (power 28: 72 GB once prepared), so nothing here reads a
point section whole: :class:`PtauFile` maps the file and hands out ``uint64`` views of the
points asked for (the operating system pages in only those).

Layout (the iden3 container of :mod:`zkmargin.formats.binfile`, magic ``ptau``, version 1;
facts from snarkjs ``powersoftau_new.js`` / ``powersoftau_utils.js``):

==  ===========  =============================================================================
id  name         content (points in Montgomery form, see :mod:`~zkmargin.formats.point_codec`)
==  ===========  =============================================================================
1   header       n8 u32, q (n8 bytes), power u32, ceremony power u32
2   tauG1        ``2^(power+1) − 1`` G1 points ``τ^i·G1``
3   tauG2        ``2^power`` G2 points ``τ^i·G2``
4   alphaTauG1   ``2^power`` G1 points ``α·τ^i·G1``
5   betaTauG1    ``2^power`` G1 points ``β·τ^i·G1``
6   betaG2       one G2 point ``β·G2``
7   contribs     count u32, then per contribution: tauG1, tauG2, alphaG1, betaG1, betaG2 (the
                 new first powers), the public key (six G1 then three G2: τ/α/β ``g1_s``,
                 ``g1_sx`` pairs, then τ/α/β ``g2_spx``), the 216-byte partial response hash,
                 the 64-byte next challenge, type u32 (0 contribution, 1 beacon), then a
                 parameter block (u32 length; sorted entries: 1 name (u8 length + UTF-8,
                 ≤ 64 characters), 2 beacon iterations exponent (u8), 3 beacon hash (u8
                 length + bytes))
12  lagrange τ   for each ``p = 0 .. power + 1``: the ``2^p`` points ``L_i(τ)·G1`` of the
                 size-``2^p`` domain (the ``p = power + 1`` level from the tauG1 section with
                 its missing last power taken as zero)
13  lagrange τ   the same for ``p = 0 .. power`` in G2
14, 15           the same for alphaTauG1 and betaTauG1
==  ===========  =============================================================================

Section ``p``'s block starts at point ``2^p − 1`` of a Lagrange section.  Section 7 is read
and written by :mod:`zkmargin.formats.ptau_contributions`, whole files are written by
:mod:`zkmargin.formats.ptau_writer`.

A *transcript* (``import response --nopoints``) holds only sections 1 and 7; its last
contribution's next challenge is :data:`NO_HASH`, and the next import adopts the hash the
response says it answers.
"""

from __future__ import annotations

import mmap
import os
import struct

import numpy as np

from zkmargin.ceremony.keys import CURVE, N8
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import Field64

MAGIC = b"ptau"
HEADER, TAU_G1, TAU_G2, ALPHA_TAU_G1, BETA_TAU_G1, BETA_G2, CONTRIBUTIONS = range(1, 8)
LAGRANGE = {TAU_G1: 12, TAU_G2: 13, ALPHA_TAU_G1: 14, BETA_TAU_G1: 15}
SECTION_NAMES = {
    TAU_G1: "tauG1", TAU_G2: "tauG2", ALPHA_TAU_G1: "alphaTauG1", BETA_TAU_G1: "betaTauG1",
    BETA_G2: "betaG2", 12: "lagrange tauG1", 13: "lagrange tauG2", 14: "lagrange alphaTauG1",
    15: "lagrange betaTauG1",
}  # fmt: skip
G1_BYTES, G2_BYTES = 2 * N8, 4 * N8
FQ = Field64.of(CURVE.q)
MAX_POWER = 28
NO_HASH = b"\xff" * 64
"""The next challenge of a contribution imported without its points (snarkjs's ``noHash``)."""
POINT_SECTIONS = (TAU_G1, TAU_G2, ALPHA_TAU_G1, BETA_TAU_G1, BETA_G2)


def is_g2(sid: int) -> bool:
    return sid in (TAU_G2, BETA_G2, 13)


def point_count(sid: int, power: int) -> int:
    """Points in section ``sid`` of a file of ``power``."""
    if sid == TAU_G1:
        return (1 << (power + 1)) - 1
    if sid == BETA_G2:
        return 1
    if sid in (TAU_G2, ALPHA_TAU_G1, BETA_TAU_G1):
        return 1 << power
    if sid == 12:
        return (1 << (power + 2)) - 1
    return (1 << (power + 1)) - 1  # 13, 14, 15


# --- single points: plain tuples <-> Montgomery bytes ----------------------------------------
def _enc(v: int) -> bytes:
    return (v * FQ.r % CURVE.q).to_bytes(N8, "little")


def _dec(b: bytes | memoryview) -> int:
    return int.from_bytes(b, "little") * pow(FQ.r, -1, CURVE.q) % CURVE.q


def g1_bytes(p) -> bytes:
    return bytes(G1_BYTES) if p is None else _enc(p[0]) + _enc(p[1])


def g2_bytes(p) -> bytes:
    if p is None:
        return bytes(G2_BYTES)
    (x0, x1), (y0, y1) = p
    return _enc(x0) + _enc(x1) + _enc(y0) + _enc(y1)


def g1_point(b: bytes | memoryview, where: str = "", path: str = ""):
    if not any(b):
        return None
    p = (_dec(b[:N8]), _dec(b[N8:]))
    if where and not CURVE.g1_is_on_curve(p):
        raise InputError(path, where, "point is not on the G1 curve")
    return p


def g2_point(b: bytes | memoryview, where: str = "", path: str = ""):
    if not any(b):
        return None
    v = [_dec(b[i * N8 : (i + 1) * N8]) for i in range(4)]
    p = ((v[0], v[1]), (v[2], v[3]))
    if where and not CURVE.g2_is_on_curve(p):
        raise InputError(path, where, "point is not on the G2 twist")
    return p


# --- the parameter block of a contribution (ptau and zkey) ----------------------------------
def encode_params(name: str, type_: int, iterations_exp: int | None, beacon: bytes | None) -> bytes:
    """The parameter block shared by ptau and zkey contributions (without its u32 length)."""
    out = bytearray()
    if name:
        data = name[:64].encode("utf-8")
        out += bytes([1, len(data)]) + data
    if type_ == 1:
        assert iterations_exp is not None and beacon is not None
        out += bytes([2, iterations_exp, 3, len(beacon)]) + beacon
    return bytes(out)


def decode_params(data: bytes, path: str, where: str) -> tuple[str, int | None, bytes | None]:
    """``(name, iterations exponent, beacon hash)`` from a parameter block."""
    name, exp, beacon = "", None, None
    pos, last = 0, 0
    try:
        while pos < len(data):
            kind = data[pos]
            if kind <= last:
                raise InputError(path, where, "parameters are not sorted")
            last = kind
            if kind == 1:
                n = data[pos + 1]
                name = data[pos + 2 : pos + 2 + n].decode("utf-8", errors="replace")
                pos += 2 + n
            elif kind == 2:
                exp = data[pos + 1]
                pos += 2
            elif kind == 3:
                n = data[pos + 1]
                beacon = bytes(data[pos + 2 : pos + 2 + n])
                pos += 2 + n
            else:
                raise InputError(path, where, f"unknown parameter {kind}")
    except IndexError:
        raise InputError(path, where, "parameter block truncated") from None
    if pos != len(data):
        raise InputError(path, where, "parameter block truncated")
    return name, exp, beacon


# --- the file ----------------------------------------------------------------------------------
def map_file(path: str) -> tuple[mmap.mmap | bytes, int]:
    """A read-only memory map of ``path`` (``b""`` for an empty file, which cannot be mapped)
    and its size; ``InputError`` if it cannot be read."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            return (mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""), size
    except OSError as err:
        raise InputError(path, "", f"cannot read: {err.strerror or err}") from None


class PtauFile:
    """A ptau file opened through a read-only memory map (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self.map, size = map_file(self.path)
        self.sections = self._sections(size)
        head = self.section_bytes(HEADER)
        if len(head) != 4 + 32 + 8:
            raise InputError(self.path, "section 1 (header)", f"size {len(head)}, expected 44")
        n8 = struct.unpack_from("<I", head)[0]
        q = int.from_bytes(head[4:36], "little")
        if n8 != N8 or q != CURVE.q:
            raise InputError(self.path, "section 1 (header)", "not a bn128 file (only bn128 here)")
        self.power, self.ceremony_power = struct.unpack_from("<II", head, 36)
        if not 1 <= self.power <= MAX_POWER:
            raise InputError(self.path, "section 1 (header)", f"power {self.power} out of range")
        for sid in (TAU_G1, TAU_G2, ALPHA_TAU_G1, BETA_TAU_G1, BETA_G2, *LAGRANGE.values()):
            if sid in self.sections:
                want = point_count(sid, self.power) * (G2_BYTES if is_g2(sid) else G1_BYTES)
                if self.sections[sid][1] != want:
                    raise InputError(
                        self.path,
                        f"section {sid} ({SECTION_NAMES[sid]})",
                        f"size {self.sections[sid][1]}, expected {want} for power {self.power}",
                    )

    def _sections(self, size: int) -> dict[int, tuple[int, int]]:
        m = self.map
        if size < 12 or m[:4] != MAGIC:
            raise InputError(self.path, "magic", "not a ptau file")
        version, n = struct.unpack_from("<II", m, 4)
        if version != 1:
            raise InputError(self.path, "version", f"{version} not supported (1)")
        out: dict[int, tuple[int, int]] = {}
        pos = 12
        for i in range(n):
            if pos + 12 > size:
                raise InputError(self.path, f"section #{i}", "truncated header")
            sid, length = struct.unpack_from("<IQ", m, pos)
            pos += 12
            if pos + length > size:
                raise InputError(self.path, f"section {sid}", "runs past the end of file")
            if sid in out:
                raise InputError(self.path, f"section {sid}", "appears twice")
            out[sid] = (pos, length)
            pos += length
        if pos != size:
            raise InputError(self.path, "file", f"{size - pos} trailing bytes")
        required = (1, 7) if not any(s in out for s in POINT_SECTIONS) else range(1, 8)
        for sid in required:
            if sid not in out:
                raise InputError(self.path, f"section {sid}", "missing")
        return out

    def has_points(self) -> bool:
        """False for a transcript without the point sections (``import response --nopoints``)."""
        return TAU_G1 in self.sections

    def section(self, sid: int) -> tuple[int, int]:
        """``(offset, length)`` of section ``sid``'s payload."""
        if sid not in self.sections:
            what = " (a transcript without points)" if not self.has_points() else ""
            where = f"section {sid} ({SECTION_NAMES.get(sid, 'header')})"
            raise InputError(self.path, where, "missing" + what)
        return self.sections[sid]

    def section_bytes(self, sid: int) -> bytes:
        off, length = self.section(sid)
        return bytes(self.map[off : off + length])

    def has_lagrange(self) -> bool:
        return all(s in self.sections for s in LAGRANGE.values())

    def points(self, sid: int, start: int = 0, count: int | None = None) -> np.ndarray:
        """A read-only ``uint64`` view of ``count`` points of section ``sid`` from ``start``."""
        off, length = self.section(sid)
        size = G2_BYTES if is_g2(sid) else G1_BYTES
        total = length // size
        count = total - start if count is None else count
        if start < 0 or start + count > total:
            raise InputError(
                self.path, f"section {sid}", f"points {start}..{start + count} of {total}"
            )
        arr = np.frombuffer(
            self.map, dtype="<u8", count=count * size // 8, offset=off + start * size
        )
        shape = (count, 2, 2, 4) if size == G2_BYTES else (count, 2, 4)
        return arr.reshape(shape)

    def lagrange(self, sid: int, p: int) -> np.ndarray:
        """The level-``p`` block of Lagrange section ``sid`` (``2^p`` points)."""
        return self.points(sid, (1 << p) - 1, 1 << p)
