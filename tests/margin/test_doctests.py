"""The docstring examples of the margin layer's public modules run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "zkmargin.margin", "zkmargin.margin.fixed", "zkmargin.margin.domain", "zkmargin.margin.schema",
    "zkmargin.margin.market", "zkmargin.margin.accounts", "zkmargin.margin.arith",
    "zkmargin.margin.tables", "zkmargin.margin.collateral", "zkmargin.margin.brackets",
    "zkmargin.margin.scenario", "zkmargin.margin.health", "zkmargin.margin.calculator",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
