"""The docstring examples of zkmargin.batch run (pytest's default run does not collect doctests)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "zkmargin.batch.accounts",
    "zkmargin.batch.arith",
    "zkmargin.batch.circuit",
    "zkmargin.batch.costs",
    "zkmargin.batch.encoding",
    "zkmargin.batch.loader",
    "zkmargin.batch.market_params",
    "zkmargin.batch.statement",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
