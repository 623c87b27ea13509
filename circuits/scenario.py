"""Scenario-grid portfolio margin (SPAN-style; grids ``span16``, ``crypto``, ``finra10``).

Per underlying group u and scenario s the loss is ``Σ_(j in u) ceil(q_j × L[j, s] / 10^8)``;
``scan = max(0, max_s loss)`` (:func:`zkmargin.batch.arith.max_rescaled`);
``req_u = max(scan + add-ons, short-option minimum)`` (:mod:`zkmargin.batch.charges`);
maintenance ``Σ_u req_u``; initial ``ceil(maintenance × initial_factor / 10^6)``.
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import max_rescaled, product
from zkmargin.batch.charges import grouped_requirement
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded
from zkmargin.margin.fixed import QTY_SCALE


class Scenario(BatchCircuit):
    model = "scenario"
    name = "scenario"

    def requirement(self, api: API, account: AccountWires, params: MarketParams) -> Bounded:
        def scan(members: list[int]) -> Bounded:
            terms = [
                [
                    product(api, account.positions[j], params.risk[j][s], f"loss[{j}][{s}]")
                    for j in members
                ]
                for s in range(params.n_scenarios)
            ]
            return max_rescaled(api, terms, QTY_SCALE, bits=MONEY_BITS, name="scan")

        return grouped_requirement(api, account, params, scan)
