"""Greeks-based margin: delta, gamma and vega charges per underlying group.

Per group (each product rescaled as the reference does): delta charge
``max(Σ ceil(q·d), −Σ floor(q·d))``, vega likewise, gamma ``max(0, Σ ceil(q·g))``;
``req_u = max(delta + gamma + vega + add-ons, SOM)``; maintenance ``Σ_u req_u``; initial
``ceil(maintenance × initial_factor / 10^6)``. Table columns: delta, gamma, vega.
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import bounded_sum, product, rescale_sum
from zkmargin.batch.charges import group_charges, level_requirement, members_of
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded, maximum
from zkmargin.margin.fixed import QTY_SCALE

DELTA, GAMMA, VEGA = 0, 1, 2


class Greeks(BatchCircuit):
    model = "greeks"
    name = "greeks"

    def requirement(self, api: API, account: AccountWires, params: MarketParams) -> Bounded:
        per_group = []
        for u, members in enumerate(members_of(params)):
            if not members:
                continue  # an underlying without instruments adds nothing
            with api.namespace(f"group[{u}]"):
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
                add, som = group_charges(api, account, params, members)
                with api.namespace("requirement"):
                    total = sums["delta"] + sums["gamma"] + sums["vega"] + add
                    per_group.append(maximum(api, total, som))
        return level_requirement(api, bounded_sum(api, per_group), params)
