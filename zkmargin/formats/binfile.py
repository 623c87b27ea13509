"""The iden3 binary container shared by ``.r1cs``, ``.wtns``, ``.zkey`` and ``.ptau`` files.

Layout (all integers little-endian)::

    magic      4 bytes, ASCII ("r1cs", "wtns", "zkey", "ptau")
    version    u32
    n_sections u32
    n_sections times:  section id u32, section size u64, then that many bytes

Sections keep their file order here: tools write them in different orders (circom puts the
constraints section before the header), and a byte-identical rewrite needs that order.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "x.bin")
>>> write_binfile(path, BinFile("wtns", 2, [(1, b"abc"), (2, b"")]))
>>> read_binfile(path, "wtns", max_version=2).section(1)
b'abc'
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from zkmargin.atomic_files import atomic_write
from zkmargin.errors import InputError

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_SECTION_HEAD = struct.Struct("<IQ")


@dataclass
class BinFile:
    """A parsed container: magic, version and ``(section id, payload)`` pairs in file order."""

    magic: str
    version: int
    sections: list[tuple[int, bytes]]
    path: str = field(default="<memory>", compare=False)

    def ids(self) -> list[int]:
        return [sid for sid, _ in self.sections]

    def has(self, sid: int) -> bool:
        return any(s == sid for s, _ in self.sections)

    def section(self, sid: int, name: str = "") -> bytes:
        """The payload of the one section with id ``sid``; :class:`InputError` if absent or repeated."""
        found = [payload for s, payload in self.sections if s == sid]
        label = f"section {sid}" + (f" ({name})" if name else "")
        if not found:
            raise InputError(self.path, label, "missing")
        if len(found) > 1:
            raise InputError(self.path, label, f"appears {len(found)} times")
        return found[0]


def parse_binfile(data: bytes, path: str, magic: str, max_version: int) -> BinFile:
    """Split ``data`` into sections, checking magic, version and that every size fits the file."""
    if len(data) < 12:
        raise InputError(path, "header", f"truncated: {len(data)} bytes, need at least 12")
    found = data[:4]
    if found != magic.encode("ascii"):
        raise InputError(path, "magic", f"expected {magic!r}, found {found!r}")
    version, n_sections = struct.unpack_from("<II", data, 4)
    if not 1 <= version <= max_version:
        raise InputError(path, "version", f"{version} not supported (1..{max_version})")
    sections: list[tuple[int, bytes]] = []
    pos = 12
    view = memoryview(data)
    for i in range(n_sections):
        if pos + _SECTION_HEAD.size > len(data):
            raise InputError(path, f"section #{i}", "truncated: header runs past the end of file")
        sid, size = _SECTION_HEAD.unpack_from(data, pos)
        pos += _SECTION_HEAD.size
        if pos + size > len(data):
            raise InputError(
                path,
                f"section {sid}",
                f"size {size} runs past the end of file ({len(data) - pos} bytes left)",
            )
        sections.append((sid, bytes(view[pos : pos + size])))
        pos += size
    if pos != len(data):
        raise InputError(path, "file", f"{len(data) - pos} trailing bytes after the last section")
    return BinFile(magic, version, sections, str(path))


def read_binfile(path: str | os.PathLike[str], magic: str, max_version: int) -> BinFile:
    """Read and split a container file (see :func:`parse_binfile`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(str(path), "", f"cannot read: {err.strerror or err}") from None
    return parse_binfile(data, str(path), magic, max_version)


def encode_binfile(binfile: BinFile) -> list[bytes]:
    """The container as a list of byte chunks (joined or written in order)."""
    magic = binfile.magic.encode("ascii")
    if len(magic) != 4:
        raise ValueError(f"magic must be 4 ASCII characters, got {binfile.magic!r}")
    chunks = [magic, struct.pack("<II", binfile.version, len(binfile.sections))]
    for sid, payload in binfile.sections:
        chunks.append(_SECTION_HEAD.pack(sid, len(payload)))
        chunks.append(payload)
    return chunks


def write_binfile(path: str | os.PathLike[str], binfile: BinFile, mode: int | None = None) -> None:
    """Write the container atomically, with permissions ``mode`` (see :mod:`zkmargin.atomic_files`)."""
    atomic_write(path, encode_binfile(binfile), mode)


class Cursor:
    """Sequential little-endian reads from one section, with errors naming file and section."""

    def __init__(self, data: bytes, path: str, section: str) -> None:
        self.data = data
        self.view = memoryview(data)
        self.pos = 0
        self.path = path
        self.section = section

    def fail(self, problem: str) -> InputError:
        return InputError(self.path, self.section, problem)

    def need(self, n: int, what: str) -> None:
        if self.pos + n > len(self.data):
            raise self.fail(
                f"truncated: {what} needs {n} bytes at offset {self.pos}, "
                f"section has {len(self.data)}"
            )

    def u32(self, what: str = "u32") -> int:
        self.need(4, what)
        (value,) = _U32.unpack_from(self.data, self.pos)
        self.pos += 4
        return value

    def u64(self, what: str = "u64") -> int:
        self.need(8, what)
        (value,) = _U64.unpack_from(self.data, self.pos)
        self.pos += 8
        return value

    def uint(self, n: int, what: str) -> int:
        self.need(n, what)
        value = int.from_bytes(self.view[self.pos : self.pos + n], "little")
        self.pos += n
        return value

    def take(self, n: int, what: str) -> memoryview:
        self.need(n, what)
        out = self.view[self.pos : self.pos + n]
        self.pos += n
        return out

    def end(self) -> None:
        """Every byte of the section must have been consumed."""
        if self.pos != len(self.data):
            raise self.fail(f"size mismatch: {len(self.data)} bytes, content ends at {self.pos}")


def field_bytes(p: int) -> int:
    """Bytes per field element as iden3 tools size them: whole 64-bit words."""
    return ((p.bit_length() - 1) // 64 + 1) * 8
