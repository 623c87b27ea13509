"""Fixtures for the margin tests: small market documents built in code, written to disk."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from margin.samples import BASE


@pytest.fixture
def market_doc() -> dict[str, Any]:
    """A fresh deep copy of a small valid market document (edit it freely)."""
    return copy.deepcopy(BASE)


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any, str], Path]:
    """Write a document as pretty JSON into the test's folder; returns the path."""

    def write(doc: Any, name: str = "market.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_text(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write raw text into the test's folder; returns the path."""

    def write(text: str, name: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
