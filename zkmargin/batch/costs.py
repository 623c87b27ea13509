"""Constraints per account and per batch of a model circuit on a market (``python -m
zkmargin.batch.costs`` prints them for the bundled example market).

A batch of n slots costs about ``fixed + n × per_account``: ``per_account`` is measured as
the difference between batch sizes 2 and 1, i.e. one account slot, its two padding
constraints and one 240-constraint tree node (a tree over n slots has about n − 1 nodes that
are not constant-folded; exactly n − 1 when n is a power of two). ``fixed`` is the rest: the
market hash and the statement hash.

>>> from zkmargin.margin import parse_market
>>> market = parse_market({"epoch": "2026-11-20T08:00:00Z", "assets": {"USDT": {"price": "1"}},
...     "underlyings": {"BTC": {"price": "20000"}},
...     "instruments": {"BTC-PERP": {"kind": "perpetual", "underlying": "BTC",
...                                  "brackets": [["0", "0.005", "0.02"]]}},
...     "model": {"name": "cross"}})
>>> cost = circuit_cost("collateral", market)
>>> cost.per_account == cost.by_part["<account>"] + 2 + 240, cost.fixed > 0
(True, True)
"""

from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass

from zkmargin.batch.loader import load_model_circuit
from zkmargin.dsl import compile_circuit
from zkmargin.errors import InputError
from zkmargin.margin import Market, example_paths, parse_market
from zkmargin.models.registry import market_models, specs


@dataclass(frozen=True)
class CircuitCost:
    """Constraints of ``circuit`` on a market: per account slot, per batch, and per part of
    one account (``position[*]``, ``leaf``, ``collateral``, ``requirement``, ...)."""

    circuit: str
    per_account: int
    fixed: int
    by_part: dict[str, int]

    def batch(self, n: int) -> int:
        """Constraints of a batch of n slots."""
        return self.fixed + n * self.per_account


def circuit_cost(circuit: str, market: Market, **params: object) -> CircuitCost:
    """Measure ``circuit`` (a name or path, see :func:`load_model_circuit`) on ``market``, at
    the shape inferred from it with ``params`` (``slots``, ``instruments``, ...) overriding."""
    cls = load_model_circuit(circuit)
    one = compile_circuit(cls(market, 1, **params))
    two = compile_circuit(cls(market, 2, **params))
    per = two.r1cs.n_constraints - one.r1cs.n_constraints
    parts = {"<account>": 0}
    for row in one.stats(depth=2):
        if row.namespace.startswith("account[*]/"):
            parts[row.namespace.split("/", 1)[1]] = row.constraints
        elif row.namespace == "account[*]":
            parts["<account>"] = row.constraints
    return CircuitCost(circuit, per, one.r1cs.n_constraints - per, parts)


def example_markets() -> dict[str, Market]:
    """The bundled example under each market model that can margin it (cross keeps the
    instruments that have brackets)."""
    doc = json.loads(example_paths()[0].read_text("utf-8"))
    out = {}
    for model in market_models():
        d = copy.deepcopy(doc)
        if model == "cross":
            d["instruments"] = {k: v for k, v in d["instruments"].items() if "brackets" in v}
        d["model"] = {**d["model"], "name": model}
        try:
            out[model] = parse_market(d, f"example ({model})")
        except InputError:  # a model the example carries no data for
            continue
    return out


def main() -> None:
    markets = example_markets()
    for circuit in specs():  # each on its model's market (health's on cross, ...)
        model = load_model_circuit(circuit).model
        if model not in markets:
            print(f"{circuit:<10} (the example market has no data for model {model!r})")
            continue
        market = markets[model]
        cost = circuit_cost(circuit, market)
        shape = f"I={len(market.instruments)} A={len(market.assets)} U={len(market.underlyings)}"
        parts = ", ".join(f"{k} {v}" for k, v in cost.by_part.items() if k != "<account>")
        print(
            f"{circuit:<10} {shape}: {cost.per_account:>6} per account, {cost.fixed:>6} per batch"
        )
        print(f"           ({parts})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
