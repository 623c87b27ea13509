"""Files written whole or not at all, with the permissions they are meant to have."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from zkmargin.atomic_files import PRIVATE, PUBLISHED, AtomicFile, atomic_file, atomic_write


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_an_explicit_mode_holds_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    with umask(mask):
        atomic_write(tmp_path / "public.json", b"{}", PUBLISHED)
        atomic_write(tmp_path / "receipt.json", b"{}", PRIVATE)
    assert mode(tmp_path / "public.json") == 0o644
    assert mode(tmp_path / "receipt.json") == 0o600


def test_without_a_mode_a_file_gets_open_s_default_not_the_temporary_file_s(
    tmp_path: Path,
) -> None:
    with umask(0o022):
        atomic_write(tmp_path / "a", b"x")
    with umask(0o077):
        atomic_write(tmp_path / "b", b"x")
    assert (mode(tmp_path / "a"), mode(tmp_path / "b")) == (0o644, 0o600)


def test_rewriting_a_file_gives_it_the_new_mode(tmp_path: Path) -> None:
    target = tmp_path / "key"
    atomic_write(target, b"old", PRIVATE)
    atomic_write(target, b"new", PUBLISHED)
    assert (target.read_bytes(), mode(target)) == (b"new", 0o644)


def test_chunks_are_written_in_order(tmp_path: Path) -> None:
    atomic_write(tmp_path / "f", (bytes([i]) * 3 for i in range(4)))
    assert (tmp_path / "f").read_bytes() == b"\0\0\0\1\1\1\2\2\2\3\3\3"
    atomic_write(tmp_path / "g", memoryview(b"view"))
    assert (tmp_path / "g").read_bytes() == b"view"


def test_an_exception_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    atomic_write(target, b"previous", PUBLISHED)

    def chunks() -> Iterator[bytes]:
        yield b"half of "
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        atomic_write(target, chunks(), PUBLISHED)
    assert target.read_bytes() == b"previous"
    assert names(tmp_path) == ["report.json"]


def test_an_exception_leaves_no_file_where_there_was_none(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), atomic_file(tmp_path / "big.ptau") as out:
        out.write(b"\0" * 1000)
        raise KeyboardInterrupt
    assert names(tmp_path) == []


def test_a_failed_rename_leaves_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "inside").write_bytes(b"")
    with pytest.raises(OSError):
        atomic_write(tmp_path / "taken", b"x")  # a non-empty folder cannot be replaced
    assert names(tmp_path) == ["taken"]


def test_a_streamed_file_is_invisible_until_committed_and_readable_meanwhile(
    tmp_path: Path,
) -> None:
    target = tmp_path / "big.ptau"
    block = bytes(range(256)) * 4096  # 1 MiB
    with atomic_file(target, PUBLISHED) as out:
        for _ in range(8):
            out.write(block)
        assert not target.exists()
        out.seek(3 * len(block) + 5)
        assert out.read(3) == block[5:8]  # sections written so far can be read back
        out.seek(0, os.SEEK_END)
        [temporary] = names(tmp_path)
        assert temporary.startswith(".big.ptau.") and temporary.endswith(".tmp")
    assert target.stat().st_size == 8 * len(block)
    assert target.read_bytes()[: len(block)] == block
    assert (mode(target), names(tmp_path)) == (0o644, ["big.ptau"])


def test_a_discarded_file_leaves_the_target_alone(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_bytes(b"kept")
    out = AtomicFile(target, PRIVATE)
    out.file.write(b"dropped")
    out.discard()
    assert (target.read_bytes(), names(tmp_path)) == (b"kept", ["t"])
