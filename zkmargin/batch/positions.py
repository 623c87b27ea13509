"""Per-position bracket requirements, each proven exact: what isolated margin and health need.

The cross circuit sums its rate products in one rescale (a requirement may sit a few 10^-8
above the reference, never below). Isolated positions and health states compare single
figures against thresholds, so here every position's figure is exact:

    notional_j = ceil(|q_j| × unit notional_j / 10^8)          (``instrument[j]/notional``)
    r_j(level) = ceil(notional_j × rate_j / 10^6) − amount_j   (``instrument[j]/<level>_charge``)

with the bracket's rate and amount (:func:`~zkmargin.batch.arith.bracket_select`) at each
requested level — one bracket selection serves both levels.

>>> from zkmargin.batch.positions import LEVELS
>>> LEVELS
('maintenance', 'initial')
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.batch.arith import bracket_select, product, rescale_sum
from zkmargin.batch.circuit import MONEY_BITS, AccountWires
from zkmargin.batch.table import MarketVector
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded
from zkmargin.margin.fixed import QTY_SCALE, RATE_SCALE

LEVELS = ("maintenance", "initial")


def instrument_notional(api: API, account: AccountWires, params: MarketVector, j: int) -> Bounded:
    """``ceil(|q_j| × unit notional_j / 10^8)``, exact, as wire ``notional`` (with
    ``size_x_unit``) in the current namespace: the cross circuit and the per-position
    requirements build it the same way (the shipped constraint systems depend on it)."""
    return rescale_sum(
        api,
        [product(api, account.size(j), params.unit_notional[j], "size_x_unit")],
        QTY_SCALE,
        up=True,
        bits=MONEY_BITS,
        signed=False,
        name="notional",
    )


def position_requirements(
    api: API, account: AccountWires, params: MarketVector, levels: Sequence[str]
) -> dict[str, list[Bounded]]:
    """Per level, every instrument's exact bracket requirement (module docstring).

    Needs the ``cross`` market encoding (brackets and unit notionals). Cost per instrument:
    the notional (about 2(n + 1) + 30), the bracket selection, and per level one product and
    one exact rescale (about n + 44), n = 72.
    """
    if any(lvl not in LEVELS for lvl in levels):
        raise ValueError(f"levels must be among {LEVELS}")
    out: dict[str, list[Bounded]] = {lvl: [] for lvl in levels}
    for j, rows in enumerate(params.brackets):
        with api.namespace(f"instrument[{j}]"):
            notional = instrument_notional(api, account, params, j)
            columns = {}
            for lvl in levels:
                initial = lvl == "initial"
                columns[f"{lvl}_rate"] = [r.imr if initial else r.mmr for r in rows]
                columns[f"{lvl}_amount"] = [r.im_amount if initial else r.mm_amount for r in rows]
            picked = bracket_select(
                api, notional, [r.floor for r in rows], columns, bits=MONEY_BITS
            )
            for lvl in levels:
                charge = rescale_sum(
                    api,
                    [product(api, notional, picked[f"{lvl}_rate"], f"notional_x_{lvl}_rate")],
                    RATE_SCALE,
                    up=True,
                    bits=MONEY_BITS,
                    signed=False,
                    name=f"{lvl}_charge",
                )
                out[lvl].append(charge - picked[f"{lvl}_amount"])
    return out
