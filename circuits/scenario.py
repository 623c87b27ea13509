"""Scenario-grid portfolio margin (SPAN-style; grids ``span16``, ``crypto``, ``finra10``).

Per underlying group u and scenario s the loss is ``Σ_(j in u) ceil(q_j × L[j, s] / 10^8)``;
``scan = max(0, max_s loss)`` (:func:`zkmargin.batch.arith.max_rescaled`);
``req_u = max(scan + add-ons, short-option minimum)`` with add-ons ``Σ ceil(|q| × add_on / 10^8)``
and SOM ``Σ ceil(short size × som / 10^8)``; maintenance ``Σ_u req_u``; initial
``ceil(maintenance × initial_factor / 10^6)``.
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import bounded_sum, max_rescaled, product, rescale_sum
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded, maximum
from zkmargin.margin.fixed import QTY_SCALE, RATE_SCALE


def group_charges(
    api: API, account: AccountWires, params: MarketParams, members: list[int]
) -> tuple[Bounded, Bounded]:
    """(add-ons, short-option minimum) of one underlying group: sums rescaled up."""
    add = [product(api, account.size(j), params.add_on[j], f"add_on[{j}]") for j in members]
    som = [product(api, account.short(j), params.som[j], f"som[{j}]") for j in members]
    up = {"divisor": QTY_SCALE, "up": True, "bits": MONEY_BITS, "signed": False}
    return rescale_sum(api, add, name="add_on", **up), rescale_sum(api, som, name="som", **up)


def level_requirement(api: API, maintenance: Bounded, params: MarketParams) -> Bounded:
    """The maintenance figure, or ``ceil(maintenance × initial_factor / 10^6)`` at initial level."""
    if params.level != "initial":
        return maintenance
    term = product(api, maintenance, params.initial_factor, "x_initial_factor")
    return rescale_sum(
        api, [term], RATE_SCALE, up=True, bits=MONEY_BITS, signed=False, name="initial"
    )


def members_of(params: MarketParams) -> list[list[int]]:
    """Instrument indices per underlying group (compile-time structure)."""
    return [[j for j, g in enumerate(params.group) if g == u] for u in range(params.n_groups)]


class Scenario(BatchCircuit):
    model = "scenario"
    name = "scenario"

    def requirement(self, api: API, account: AccountWires, params: MarketParams) -> Bounded:
        per_group = []
        for u, members in enumerate(members_of(params)):
            if not members:
                continue  # an underlying without instruments adds nothing
            with api.namespace(f"group[{u}]"):
                terms = [
                    [
                        product(api, account.positions[j], params.risk[j][s], f"loss[{j}][{s}]")
                        for j in members
                    ]
                    for s in range(params.n_scenarios)
                ]
                scan = max_rescaled(api, terms, QTY_SCALE, bits=MONEY_BITS, name="scan")
                add, som = group_charges(api, account, params, members)
                with api.namespace("requirement"):
                    per_group.append(maximum(api, scan + add, som))
        return level_requirement(api, bounded_sum(api, per_group), params)
