"""Greeks-based margin: delta, gamma and vega charges per underlying group.

Per group (each product rescaled as the reference does): delta charge
``max(Σ ceil(q·d), −Σ floor(q·d))``, vega likewise, gamma ``max(0, Σ ceil(q·g))``;
``req_u = max(delta + gamma + vega + add-ons, SOM)``; maintenance ``Σ_u req_u``; initial
``ceil(maintenance × initial_factor / 10^6)``. Table columns: delta, gamma, vega.
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import product, rescale_sum
from zkmargin.batch.charges import grouped_requirement
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded, maximum
from zkmargin.margin.fixed import QTY_SCALE

DELTA, GAMMA, VEGA = 0, 1, 2


class Greeks(BatchCircuit):
    model = "greeks"
    name = "greeks"

    def requirement(self, api: API, account: AccountWires, params: MarketParams) -> Bounded:
        def sensitivities(members: list[int]) -> Bounded:
            sums = {}
            for col, label in ((DELTA, "delta"), (GAMMA, "gamma"), (VEGA, "vega")):
                terms = [
                    product(api, account.positions[j], params.risk[j][col], f"{label}[{j}]")
                    for j in members
                ]
                common = {"divisor": QTY_SCALE, "bits": MONEY_BITS}
                up = rescale_sum(api, terms, up=True, name=f"{label}_up", **common)
                if col == GAMMA:
                    with api.namespace("gamma"):
                        sums[label] = maximum(api, up, 0)
                    continue
                down = rescale_sum(api, terms, up=False, name=f"{label}_down", **common)
                with api.namespace(label):
                    sums[label] = maximum(api, up, -down)
            return sums["delta"] + sums["gamma"] + sums["vega"]

        return grouped_requirement(api, account, params, sensitivities)
