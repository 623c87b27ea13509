"""The gadget docstrings' examples (costs, names, values) are part of the contract: run them."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "zkmargin.circuit.gadgets",
    "zkmargin.circuit.gadgets.bits",
    "zkmargin.circuit.gadgets.bounded",
    "zkmargin.circuit.gadgets.compare",
    "zkmargin.circuit.gadgets.fixed",
    "zkmargin.circuit.gadgets.minmax",
    "zkmargin.circuit.gadgets.packing",
    "zkmargin.circuit.gadgets.rangecheck",
    "zkmargin.circuit.gadgets.reference",
    "zkmargin.circuit.gadgets.select",
    "zkmargin.circuit.gadgets.sums",
    "zkmargin.circuit.gadgets.testing",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
