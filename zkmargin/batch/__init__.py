"""Batch proofs of margin: the statement, its reference encodings and the circuit base class.

Reference (pure Python): :func:`id_hash`, :func:`account_commitment`, :func:`account_leaf`, :func:`circuit_id`,
:class:`Statement`, the circuit's :class:`Shape`, the market's :class:`InstrumentTable` and
:class:`MarketVector`. Circuits: :class:`BatchCircuit` (subclassed by the model circuits in
``circuits/``), loaded with :func:`load_model_circuit`. Guide and costs: ``docs/circuits.md``.
"""

from zkmargin.batch.accounts import batch_tree, tree_depth
from zkmargin.batch.base import BatchCircuit
from zkmargin.batch.encoding import (
    MAX_ID_BYTES,
    account_commitment,
    account_leaf,
    circuit_id,
    id_hash,
)
from zkmargin.batch.loader import load_model_circuit
from zkmargin.batch.shape import Shape, check_account_fits, check_market_fits
from zkmargin.batch.slots import SlotWires, account_slots
from zkmargin.batch.statement import Statement
from zkmargin.batch.table import Column, InstrumentTable
from zkmargin.batch.vector import MarketVector, market_vector
from zkmargin.batch.wires import MONEY_BITS, AccountWires, MarketData

__all__ = [
    "MAX_ID_BYTES",
    "MONEY_BITS",
    "AccountWires",
    "BatchCircuit",
    "Column",
    "InstrumentTable",
    "MarketData",
    "MarketVector",
    "Shape",
    "SlotWires",
    "Statement",
    "account_commitment",
    "account_leaf",
    "account_slots",
    "batch_tree",
    "check_account_fits",
    "check_market_fits",
    "circuit_id",
    "id_hash",
    "load_model_circuit",
    "market_vector",
    "tree_depth",
]
