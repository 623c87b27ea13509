"""In-circuit fixed point for margin figures: rescaled sums, tier slices, a hinted maximum.

A sum of k products is rescaled ONCE: the figure is the exact sum rounded against the account
(requirements up, collateral values down), as the reference calculator computes it.
:func:`rescale_sum` proves

    requirement side (``up``):  ``q·D − Σ x_i = r``,   collateral side: ``Σ x_i − q·D = r``,

with ``0 <= r < 2^m``, ``m`` = bit length of ``k·(D − 1)``, and q range-checked. The honest
witness is the reference's figure (``r < D``), so circuit and calculator agree to the unit. A
dishonest prover can only move q away from the exact rational sum — requirements up,
collateral values down, by less than ``2^m / D`` units (a few 10^-8 of money) — so a proven
figure is never better for the account than the calculator's, and no account can be shown in
a better state than the calculator's (a worse one, by a few 10^-8 at a boundary, it can). A
single term (k = 1), or ``exact=True``, is proven exact (``r <= D − 1`` too).

>>> from zkmargin.dsl.gadgets import signed_range_check
>>> from zkmargin.dsl.gadgets.testing import compile_gadget
>>> h = compile_gadget(lambda api, x: rescale_sum(api, [signed_range_check(api, v, 16) for v in x],
...                                                10, up=True, bits=8), x=(2,))
>>> h.value(h.result, h.solve(x=[-15, 31]))      # ceil((-15 + 31) / 10) = ceil(1.6)
2
>>> forged = h.solve(x=[-15, 31], forge={h.wire("rescale/quotient"): 1})   # below 1.6: refused
>>> h.failure(forged)
'rescale/remainder/range5/recompose'
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets import (
    Bounded,
    assert_nonnegative,
    is_negative,
    mux,
    range_check,
    signed_range_check,
)
from zkmargin.dsl.gadgets.bits import decompose, weighted_sum


def bounded_sum(api: API, values: Sequence[Bounded]) -> Bounded:
    """``Σ values`` in one pass (free; the interval is the sum of the intervals)."""
    if not values:
        return Bounded.constant(api, 0)
    total = weighted_sum(api, [(v, 1) for v in values])
    return Bounded(api, total, sum(v.lo for v in values), sum(v.hi for v in values))


def _round(x: int, d: int, up: bool) -> int:
    return -((-x) // d) if up else x // d


def rescale_sum(
    api: API,
    terms: Sequence[Bounded],
    divisor: int,
    *,
    up: bool,
    bits: int,
    signed: bool = True,
    name: str = "rescale",
    exact: bool = False,
) -> Bounded:
    """``round(Σ t_i / divisor)`` (ceil if ``up`` else floor), proven as in the module docstring.

    The result is range-checked to ``bits`` (signed window if ``signed``): a figure outside it
    is unsatisfiable (``<name>/quotient/...``). Cost: (bits + 1) + (m + 1), plus m + 1 more for
    a single term or ``exact`` (the exact check ``<name>/remainder_lt_divisor/...``).
    """
    if divisor < 1:
        raise ValueError("divisor must be a positive int")
    if not terms:
        return Bounded.constant(api, 0)  # an empty sum is exactly 0: nothing to round
    k = len(terms)
    with api.namespace(name):
        num = bounded_sum(api, terms)

        def quotient(*values: int) -> int:
            total = sum(t.integer(v) for t, v in zip(terms, values, strict=True))
            return _round(total, divisor, up) % api.p

        (q,) = api.hint(quotient, *(t.lc for t in terms), name="quotient")
        with api.namespace("quotient"):
            qb = signed_range_check(api, q, bits) if signed else range_check(api, q, bits)
        r = qb * divisor - num if up else num - qb * divisor
        r_max = k * (divisor - 1)
        with api.namespace("remainder"):
            range_check(api, r, max(r_max.bit_length(), 1))
        if len(terms) == 1 or exact:
            with api.namespace("remainder_lt_divisor"):
                range_check(api, (divisor - 1) - r, max(r_max.bit_length(), 1))
    return qb


def thresholds(
    api: API, x: Bounded, floors: Sequence[Bounded], name: str = "above"
) -> list[Bounded]:
    """``[x >= floors[k]]`` for k >= 1 as booleans (``floors[0]`` is the first tier's 0).

    Cost per floor: m + 2 (``<name>[k]/diff/...``), m the width of ``x − floor``. With strictly
    increasing floors (the loader's rule, bound by the market hash) the flags are decreasing.
    """
    flags = []
    for k, f in enumerate(floors[1:], start=1):
        with api.namespace(f"{name}[{k}]"):
            flags.append(1 - is_negative(api, x - f))
    return flags


THRESHOLD_BRACKETS = 3
"""Up to this many brackets a comparison per floor is cheapest; past it, a hinted index."""


def bracket_select(
    api: API,
    x: Bounded,
    floors: Sequence[Bounded],
    columns: dict[str, Sequence[Bounded]],
    *,
    bits: int,
) -> dict[str, Bounded]:
    """Each column's entry at x's bracket: the last k with ``floors[k] <= x`` (``floors[0] = 0``,
    strictly increasing; ``0 <= x < 2^bits``).

    Up to :data:`THRESHOLD_BRACKETS` brackets: one comparison per floor after the first
    (:func:`thresholds`, ``bracket_above[k]/...``, about bits + 2 each) and one product per
    column and floor. More brackets: the prover names the index k (hint, decomposed into
    ``bracket/index/bit[i]/boolean``), multiplexers pick ``floors[k]``, ``floors[k+1]`` and the
    columns (``bracket/<name>/mux/...``), and two comparisons prove ``floors[k] <= x``
    (``bracket/at_least_floor/...``) and ``x < floors[k+1]`` (``bracket/below_next/...``) —
    about 2·(bits + 2) + (columns + 2)·2^m for m index bits. Tables are padded past the last
    bracket with the floor 2^bits, which no x reaches, so an index past the table fails
    ``at_least_floor``: the index is constrained to its table without a separate check.
    """
    n = len(floors)
    if any(len(col) != n for col in columns.values()):
        raise ValueError("every column needs one entry per bracket")
    if n == 1:
        return {name: col[0] for name, col in columns.items()}
    if n <= THRESHOLD_BRACKETS:
        above = thresholds(api, x, floors, "bracket_above")
        out = {}
        for name, col in columns.items():
            value = col[0]
            for k, flag in enumerate(above, start=1):
                value = value + product(api, flag, col[k] - col[k - 1], f"{name}[{k}]")
            out[name] = value
        return out
    m = (n - 1).bit_length()
    size = 1 << m
    unreachable = Bounded.constant(api, 1 << bits)
    with api.namespace("bracket"):

        def index_of(v: int, *floor_values: int) -> int:
            value = x.integer(v)
            pairs = zip(floors[1:], floor_values[1:], strict=True)
            return sum(1 for f, fv in pairs if value >= f.integer(fv))

        (k,) = api.hint(index_of, x.lc, *(f.lc for f in floors), name="index")
        with api.namespace("index"):
            index_bits = [Bounded(api, b, 0, 1) for b in decompose(api, k, m)]
        padded = list(floors) + [unreachable] * (size - n)
        following = list(floors[1:]) + [unreachable] * (size - n + 1)
        with api.namespace("floor"):
            floor = mux(api, index_bits, padded)
        with api.namespace("next_floor"):
            next_floor = mux(api, index_bits, following)
        assert_nonnegative(api, x - floor, name="at_least_floor")
        assert_nonnegative(api, next_floor - 1 - x, name="below_next")
        out = {}
        for name, col in columns.items():
            with api.namespace(name):
                out[name] = mux(api, index_bits, list(col) + [col[-1]] * (size - n))
    return out


def tier_slices(
    api: API, x: Bounded, floors: Sequence[Bounded], name: str = "tier"
) -> list[Bounded]:
    """The part of ``x >= 0`` inside each tier ``[floors[k], floors[k+1])`` (the last unbounded).

    ``slice_k = a_(k+1)·(f_(k+1) − f_k) + (a_k − a_(k+1))·(x − f_k)`` with ``a_k = [x >= f_k]``
    (``a_0 = 1``): the whole tier when x is past it, the part from its floor when x is in it,
    else 0. Cost: :func:`thresholds` plus two products per tier (one for the last).
    """
    above = [Bounded.constant(api, 1), *thresholds(api, x, floors, f"{name}_above")]
    out = []
    for k, f in enumerate(floors):
        with api.namespace(f"{name}[{k}]"):
            inside = above[k] - above[k + 1] if k + 1 < len(floors) else above[k]
            part = _product(api, inside, x - f, "inside")
            if k + 1 < len(floors):
                part = part + _product(api, above[k + 1], floors[k + 1] - f, "past")
        out.append(part)
    return out


def _product(api: API, a: Bounded, b: Bounded, name: str) -> Bounded:
    if a.is_exact or b.is_exact:
        return a * b
    corners = [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Bounded(api, api.mul(a.lc, b.lc, name=name), min(corners), max(corners))


def product(api: API, a: Bounded, b: Bounded, name: str = "product") -> Bounded:
    """``a·b`` with its exact interval: one named constraint (free if either side is exact)."""
    return _product(api, a, b, name)


def max_rescaled(
    api: API,
    sums: Sequence[Sequence[Bounded]],
    divisor: int,
    *,
    bits: int,
    floor_at_zero: bool = True,
    name: str = "max",
) -> Bounded:
    """``max(0, max_s ceil(Σ_i t[s][i] / divisor))``: a worst case over scenarios, in one pass.

    The prover supplies each scenario's rounded sum ``L_s`` and the maximum M (hints); the
    circuit proves M in ``bits`` bits, ``M − L_s >= 0`` in ``bits`` bits (``<name>/gap[s]/...``)
    — which makes every L_s a bounded integer — then each ``L_s·D − Σ t = r_s`` with
    ``0 <= r_s < 2^m`` (``<name>/remainder[s]/...``, the rounding of :func:`rescale_sum`), and
    ``M·Π (M − L_s) = 0`` (``<name>/attained[s]``): M is 0 or one of the L_s. Cost per
    scenario: (bits + 1) + (m + 1) + 1, plus bits + 1 once.
    """
    with api.namespace(name):
        values = [[t.lc for t in row] for row in sums]
        lengths = [len(row) for row in sums]

        def rounded(*flat: int) -> list[int]:
            it = iter(flat)
            out = []
            for row in sums:
                out.append(_round(sum(t.integer(next(it)) for t in row), divisor, True))
            best = max([0, *out] if floor_at_zero else out)
            return [best % api.p, *(v % api.p for v in out)]

        flat = [lc for row in values for lc in row]
        m_wire, *losses = api.hint(rounded, *flat, n_out=len(sums) + 1, name="worst")
        with api.namespace("worst"):
            best = range_check(api, m_wire, bits)
        attained: LC | int = best.lc if floor_at_zero else 1
        for s, (loss, row) in enumerate(zip(losses, sums, strict=True)):
            with api.namespace(f"gap[{s}]"):
                gap = range_check(api, best - loss, bits)
            bounded_loss = Bounded(api, loss, best.lo - gap.hi, best.hi)
            r = bounded_loss * divisor - bounded_sum(api, row)
            r_max = max(lengths[s], 1) * (divisor - 1)
            with api.namespace(f"remainder[{s}]"):
                range_check(api, r, max(r_max.bit_length(), 1))
            attained = api.mul(attained, gap.lc, name=f"attained[{s}]")
        api.assert_zero(attained, name="attained")
    return best
