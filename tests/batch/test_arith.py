"""The batch circuits' fixed-point helpers against plain integer references.

Property tests compile each helper once (gadget harness) and solve it on random inputs; the
negative tests forge the hinted quotient / maximum and assert the constraint that refuses it.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.batch.arith import max_rescaled, rescale_sum, tier_slices
from zkmargin.dsl.gadgets import range_check, signed_range_check
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.margin.arith import EXACT
from zkmargin.models.collateral.calculator import tiered

D = 10**8


def ceil_div(x: int, d: int) -> int:
    return -((-x) // d)


@cache
def summed(k: int, up: bool, signed: bool):
    def build(api, x):
        terms = [signed_range_check(api, v, 100) if signed else range_check(api, v, 100) for v in x]
        return rescale_sum(api, terms, D, up=up, bits=72, signed=signed)

    return compile_gadget(build, x=(k,))


terms = st.lists(st.integers(-(2**90), 2**90), min_size=1, max_size=4)


@settings(max_examples=40)
@given(terms, st.booleans())
def test_rescale_sum_is_the_rounded_sum(xs, up):
    h = summed(len(xs), up, True)
    expected = ceil_div(sum(xs), D) if up else sum(xs) // D
    w = h.solve(x=xs)
    assert h.failure(w) is None
    assert h.value(h.result, w) == expected


@settings(max_examples=25)
@given(terms, st.booleans())
def test_rescale_sum_never_passes_the_exact_value(xs, up):
    """The one-rescale proof pins q to the conservative side of the exact Σx / D: the first
    quotient past it (in the prover's favour) fails, however the honest one was rounded."""
    h = summed(len(xs), up, True)
    q = h.wire("rescale/quotient")
    total = sum(xs)
    past = ceil_div(total, D) - 1 if up else total // D + 1
    failure = h.failure(h.solve(x=xs, forge={q: past}))
    assert failure is not None and failure.startswith("rescale/remainder")
    honest = h.solve(x=xs)[q]
    slack = h.failure(h.solve(x=xs, forge={q: honest + (1 if up else -1)}))
    if len(xs) == 1:  # a single term is exact: the other direction fails too
        assert slack is not None and slack.startswith("rescale/remainder")


def test_rescale_sum_single_term_is_exact_both_ways():
    h = summed(1, True, False)
    q = h.wire("rescale/quotient")
    w = h.solve(x=[2 * D + 1])
    assert h.value(h.result, w) == 3
    # r = 4·D − x = 2·D − 1 is past 2^27; r = −1 is negative
    assert h.failure(h.solve(x=[2 * D + 1], forge={q: 4})) == "rescale/remainder/range27/recompose"
    assert h.failure(h.solve(x=[2 * D + 1], forge={q: 2})) == "rescale/remainder/range27/recompose"
    # r = 2·D − (D − 5) = D + 5 fits 27 bits: only the remainder < D check refuses it
    assert h.failure(h.solve(x=[D - 5], forge={q: 2})) == (
        "rescale/remainder_lt_divisor/range27/recompose"
    )


def test_rescale_sum_quotient_outside_its_window_is_unsatisfiable():
    h = summed(1, False, False)
    assert h.failure(h.solve(x=[2**72 * D])) == "rescale/quotient/range72/recompose"


@cache
def worst(scenarios: int, k: int):
    def build(api, x):
        rows = [[signed_range_check(api, v, 100) for v in row] for row in x]
        return max_rescaled(api, rows, D, bits=72, name="scan")

    return compile_gadget(build, x=(scenarios, k))


grids = st.integers(1, 3).flatmap(
    lambda k: st.lists(
        st.lists(st.integers(-(2**80), 2**80), min_size=k, max_size=k), min_size=1, max_size=4
    )
)


@settings(max_examples=40)
@given(grids)
def test_max_rescaled_is_the_worst_rounded_scenario_or_zero(rows):
    h = worst(len(rows), len(rows[0]))
    w = h.solve(x=rows)
    assert h.failure(w) is None
    assert h.value(h.result, w) == max(0, *(ceil_div(sum(row), D) for row in rows))


@settings(max_examples=25)
@given(grids, st.sampled_from([-1, 1]))
def test_max_rescaled_refuses_a_forged_maximum(rows, step):
    h = worst(len(rows), len(rows[0]))
    m = h.wire("scan/worst[0]")
    honest = h.solve(x=rows)
    if honest[m] == 0 and step < 0:
        step = 1
    failure = h.failure(h.solve(x=rows, forge={m: honest[m] + step}))
    if step < 0:
        assert re.fullmatch(r"scan/(worst|gap\[\d+\])/range72/recompose", failure)
    else:
        assert failure == "scan/attained"


@cache
def slices(n_tiers: int):
    def build(api, x, floors):
        value = range_check(api, x, 72)
        bounded = [range_check(api, f, 64) for f in floors]
        return tier_slices(api, value, bounded)

    return compile_gadget(build, x=(), floors=(n_tiers,))


@settings(max_examples=40)
@given(
    st.lists(st.integers(1, 10**15), min_size=0, max_size=3, unique=True),
    st.integers(0, 2**72 - 1),
)
def test_tier_slices_match_the_reference_haircut(gaps, value):
    floors = [0]
    for g in sorted(gaps):
        floors.append(floors[-1] + g)
    h = slices(len(floors))
    w = h.solve(x=value, floors=floors)
    assert h.failure(w) is None
    parts = h.value(h.result, w)
    ratios = [1_000_000 - 7 * k for k in range(len(floors))]
    tiers = list(zip(floors, ratios, strict=True))
    assert sum(p * r for p, r in zip(parts, ratios, strict=True)) == int(
        tiered(EXACT, EXACT.array([value]), tiers)[0]
    )
    assert sum(parts) == value


def test_tier_flag_cannot_be_flipped():
    h = slices(2)
    bit = h.wire("tier_above[1]/diff/bits[72]")
    w = h.solve(x=500, floors=[0, 100])
    assert h.failure(h.solve(x=500, floors=[0, 100], forge={bit: 1 - w[bit]})) == (
        "tier_above[1]/diff/recompose"
    )


def test_empty_sums_are_exactly_zero():
    h = compile_gadget(lambda api: rescale_sum(api, [], D, up=True, bits=72))
    assert h.n_constraints == 0 and h.value(h.result, h.solve()) == 0


@cache
def brackets(n: int):
    from zkmargin.batch.arith import bracket_select

    def build(api, x, floors, rates):
        return bracket_select(
            api,
            range_check(api, x, 72),
            [range_check(api, f, 64) for f in floors],
            {"rate": [range_check(api, r, 20) for r in rates]},
            bits=72,
        )["rate"]

    return compile_gadget(build, x=(), floors=(n,), rates=(n,))


@settings(max_examples=40)
@given(
    st.lists(st.integers(1, 10**12), min_size=0, max_size=6, unique=True),
    st.integers(0, 2**72 - 1),
)
def test_bracket_select_matches_the_reference_bracket(gaps, x):
    """Both strategies (comparisons up to 3 brackets, a hinted index past that) pick the
    reference calculator's bracket."""
    from zkmargin.margin.domain import Bracket
    from zkmargin.models.cross.calculator import bracket_margin

    floors = [0]
    for g in gaps:
        floors.append(floors[-1] + g)
    rates = [1000 + 7 * k for k in range(len(floors))]
    h = brackets(len(floors))
    w = h.solve(x=x, floors=floors, rates=rates)
    assert h.failure(w) is None
    rows = [Bracket(f, r, r) for f, r in zip(floors, rates, strict=True)]
    _, _, index = bracket_margin(EXACT, EXACT.array([x]), rows)
    assert h.value(h.result, w) == rates[int(index[0])]
