"""The worked example of docs/circuits.md, run as written: a researcher's model file loaded by
path, agreeing with its own reference, refusing an under-margined account."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from batch_cases import acct, first_failure
from circuit_markets import market

from zkmargin.batch import BatchCircuit, load_model_circuit
from zkmargin.dsl import compile_circuit

DOC = Path(__file__).resolve().parents[2] / "docs" / "circuits.md"


@pytest.fixture(scope="module")
def flat_rate(tmp_path_factory) -> type[BatchCircuit]:
    text = DOC.read_text("utf-8")
    code = re.search(r"<!-- example: flat_rate.py -->\n```python\n(.*?)```", text, re.S).group(1)
    path = tmp_path_factory.mktemp("research") / "flat_rate.py"
    path.write_text(code, "utf-8")
    return load_model_circuit(str(path))


def test_documented_model_loads_compiles_and_agrees(flat_rate):
    cross = market("cross")
    circuit = flat_rate(cross, 2)
    cc = compile_circuit(circuit)
    accounts = [
        acct("long", {"BTC-PERP": "3", "ETH-PERP": "-7.5"}, {"USDT": "20000"}),
        acct(
            "thin", {"BTC-PERP": "1"}, {"USDT": "879.99999999"}
        ),  # 4 % of 20000 = 800, +10 % buffer
    ]
    inputs, statement = flat_rate.witness_inputs(cross, accounts, [1, 2], 0, 0, batch_size=2)
    witness = cc.solve(inputs)
    collateral, requirement, _ = flat_rate.reference_figures(cross, accounts)
    assert circuit.figures(witness) == list(zip(collateral, requirement, strict=True))
    assert requirement[1] == 800 * 10**8
    assert first_failure(cc, witness) == "account[1]/margin/covered/recompose"
    assert statement.circuit_id == circuit.circuit_id
