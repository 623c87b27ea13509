"""Small shared pieces of the per-account models: grouping by underlying, SOM and add-ons.

Each function takes the arithmetic (:mod:`zkmargin.margin.arith`), a position matrix ``q``
(accounts × instruments, quantity scale) and per-instrument constants, and returns one figure
per account and underlying group (money scale, rounded up: these are requirements).
"""

from __future__ import annotations

import numpy as np

from zkmargin.margin.arith import Arith
from zkmargin.margin.fixed import QTY_SCALE


def group_sum(ar: Arith, terms: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Sum ``terms`` (accounts × instruments × ...) over the instruments of each group.

    Returns accounts × groups × ...; a group without instruments sums to zero.
    """
    out = ar.zeros((terms.shape[0], groups, *terms.shape[2:]))
    for g in range(groups):
        cols = np.flatnonzero(group == g)
        if cols.size:
            out[:, g] = terms[:, cols].sum(axis=1)
    return out


def per_contract(ar: Arith, q: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """``ceil(q × amount / 10^8)`` per account and instrument: a per-contract charge scaled up."""
    return ar.ceil(q * amount[None, :], QTY_SCALE)


def short_option_minimum(
    ar: Arith, q: np.ndarray, som: np.ndarray, group: np.ndarray, groups: int
) -> np.ndarray:
    """Short-option minimum per group: Σ over short options of ``|q| × SOM per contract``.

    ``som`` is zero for non-options, so only short option positions contribute.
    """
    short = np.maximum(-q, 0)
    return group_sum(ar, per_contract(ar, short, som), group, groups)


def add_ons(ar: Arith, q: np.ndarray, add_on: np.ndarray, group: np.ndarray, groups: int):
    """Add-on per group: Σ over instruments of ``|q| × add-on per contract``."""
    return group_sum(ar, per_contract(ar, np.abs(q), add_on), group, groups)
