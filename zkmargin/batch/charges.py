"""Per-group charges shared by the scenario and Greeks model circuits, over position slots.

A slot's underlying group is its table row's ``group`` column; :func:`group_flags` turns it into
one-hot flags (``slot[k]/group/...``), and :class:`GroupView` masks the account's slots to one
group (``e_ku·q_k``). :class:`GroupedModel` is the models' common frame; each model
supplies only its risk charge. Mirrors :mod:`zkmargin.margin.charges` (add-ons, short-option
minimum) and the initial-level rule of the reference calculator:
``initial = ceil(maintenance × initial_factor / 10^6)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from zkmargin.batch.arith import bounded_sum, product, rescale_sum
from zkmargin.batch.shape import Shape
from zkmargin.batch.table import Column
from zkmargin.batch.vector import MarketVector
from zkmargin.batch.wires import MONEY_BITS, AccountWires
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded, maximum
from zkmargin.dsl.gadgets.bits import assert_bool
from zkmargin.margin.fixed import QTY_SCALE, RATE_SCALE, UNSIGNED_BOUND

U64 = (0, UNSIGNED_BOUND - 1)


def group_columns(n_groups: int) -> tuple[Column, ...]:
    """``group`` (in ``[0, U − 1]``), ``som`` and ``add_on`` (per contract, money): the columns
    every grouped model reads, before its own."""
    return (Column("group", 0, n_groups - 1), Column("som", *U64), Column("add_on", *U64))


def group_flags(api: API, account: AccountWires, n_groups: int) -> list[list[Bounded]]:
    """Per slot, ``e_ku = [group_k == u]`` (cached in ``account.notes``). One group: the
    constant 1 (the column's window is ``[0, 0]``); else booleans summing to 1 with
    ``Σ u·e_ku = group_k`` (``slot[k]/group/flag[u]``, ``.../one``, ``.../index``)."""
    if "group_flags" in account.notes:
        return account.notes["group_flags"]
    out = []
    for slot in account.slots:
        if n_groups == 1:
            out.append([Bounded.constant(api, 1)])
            continue
        with api.namespace(f"slot[{slot.k}]/group"):
            group = slot.row["group"]
            flags = api.hint(
                lambda g: [int(g == u) for u in range(n_groups)],
                group.lc,
                n_out=n_groups,
                name="flags",
            )
            for u, f in enumerate(flags):
                assert_bool(api, f, name=f"flag[{u}]")
            api.assert_equal(sum(flags[1:], flags[0]), 1, name="one")
            api.assert_equal(sum((f * u for u, f in enumerate(flags)), api.constant(0)), group.lc,
                             name="index")  # fmt: skip
            out.append([Bounded(api, f, 0, 1) for f in flags])
    account.notes["group_flags"] = out
    return out


@dataclass
class GroupView:
    """An account's slots masked to group ``u``: ``quantity(k)``, ``size(k)``, ``short(k)`` are
    the slot's figures times ``e_ku`` (one product each, on first use)."""

    api: API
    account: AccountWires
    u: int
    flags: list[list[Bounded]]
    _cache: dict[tuple[str, int], Bounded] = field(default_factory=dict)

    @property
    def slots(self) -> range:
        return range(len(self.account.slots))

    def row(self, k: int) -> dict[str, Bounded]:
        return self.account.slots[k].row

    def _masked(self, what: str, k: int, value: Callable[[], Bounded]) -> Bounded:
        if (what, k) not in self._cache:
            flag = self.flags[k][self.u]
            v = value()
            self._cache[what, k] = (
                v if flag.is_exact else product(self.api, flag, v, f"{what}[{k}]")
            )
        return self._cache[what, k]

    def quantity(self, k: int) -> Bounded:
        return self._masked("quantity", k, lambda: self.account.slots[k].quantity)

    def size(self, k: int) -> Bounded:
        return self._masked("size", k, lambda: self.account.slots[k].size())

    def short(self, k: int) -> Bounded:
        return self._masked("short", k, lambda: self.account.slots[k].short())


def group_charges(api: API, view: GroupView) -> tuple[Bounded, Bounded]:
    """(add-ons ``Σ ceil(|q| × add_on / 10^8)``, short-option minimum ``Σ ceil(short size × som
    / 10^8)``) of one group, each sum in one rescale (``add_on/...``, ``som/...``)."""
    add = [product(api, view.size(k), view.row(k)["add_on"], f"add_on[{k}]") for k in view.slots]
    som = [product(api, view.short(k), view.row(k)["som"], f"som[{k}]") for k in view.slots]
    up = {"divisor": QTY_SCALE, "up": True, "bits": MONEY_BITS, "signed": False}
    return rescale_sum(api, add, name="add_on", **up), rescale_sum(api, som, name="som", **up)


def level_requirement(api: API, maintenance: Bounded, vector: MarketVector, level: str) -> Bounded:
    """The maintenance figure, or ``ceil(maintenance × initial_factor / 10^6)`` (exact,
    ``initial/...``) at the initial level."""
    if level != "initial":
        return maintenance
    term = product(api, maintenance, vector.initial_factor, "x_initial_factor")
    return rescale_sum(
        api, [term], RATE_SCALE, up=True, bits=MONEY_BITS, signed=False, name="initial"
    )


class GroupedModel:
    """Mixin (before :class:`~zkmargin.batch.BatchCircuit`) for the grouped models: the model
    implements :meth:`risk_charge`; the requirement is ``level_requirement(maintenance)`` at the
    shape's level, the maintenance figure ``Σ_u req_u`` with ``req_u = max(risk_charge(view of
    u) + add-ons, short-option minimum)``, each group's constraints under ``group[u]/...``.
    Health (:class:`~zkmargin.batch.health.GroupedHealth`) reads :meth:`maintenance` directly.
    """

    shape: Shape

    def risk_charge(self, api: API, view: GroupView) -> Bounded:
        """The group's risk charge; called inside ``group[u]`` (before the add-ons), so its
        constraint names are relative to it."""
        raise NotImplementedError

    def maintenance(self, api: API, account: AccountWires) -> Bounded:
        """``Σ_u req_u`` (a group nobody holds adds 0)."""
        flags = group_flags(api, account, self.shape.underlyings)
        per_group = []
        for u in range(self.shape.underlyings):
            with api.namespace(f"group[{u}]"):
                view = GroupView(api, account, u, flags)
                risk = self.risk_charge(api, view)
                add, som = group_charges(api, view)
                with api.namespace("requirement"):
                    per_group.append(maximum(api, risk + add, som))
        return bounded_sum(api, per_group)

    def requirement(self, api: API, account: AccountWires, vector: MarketVector) -> Bounded:
        return level_requirement(api, self.maintenance(api, account), vector, self.shape.level)
