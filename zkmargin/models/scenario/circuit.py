"""Scenario-grid portfolio margin (SPAN-style; grids ``span16``, ``crypto``, ``finra10``).

Per underlying group u and scenario s the loss is ``Σ_(slots k in u) ceil(q_k × L[k, s] / 10^8)``;
``scan = max(0, max_s loss)`` (:func:`zkmargin.batch.arith.max_rescaled`);
``req_u = max(scan + add-ons, short-option minimum)`` (:mod:`zkmargin.batch.charges`);
maintenance ``Σ_u req_u``; initial ``ceil(maintenance × initial_factor / 10^6)``.
Table columns: ``group``, ``som``, ``add_on``, then ``risk[s]`` per scenario (loss per long
contract, money; scenarios past the market's grid are 0).
"""

from zkmargin.batch import MONEY_BITS, BatchCircuit, Column, Shape
from zkmargin.batch.arith import max_rescaled, product
from zkmargin.batch.charges import GroupedModel, GroupView, group_columns
from zkmargin.batch.table import RISK
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded
from zkmargin.margin import Market
from zkmargin.margin.fixed import QTY_SCALE
from zkmargin.margin.tables import build_tables


class Scenario(GroupedModel, BatchCircuit):
    model = "scenario"
    name = "scenario"
    shape_fields = ("underlyings", "scenarios")

    @classmethod
    def table_columns(cls, shape: Shape) -> tuple[Column, ...]:
        risk = tuple(Column(f"risk[{s}]", *RISK) for s in range(shape.scenarios))
        return (*group_columns(shape.underlyings), *risk)

    @classmethod
    def table_rows(cls, market: Market, shape: Shape) -> list[list[int]]:
        t = build_tables(market, "scenario")
        risk = t.own_rows(exact=True)
        pad = [0] * (shape.scenarios - risk.shape[1])
        return [
            [int(t.group[j]), int(t.som[j]), int(t.add_on[j]), *map(int, risk[j]), *pad]
            for j in range(len(market.instruments))
        ]

    def risk_charge(self, api: API, view: GroupView) -> Bounded:
        terms = [
            [
                product(api, view.quantity(k), view.row(k)[f"risk[{s}]"], f"loss[{k}][{s}]")
                for k in view.slots
            ]
            for s in range(self.shape.scenarios)
        ]
        return max_rescaled(api, terms, QTY_SCALE, bits=MONEY_BITS, name="scan")
