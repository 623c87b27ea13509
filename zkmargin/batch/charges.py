"""Per-group charges shared by the scenario and Greeks model circuits.

:func:`grouped_requirement` is their common frame; each model supplies only its risk charge.
Mirrors :mod:`zkmargin.margin.charges` (add-ons, short-option minimum) and the initial-level
rule of the reference calculator: ``initial = ceil(maintenance × initial_factor / 10^6)``.
"""

from __future__ import annotations

from collections.abc import Callable

from zkmargin.batch.arith import bounded_sum, product, rescale_sum
from zkmargin.batch.circuit import MONEY_BITS, AccountWires
from zkmargin.batch.market_params import MarketParams
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded, maximum
from zkmargin.margin.fixed import QTY_SCALE, RATE_SCALE


def members_of(params: MarketParams) -> list[list[int]]:
    """Instrument indices per underlying group (compile-time structure)."""
    return [[j for j, g in enumerate(params.group) if g == u] for u in range(params.n_groups)]


def group_charges(
    api: API, account: AccountWires, params: MarketParams, members: list[int]
) -> tuple[Bounded, Bounded]:
    """(add-ons ``Σ ceil(|q| × add_on / 10^8)``, short-option minimum ``Σ ceil(short size × som
    / 10^8)``) of one underlying group, each sum in one rescale (``add_on/...``, ``som/...``)."""
    add = [product(api, account.size(j), params.add_on[j], f"add_on[{j}]") for j in members]
    som = [product(api, account.short(j), params.som[j], f"som[{j}]") for j in members]
    up = {"divisor": QTY_SCALE, "up": True, "bits": MONEY_BITS, "signed": False}
    return rescale_sum(api, add, name="add_on", **up), rescale_sum(api, som, name="som", **up)


def level_requirement(api: API, maintenance: Bounded, params: MarketParams) -> Bounded:
    """The maintenance figure, or ``ceil(maintenance × initial_factor / 10^6)`` (exact,
    ``initial/...``) at the initial level."""
    if params.level != "initial":
        return maintenance
    term = product(api, maintenance, params.initial_factor, "x_initial_factor")
    return rescale_sum(
        api, [term], RATE_SCALE, up=True, bits=MONEY_BITS, signed=False, name="initial"
    )


def grouped_requirement(
    api: API,
    account: AccountWires,
    params: MarketParams,
    risk_charge: Callable[[list[int]], Bounded],
) -> Bounded:
    """``level_requirement(Σ_u req_u)`` with ``req_u = max(risk_charge(members of u) + add-ons,
    short-option minimum)``; each group's constraints under ``group[u]/...``.

    ``risk_charge`` is called inside the group's namespace (before the add-ons), so its
    constraint names are relative to ``group[u]``. Groups without instruments add nothing.
    """
    per_group = []
    for u, members in enumerate(members_of(params)):
        if not members:
            continue
        with api.namespace(f"group[{u}]"):
            risk = risk_charge(members)
            add, som = group_charges(api, account, params, members)
            with api.namespace("requirement"):
                per_group.append(maximum(api, risk + add, som))
    return level_requirement(api, bounded_sum(api, per_group), params)
