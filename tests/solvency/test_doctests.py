"""The examples in the solvency modules' docstrings run as tests."""

from __future__ import annotations

import doctest

import pytest

from zkmargin.solvency import layout, receipts, report, staging


@pytest.mark.parametrize("module", [layout, receipts, report, staging], ids=lambda m: m.__name__)
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
