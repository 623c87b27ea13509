"""Byte-level edits of iden3 container files (.ptau, .zkey) for the refusal tests."""

from __future__ import annotations

import struct
from pathlib import Path


def section_offsets(data: bytes) -> dict[int, tuple[int, int]]:
    """``{section id: (payload offset, size)}`` of a container."""
    (n,) = struct.unpack_from("<I", data, 8)
    pos, out = 12, {}
    for _ in range(n):
        sid, size = struct.unpack_from("<IQ", data, pos)
        out[sid] = (pos + 12, size)
        pos += 12 + size
    return out


def copy_with(src: Path, dst: Path, sid: int, offset: int, new: bytes) -> Path:
    """``src`` with ``new`` written at ``offset`` of section ``sid``'s payload, saved as ``dst``."""
    data = bytearray(src.read_bytes())
    start, size = section_offsets(bytes(data))[sid]
    assert offset + len(new) <= size
    data[start + offset : start + offset + len(new)] = new
    dst.write_bytes(bytes(data))
    return dst


def section(path: Path, sid: int) -> bytes:
    data = path.read_bytes()
    start, size = section_offsets(data)[sid]
    return data[start : start + size]


def replace_section(src: Path, dst: Path, sid: int, payload: bytes) -> Path:
    """``src`` with section ``sid``'s payload replaced (any size)."""
    data = src.read_bytes()
    (n,) = struct.unpack_from("<I", data, 8)
    out, pos = [data[:12]], 12
    for _ in range(n):
        s, size = struct.unpack_from("<IQ", data, pos)
        body = payload if s == sid else data[pos + 12 : pos + 12 + size]
        out += [struct.pack("<IQ", s, len(body)), body]
        pos += 12 + size
    dst.write_bytes(b"".join(out))
    return dst
