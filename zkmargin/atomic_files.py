"""Files that appear whole or not at all: written under a temporary name beside the target,
flushed to disk, then renamed over it in one step.

A reader never sees half a file, and a crash, a full disk or an exception while writing leaves
the previous file (or none) in place. Every file zkmargin writes goes through here, so the
permissions are decided in one place: ``mode`` is given explicitly (:data:`PUBLISHED` 0644,
:data:`PRIVATE` 0600) or left to ``open()``'s default, 0666 less the umask — never the 0600
that the temporary file is created with.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "claims.json"
>>> atomic_write(path, b"{}", PUBLISHED)
>>> oct(path.stat().st_mode & 0o777), path.read_bytes()
('0o644', b'{}')

Big files are streamed (:func:`atomic_file`), and can be read back before they are committed:

>>> with atomic_file(path, PRIVATE) as out:
...     _ = out.write(b"section")
...     _ = out.seek(0)
...     out.read()
b'section'
>>> oct(path.stat().st_mode & 0o777), sorted(p.name for p in path.parent.iterdir())
('0o600', ['claims.json'])
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PUBLISHED = 0o644
"""Mode of a file meant to be read by anyone (a report's proofs, keys, statements)."""

PRIVATE = 0o600
"""Mode of a file only its owner may read (receipts, witnesses, salts)."""

TEMPORARY_SUFFIX = ".tmp"
"""Ends the name of a file being written: ``.NAME.<random>.tmp`` beside ``NAME``."""


def current_umask() -> int:
    """The process's umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class AtomicFile:
    """A file being written under a temporary name beside ``path``: :attr:`file` (opened for
    writing and reading back) becomes ``path`` on :meth:`commit`, or vanishes on :meth:`discard`.
    """

    def __init__(self, path: str | os.PathLike[str], mode: int | None = None) -> None:
        self.target = Path(path)
        self.mode = 0o666 & ~current_umask() if mode is None else mode
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=TEMPORARY_SUFFIX, dir=self.target.parent
        )
        self.temporary = Path(tmp)
        self.file: BinaryIO = os.fdopen(fd, "w+b")

    def commit(self) -> None:
        """Flush the file to disk, give it its mode and rename it over the target."""
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            os.fchmod(self.file.fileno(), self.mode)
            self.file.close()
            os.replace(self.temporary, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        self.file.close()
        self.temporary.unlink(missing_ok=True)


@contextmanager
def atomic_file(path: str | os.PathLike[str], mode: int | None = None) -> Iterator[BinaryIO]:
    """Stream a file into place: the block writes (and may read back) the yielded file, which
    replaces ``path`` when the block ends normally and is removed when it raises."""
    out = AtomicFile(path, mode)
    try:
        yield out.file
    except BaseException:
        out.discard()
        raise
    out.commit()


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | Iterable[bytes],
    mode: int | None = None,
) -> None:
    """Write ``data`` (bytes, or byte chunks produced lazily) to ``path`` atomically."""
    with atomic_file(path, mode) as out:
        for chunk in (data,) if isinstance(data, bytes | bytearray | memoryview) else data:
            out.write(chunk)
