"""Sums whose summands are all range-checked, so no field-"negative" term can deflate a total.

| gadget | bounds | cost (constraints) |
|---|---|---|
| ``sum_bounded(api, values, n)`` | k n-bit summands, ``k · 2^n < p`` | k(n + 1) (0 per ``Bounded``) |

A plain sum of LCs is free (``a + b``), and so is a sum of ``Bounded`` values, whose interval
follows exactly; ``sum_bounded`` is for raw summands — a dummy account with balance ``p − 1``
would otherwise subtract 1 from a total (a known proof-of-solvency bug).
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API
from zkmargin.dsl.gadgets.bits import weighted_sum
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.rangecheck import ensure_bounded


def sum_bounded(
    api: API, values: Sequence[Value], n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``Σ values`` with every raw summand range-checked to n bits (``term[i]/range<n>/...``).

    OverflowError if the total's interval could wrap around the field.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, v: sum_bounded(api, v, 64), v=(3,))
    >>> h.value(h.result, h.solve(v=[1, 2, 3])), h.n_constraints, h.result.hi == 3 * (2**64 - 1)
    (6, 195, True)
    >>> h.failure(h.solve(v=[1, -1, 3]))
    'sum/term[1]/range64/recompose'
    """
    terms = []
    with api.namespace("sum"):
        for i, v in enumerate(values):
            with api.namespace(f"term[{i}]"):
                terms.append(ensure_bounded(api, v, n, signed=signed))
    # one pass over all terms: adding Bounded values one by one is quadratic in their number
    total = weighted_sum(api, [(t, 1) for t in terms])
    return Bounded(api, total, sum(t.lo for t in terms), sum(t.hi for t in terms))
