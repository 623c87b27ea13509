"""Output folders that appear whole or not at all, and files written atomically.

:func:`staged_folder` yields a hidden temporary folder next to the destination; when the block
finishes without an exception the folder is renamed onto the destination in one step, otherwise
it is removed. A reader (or a verifier started too early) never sees half a report.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
>>> with staged_folder(out) as tmp:
...     _ = (tmp / "report.json").write_text("{}")
...     out.exists()
False
>>> sorted(p.name for p in out.iterdir())
['report.json']

A long ``prove`` builds its report in a *visible* partial folder, ``REPORT.partial`` beside
``REPORT`` (:func:`partial_folder`), which survives an interruption so the run can resume, and
is renamed onto ``REPORT`` by :func:`publish` at the end. Every file in it is written with
:func:`atomic_write` (temporary name in the same folder, then rename): a file is whole or absent.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zkmargin.errors import InputError
from zkmargin.formats.binfile import atomic_write as write_chunks_atomically
from zkmargin.formats.binfile import current_umask


def check_destination(out: str | Path, option: str = "--out") -> Path:
    """``out`` as a Path, refused (one line) if it exists and is not an empty folder."""
    out = Path(out)
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise InputError(option, "", f"{out} already exists; remove it or choose another folder")
    if not out.parent.is_dir():
        raise InputError(option, "", f"folder {out.parent} does not exist")
    return out


@contextmanager
def staged_folder(out: str | Path, option: str = "--out") -> Iterator[Path]:
    """Build a folder under a temporary name, then rename it to ``out`` (see module docstring)."""
    out = check_destination(out, option)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes 0700; give the usual mkdir mode
        if out.exists():
            out.rmdir()  # empty (checked above); a folder someone filled meanwhile raises here
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def partial_folder(out: Path) -> Path:
    """Where a resumable run builds ``out``: ``out.partial`` beside it."""
    return out.with_name(out.name + ".partial")


def publish(partial: Path, out: Path) -> None:
    """Rename the finished ``partial`` folder onto ``out`` (absent or empty) in one step."""
    os.chmod(partial, 0o777 & ~current_umask())
    if out.exists():
        out.rmdir()  # empty (checked when the run started); a folder filled meanwhile raises
    os.replace(partial, out)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` under a temporary name, flushed, then renamed onto it."""
    write_chunks_atomically(path, (data,))
