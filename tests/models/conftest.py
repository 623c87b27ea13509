"""Small markets for the model circuits, and compiled circuits cached per (model, market, size).

Markets are small (two or three instruments, short grids) so each circuit compiles in about a
second; every test of a model shares one compiled circuit per market shape.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zkmargin.batch import BatchCircuit, load_model_circuit
from zkmargin.dsl import CompiledCircuit, compile_circuit
from zkmargin.margin import Market

sys.path.insert(0, str(Path(__file__).parent))  # for ``import batch_cases``, ``circuit_markets``

from circuit_markets import market

Compiled = tuple[BatchCircuit, CompiledCircuit, Market]


@pytest.fixture(scope="session")
def compiled() -> Callable[[str, str, int], Compiled]:
    """``compiled(model, market_key, batch_size)``: (circuit object, compiled circuit, market)."""
    cache: dict[tuple[str, str, int], Compiled] = {}

    def get(model: str, key: str, batch_size: int) -> Compiled:
        if (model, key, batch_size) not in cache:
            m = market(key)
            circuit = load_model_circuit(model)(m, batch_size)
            cache[model, key, batch_size] = (circuit, compile_circuit(circuit), m)
        return cache[model, key, batch_size]

    return get
