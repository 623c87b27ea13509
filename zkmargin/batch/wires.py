"""The wires a batch circuit hands its model: one account's, and the market's data.

:data:`MONEY_BITS` bounds every per-account money figure the circuits prove.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zkmargin.batch.slots import SlotWires
from zkmargin.batch.table import InstrumentTable
from zkmargin.batch.vector import MarketVector
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded

MONEY_BITS = 72
"""Width of every per-account money figure (10^-8 units): below 2^72, about 4.7·10^13."""
BALANCE_BITS = 64


@dataclass
class AccountWires:
    """One account inside ``define``: its proven slots (each with its table row) and balances.

    ``slots[k].quantity`` is signed (``[-2^63, 2^63)``), ``slots[k].row[column]`` the slot's
    table row (0 for an unused slot's quantity, whatever its row), ``balances[j]`` unsigned
    64-bit (asset order, padded to the shape's assets).
    """

    api: API
    index: int
    slots: list[SlotWires]
    balances: list[Bounded]
    extra: list[Bounded] = field(default_factory=list)
    """The model's extra leaf values (:meth:`BatchCircuit.check_extra`), if any."""
    notes: dict[str, Any] = field(default_factory=dict)
    """Values a model's hooks hand each other (e.g. group flags, both levels' requirements)."""


@dataclass(frozen=True)
class MarketData:
    """What a market gives a circuit of one shape: the vector and (if read) the table."""

    vector: MarketVector[int]
    table: InstrumentTable | None

    @property
    def table_root(self) -> int:
        return self.table.root if self.table is not None else 0
