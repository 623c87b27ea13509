"""Writing ptau files: the header section and :class:`PtauWriter`, which streams sections into
a temporary file and renames it into place.  The layout is in :mod:`zkmargin.formats.ptau`.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable

import numpy as np

from zkmargin.atomic_files import AtomicFile
from zkmargin.ceremony.keys import CURVE, N8
from zkmargin.formats.ptau import G1_BYTES, G2_BYTES, MAGIC, is_g2


def header_bytes(power: int, ceremony_power: int | None = None) -> bytes:
    return (
        struct.pack("<I", N8)
        + CURVE.q.to_bytes(N8, "little")
        + struct.pack("<II", power, ceremony_power or power)
    )


class PtauWriter:
    """Writes a ptau file section by section into a temporary file beside ``path``, renamed
    over it by :meth:`commit` (a reader never sees half a file). Sections written so far can be
    read back (:meth:`points`), so a hash over them can go into a later section without
    holding them in memory."""

    def __init__(self, path: str | os.PathLike[str], n_sections: int) -> None:
        self.out = AtomicFile(path)
        self.file = self.out.file
        self.file.write(MAGIC + struct.pack("<II", 1, n_sections))
        self.offsets: dict[int, tuple[int, int]] = {}
        self.committed = False

    def __enter__(self) -> PtauWriter:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if not self.committed:  # failed, or abandoned for another file
            self.out.discard()

    def section(self, sid: int, chunks: Iterable) -> None:
        """Append section ``sid`` from byte chunks or arrays (which may be produced lazily)."""
        f = self.file
        head = f.tell()
        f.write(struct.pack("<IQ", sid, 0))
        for c in chunks:
            f.write(c if isinstance(c, bytes | memoryview) else np.ascontiguousarray(c).tobytes())
        end = f.tell()
        f.seek(head)
        f.write(struct.pack("<IQ", sid, end - head - 12))
        f.seek(end)
        self.offsets[sid] = (head + 12, end - head - 12)

    def points(self, sid: int, chunk: int) -> Iterable[np.ndarray]:
        """The points of a section written here, ``chunk`` at a time."""
        self.file.flush()
        off, length = self.offsets[sid]
        size = G2_BYTES if is_g2(sid) else G1_BYTES
        shape = (2, 2, 4) if size == G2_BYTES else (2, 4)
        total = length // size
        for start in range(0, total, chunk):
            n = min(chunk, total - start)
            self.file.seek(off + start * size)
            data = self.file.read(n * size)
            yield np.frombuffer(data, dtype="<u8").reshape(n, *shape)
        self.file.seek(0, os.SEEK_END)

    def commit(self) -> None:
        self.out.commit()
        self.committed = True
