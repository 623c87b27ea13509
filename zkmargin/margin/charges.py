"""Small shared pieces of the per-account models: grouped per-contract sums, SOM and add-ons.

Each function takes the arithmetic (:mod:`zkmargin.margin.arith`), a position matrix ``q``
(accounts × instruments, quantity scale) and per-instrument constants, and returns one figure
per account and underlying group (money scale).

Accounts hold a few of many instruments, so sums run over the non-zero positions only; a zero
position contributes exactly zero under either rounding, so skipping it changes nothing.
"""

from __future__ import annotations

import numpy as np

from zkmargin.margin.arith import Arith
from zkmargin.margin.fixed import QTY_SCALE


def grouped(
    ar: Arith, q: np.ndarray, table: np.ndarray, group: np.ndarray, groups: int, *, up: bool = True
) -> np.ndarray:
    """``round(Σ_(i in g) q_i × table[i, ...] / 10^8)`` per account and group ``g``.

    The exact sum is rounded once (``up``: ceiling, else floor), against the account: the
    circuit proves its figure on the same side of the exact sum, so it can never be better for
    the prover than this one. ``table`` is instruments × ... (e.g. × scenarios); the result
    accounts × groups × ...
    """
    out = ar.zeros((q.shape[0], groups, *table.shape[1:]))
    rows, cols = np.nonzero(q != 0)
    if rows.size:
        extra = (slice(None),) + (None,) * (table.ndim - 1)
        np.add.at(out, (rows, group[cols]), q[rows, cols][extra] * table[cols])
    return ar.ceil(out, QTY_SCALE) if up else ar.floor(out, QTY_SCALE)


def short_option_minimum(
    ar: Arith, q: np.ndarray, som: np.ndarray, group: np.ndarray, groups: int
) -> np.ndarray:
    """Short-option minimum per group: Σ over short options of ``ceil(|q| × SOM per contract)``.

    ``som`` is zero for non-options, so only short option positions contribute.
    """
    return grouped(ar, np.maximum(-q, 0), som, group, groups)


def add_ons(ar: Arith, q: np.ndarray, add_on: np.ndarray, group: np.ndarray, groups: int):
    """Add-on per group: Σ over instruments of ``ceil(|q| × add-on per contract)``."""
    return grouped(ar, np.abs(q), add_on, group, groups)
