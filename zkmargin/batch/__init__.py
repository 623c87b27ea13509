"""Batch proofs of margin: the statement, its reference encodings and the circuit base class.

Reference (pure Python): :func:`id_hash`, :func:`account_leaf`, :func:`market_hash`,
:func:`circuit_id`, :class:`Statement`. Circuits: :class:`BatchCircuit` (subclassed by the
model circuits in ``circuits/``), loaded with :func:`load_model_circuit`. Guide and costs:
``docs/circuits.md``.
"""

from zkmargin.batch.accounts import account_vectors, batch_tree, leaf_for, tree_depth
from zkmargin.batch.circuit import MONEY_BITS, AccountWires, BatchCircuit
from zkmargin.batch.encoding import MAX_ID_BYTES, account_leaf, circuit_id, id_hash
from zkmargin.batch.loader import load_model_circuit
from zkmargin.batch.market_params import MarketParams, market_hash, market_params
from zkmargin.batch.statement import Statement

__all__ = [
    "MAX_ID_BYTES",
    "MONEY_BITS",
    "AccountWires",
    "BatchCircuit",
    "MarketParams",
    "Statement",
    "account_leaf",
    "account_vectors",
    "batch_tree",
    "circuit_id",
    "id_hash",
    "leaf_for",
    "load_model_circuit",
    "market_hash",
    "market_params",
    "tree_depth",
]
