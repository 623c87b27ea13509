"""Greeks-based margin: delta, gamma and vega charges per underlying group.

Per group u (each product rescaled as the reference does, over the slots in u): delta charge
``max(Σ ceil(q·d), −Σ floor(q·d))``, vega likewise, gamma ``max(0, Σ ceil(q·g))``;
``req_u = max(delta + gamma + vega + add-ons, SOM)`` (:mod:`zkmargin.batch.charges`);
maintenance ``Σ_u req_u``; initial ``ceil(maintenance × initial_factor / 10^6)``.
Table columns: ``group``, ``som``, ``add_on``, then ``delta``, ``gamma``, ``vega`` (per long
contract, money).
"""

from zkmargin.batch import MONEY_BITS, BatchCircuit, Column, Shape
from zkmargin.batch.arith import product, rescale_sum
from zkmargin.batch.charges import GroupedModel, GroupView, group_columns
from zkmargin.batch.table import RISK
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded, maximum
from zkmargin.margin import Market
from zkmargin.margin.fixed import QTY_SCALE
from zkmargin.margin.tables import build_tables

SENSITIVITIES = ("delta", "gamma", "vega")


class Greeks(GroupedModel, BatchCircuit):
    model = "greeks"
    name = "greeks"
    shape_fields = ("underlyings",)

    @classmethod
    def table_columns(cls, shape: Shape) -> tuple[Column, ...]:
        return (*group_columns(shape.underlyings), *(Column(g, *RISK) for g in SENSITIVITIES))

    @classmethod
    def table_rows(cls, market: Market, shape: Shape) -> list[list[int]]:
        t = build_tables(market, "greeks")
        charges = t.own_rows(exact=True)
        return [
            [int(t.group[j]), int(t.som[j]), int(t.add_on[j]), *map(int, charges[j])]
            for j in range(len(market.instruments))
        ]

    def risk_charge(self, api: API, view: GroupView) -> Bounded:
        sums = {}
        for label in SENSITIVITIES:
            terms = [
                product(api, view.quantity(k), view.row(k)[label], f"{label}[{k}]")
                for k in view.slots
            ]
            common = {"divisor": QTY_SCALE, "bits": MONEY_BITS}
            up = rescale_sum(api, terms, up=True, name=f"{label}_up", **common)
            if label == "gamma":
                with api.namespace("gamma"):
                    sums[label] = maximum(api, up, 0)
                continue
            down = rescale_sum(api, terms, up=False, name=f"{label}_down", **common)
            with api.namespace(label):
                sums[label] = maximum(api, up, -down)
        return sums["delta"] + sums["gamma"] + sums["vega"]
