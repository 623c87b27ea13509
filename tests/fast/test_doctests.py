"""The examples in the fast kernels' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "zkmargin.field.fast",
    "zkmargin.field.fast.jit",
    "zkmargin.field.fast.limbs",
    "zkmargin.field.fast.mont",
    "zkmargin.field.fast.convert",
    "zkmargin.field.fast_ntt",
    "zkmargin.curve.fast",
    "zkmargin.curve.fast.arkworks",
    "zkmargin.curve.fast.backend",
    "zkmargin.curve.fast.msm",
    "zkmargin.curve.fast.pippenger",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
