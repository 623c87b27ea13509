"""Notional brackets over position slots: the table columns, and each slot's bracket figures.

**Columns** (:func:`bracket_columns`): ``unit_notional`` (money per contract), then per bracket
``b`` below the shape's ``brackets``: ``floor[b]`` and, per requested level, the rate and the
cumulative amount (``mmr[b]``, ``mm_amount[b]`` for maintenance; ``imr[b]``, ``im_amount[b]``
for initial). Brackets past an instrument's own are padding: floor ``2^72 + b`` (above every
notional, which the circuit proves below ``2^72``), rate and amount 0, so no notional ever
selects one. The windows make every bracket table well formed: ``floor[0]`` and bracket 0's
amounts are ``[0, 0]`` (so an unused slot, quantity 0, sits in bracket 0 and adds nothing) and
on every listed row ``floor[b]`` exceeds ``floor[b − 1]`` (:attr:`~zkmargin.batch.table.Column.above`).

**Per slot** k (names under ``slot[k]/``), :func:`slot_brackets`:

    notional_k = ceil(|q_k| × unit notional_k / 10^8)    exact (``notional/...``)

and its bracket's columns (:func:`~zkmargin.batch.arith.bracket_select`: ``bracket_above[b]``
up to 3 brackets, else a hinted ``bracket/index``). The cross circuit sums the rate products
in one rescale; :func:`position_requirements` proves each position's figure exact,

    r_k(level) = ceil(notional_k × rate_k / 10^6) − amount_k   (``<level>_charge/...``)

for models that compare single positions with thresholds (isolated margin, health). One
instrument has one slot (indices strictly increase), so a position cannot be split over two
slots to stay in a cheaper bracket. :func:`position_terms` gives the unrounded terms, for a
model that sums a level's terms and rounds once (health).

>>> from zkmargin.batch.shape import Shape
>>> shape = Shape(batch_size=1, slots=1, instruments=2, assets=1, tiers=1, brackets=2)
>>> [c.name for c in bracket_columns(shape, ["maintenance"])]
['unit_notional', 'floor[0]', 'mmr[0]', 'mm_amount[0]', 'floor[1]', 'mmr[1]', 'mm_amount[1]']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from zkmargin.batch.arith import bracket_select, product, rescale_sum
from zkmargin.batch.shape import Shape
from zkmargin.batch.slots import SlotWires
from zkmargin.batch.table import Column
from zkmargin.batch.vector import UNREACHABLE_FLOOR
from zkmargin.batch.wires import MONEY_BITS, AccountWires
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded
from zkmargin.margin.domain import Market
from zkmargin.margin.fixed import QTY_SCALE, RATE_SCALE, UNSIGNED_BOUND
from zkmargin.margin.tables import build_tables

LEVELS = ("maintenance", "initial")
_NAMES = {"maintenance": ("mmr", "mm_amount"), "initial": ("imr", "im_amount")}
U64 = (0, UNSIGNED_BOUND - 1)


def _levels(levels: Sequence[str]) -> list[str]:
    if not levels or any(lvl not in LEVELS for lvl in levels):
        raise ValueError(f"levels must be among {LEVELS}")
    return [lvl for lvl in LEVELS if lvl in levels]


def bracket_columns(shape: Shape, levels: Sequence[str]) -> tuple[Column, ...]:
    """The bracket columns of ``shape`` for ``levels`` (module docstring)."""
    out = [Column("unit_notional", *U64)]
    top = UNREACHABLE_FLOOR + shape.brackets - 1
    for b in range(shape.brackets):
        out.append(Column(f"floor[{b}]", 0, 0 if b == 0 else top, f"floor[{b - 1}]" if b else None))
        for lvl in _levels(levels):
            rate, amount = _NAMES[lvl]
            out.append(Column(f"{rate}[{b}]", 0, RATE_SCALE))
            out.append(Column(f"{amount}[{b}]", 0, 0 if b == 0 else U64[1]))
    return tuple(out)


def bracket_rows(market: Market, shape: Shape, levels: Sequence[str]) -> list[list[int]]:
    """One row of :func:`bracket_columns` values per listed instrument, in the market's order."""
    unit = build_tables(market, "cross").unit_notional
    rows = []
    for j, name in enumerate(market.instrument_names):
        given = market.instruments[name].brackets
        row = [int(unit[j])]
        for b in range(shape.brackets):
            if b < len(given):
                br = given[b]
                row.append(br.floor)
                for lvl in _levels(levels):
                    initial = lvl == "initial"
                    row += [br.imr, br.im_amount] if initial else [br.mmr, br.mm_amount]
            else:
                row += [UNREACHABLE_FLOOR + b] + [0, 0] * len(_levels(levels))
        rows.append(row)
    return rows


class LevelBrackets:
    """Table hooks of a model that reads the bracket columns of its shape's level (cross,
    isolated): mix in before :class:`~zkmargin.batch.base.BatchCircuit`."""

    shape_fields: ClassVar[tuple[str, ...]] = ("brackets",)

    @classmethod
    def table_columns(cls, shape: Shape) -> tuple[Column, ...]:
        return bracket_columns(shape, [shape.level])

    @classmethod
    def table_rows(cls, market: Market, shape: Shape) -> list[list[int]]:
        return bracket_rows(market, shape, [shape.level])


def slot_brackets(
    api: API, slot: SlotWires, shape: Shape, levels: Sequence[str]
) -> tuple[Bounded, dict[str, Bounded]]:
    """(notional, ``{"<level>_rate": ..., "<level>_amount": ...}``) of one slot at its bracket,
    in namespace ``slot[k]``; the notional is exact (it picks the bracket)."""
    row = slot.row
    with api.namespace(f"slot[{slot.k}]"):
        notional = rescale_sum(
            api,
            [product(api, slot.size(), row["unit_notional"], "size_x_unit")],
            QTY_SCALE,
            up=True,
            bits=MONEY_BITS,
            signed=False,
            name="notional",
        )
        columns = {}
        for lvl in _levels(levels):
            rate, amount = _NAMES[lvl]
            columns[f"{lvl}_rate"] = [row[f"{rate}[{b}]"] for b in range(shape.brackets)]
            columns[f"{lvl}_amount"] = [row[f"{amount}[{b}]"] for b in range(shape.brackets)]
        floors = [row[f"floor[{b}]"] for b in range(shape.brackets)]
        picked = bracket_select(api, notional, floors, columns, bits=MONEY_BITS)
    return notional, picked


def position_terms(
    api: API, account: AccountWires, shape: Shape, levels: Sequence[str]
) -> dict[str, list[tuple[Bounded, Bounded]]]:
    """Per level, every slot's ``(notional × rate, amount)`` at its bracket, unrounded (both 0
    for an unused slot). Cost per slot: the notional (about 2(n + 1) + 30), the bracket
    selection, and one product per level, n = 72."""
    out: dict[str, list[tuple[Bounded, Bounded]]] = {lvl: [] for lvl in _levels(levels)}
    for slot in account.slots:
        notional, picked = slot_brackets(api, slot, shape, levels)
        with api.namespace(f"slot[{slot.k}]"):
            for lvl in out:
                rated = product(api, notional, picked[f"{lvl}_rate"], f"notional_x_{lvl}_rate")
                out[lvl].append((rated, picked[f"{lvl}_amount"]))
    return out


def position_requirements(
    api: API, account: AccountWires, shape: Shape, levels: Sequence[str]
) -> dict[str, list[Bounded]]:
    """Per level, every slot's exact bracket requirement ``r_k`` (module docstring; 0 for an
    unused slot): the terms of :func:`position_terms`, each rescaled exactly (about n + 44
    more per level)."""
    out: dict[str, list[Bounded]] = {}
    for lvl, terms in position_terms(api, account, shape, levels).items():
        out[lvl] = []
        for slot, (rated, amount) in zip(account.slots, terms, strict=True):
            with api.namespace(f"slot[{slot.k}]"):
                charge = rescale_sum(
                    api,
                    [rated],
                    RATE_SCALE,
                    up=True,
                    bits=MONEY_BITS,
                    signed=False,
                    name=f"{lvl}_charge",
                )
            out[lvl].append(charge - amount)
    return out


__all__ = [
    "LEVELS",
    "LevelBrackets",
    "bracket_columns",
    "bracket_rows",
    "position_requirements",
    "position_terms",
    "slot_brackets",
]
