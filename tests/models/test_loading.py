"""The new circuits load by name (``--circuit isolated``, ``--circuit health``) and inspect."""

from __future__ import annotations

import copy
import json

import pytest
from circuit_markets import MARKETS
from click.testing import CliRunner

from zkmargin.batch import load_model_circuit
from zkmargin.cli import main
from zkmargin.dsl import compile_circuit
from zkmargin.margin import parse_market


@pytest.mark.parametrize(
    "name,model", [("isolated", "cross"), ("health", "cross"), ("health_portfolio", "scenario")]
)
def test_loaded_by_name_with_their_market_encoding(name, model):
    cls = load_model_circuit(name)
    assert (cls.circuit_name(), cls.model) == (name, model)


@pytest.mark.parametrize(
    "name,namespaces",
    [("isolated", {"isolated[*]", "cross", "extra"}), ("health", {"health", "requirement"})],
)
def test_inspect_shows_the_model_parts(tmp_path, name, namespaces):
    path = tmp_path / "market.json"
    path.write_text(json.dumps(MARKETS["cross"]), "utf-8")
    args = ["inspect", name, "--market", str(path), "-p", "batch_size=1", "--depth", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    shown = {line.split()[0] for line in result.output.splitlines()[2:]}
    assert {f"account[*]/{n}" for n in namespaces} <= shown


@pytest.mark.parametrize(
    "name,parts",
    [("isolated", ("requirement", "isolated[*]", "extra")), ("health", ("requirement",))],
)
def test_cost_grows_linearly_in_slots(name, parts):
    """Per account, each position slot adds the same requirement and per-position parts,
    whatever the market lists (the leaf grows by sponge blocks of 16 inputs, so it is left
    out)."""
    doc = copy.deepcopy(MARKETS["cross"])
    perp = doc["instruments"]["BTC-PERP"] | {"brackets": [["0", "0.005", "0.02"]]}
    doc["instruments"] = {f"P{j}": perp for j in range(5)}
    market = parse_market(doc, "5.json")

    def by_part(slots: int) -> dict[str, int]:
        circuit = load_model_circuit(name)(market, 1, slots=slots)
        return {r.namespace: r.constraints for r in compile_circuit(circuit).stats(depth=2)}

    costs = [by_part(k) for k in (1, 2, 3)]
    per = [sum(c[f"account[*]/{k}"] for k in parts) for c in costs]
    assert per[2] - per[1] == per[1] - per[0] > 0
