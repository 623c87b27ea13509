"""Output folders appear whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from zkmargin.errors import InputError
from zkmargin.solvency.staging import staged_folder


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with pytest.raises(RuntimeError), staged_folder(out) as tmp:
        (tmp / "report.json").write_text("{}")
        raise RuntimeError("proving failed halfway")
    assert list(tmp_path.iterdir()) == []


def test_empty_folder_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    with staged_folder(out) as tmp:
        (tmp / "a").write_text("1")
    assert [p.name for p in out.iterdir()] == ["a"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_existing_output_is_refused(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "report"
    if kind == "file":
        out.write_text("x")
    else:
        out.mkdir()
        (out / "old.json").write_text("{}")
    with pytest.raises(InputError, match="already exists"), staged_folder(out):
        pass


def test_missing_parent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"), staged_folder(tmp_path / "a" / "b"):
        pass
