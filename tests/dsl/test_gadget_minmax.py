"""minmax and sums: min / max / abs and range-checked sums, with forged choices and wrapped terms."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import (
    abs_value,
    clamp,
    div_floor,
    max_of,
    maximum,
    min_of,
    minimum,
    range_check,
    signed_range_check,
    sum_bounded,
)
from zkmargin.dsl.gadgets.reference import range_check_ref, to_int
from zkmargin.dsl.gadgets.testing import compile_gadget, edge_values
from zkmargin.field import BN254_FR

P = BN254_FR.p
N = 12
PAIRS = {
    (g.__name__, s): compile_gadget(
        lambda api, a, b, g=g, s=s: g(api, a, b, N, signed=s), a=(), b=()
    )
    for g in (minimum, maximum)
    for s in (False, True)
}
LABEL = {"minimum": "min", "maximum": "max"}


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("gadget", [minimum, maximum], ids=lambda g: g.__name__)
@given(data=st.data())
def test_min_max_match_reference(gadget, signed, data):
    operand = st.sampled_from(edge_values(N, P, signed)) | st.integers(0, P - 1)
    a, b = data.draw(operand), data.draw(operand)
    h = PAIRS[(gadget.__name__, signed)]
    assert h.n_constraints == 3 * N + 5
    w = h.solve(a=a, b=b)
    label, rng = LABEL[gadget.__name__], f"{'signed_' if signed else ''}range{N}"
    if not range_check_ref(a, N, P, signed):
        assert h.failure(w) == f"{label}/a/{rng}/recompose"
    elif not range_check_ref(b, N, P, signed):
        assert h.failure(w) == f"{label}/b/{rng}/recompose"
    else:
        assert h.failure(w) is None
        ref = min if gadget is minimum else max
        expected = ref(to_int(a, P, signed), to_int(b, P, signed))
        assert h.value(h.result, w) == expected
        assert h.result.lo <= expected <= h.result.hi


def test_forged_min_is_named():
    h = PAIRS[("minimum", True)]
    choose = h.wire("min/choose")
    assert h.failure(h.solve(a=-5, b=3, forge={choose: 3})) == "min/choose"
    sign = h.wire(f"min/diff/bits[{N}]")  # flip the comparison: min would pick 3
    assert h.failure(h.solve(a=-5, b=3, forge={sign: 1})) == "min/diff/recompose"


@cache
def _fold(gadget, k):
    return compile_gadget(lambda api, v: gadget(api, v, N, signed=True), v=(k,))


@cache
def _sum(k):
    return compile_gadget(lambda api, v: sum_bounded(api, v, 64), v=(k,))


@pytest.mark.parametrize("gadget", [min_of, max_of], ids=lambda g: g.__name__)
@given(data=st.data())
def test_min_of_max_of_match_reference(gadget, data):
    k = data.draw(st.integers(1, 5))
    vals = data.draw(
        st.lists(st.integers(-(2 ** (N - 1)), 2 ** (N - 1) - 1), min_size=k, max_size=k)
    )
    h = _fold(gadget, k)
    assert h.n_constraints == k * (N + 1) + (k - 1) * (N + 3)
    w = h.solve(v=vals)
    assert h.failure(w) is None
    assert h.value(h.result, w) == (min if gadget is min_of else max)(vals)


def test_max_of_forged_and_wrapped_values_are_named():
    h = compile_gadget(lambda api, v: max_of(api, v, N), v=(3,))
    assert h.failure(h.solve(v=[1, P - 1, 2])) == f"max_of/value[1]/range{N}/recompose"
    step = h.wire("max_of/step[2]/choose")
    assert h.failure(h.solve(v=[1, 9, 2], forge={step: 2})) == "max_of/step[2]/choose"
    with pytest.raises(ValueError, match="no values"):
        compile_gadget(lambda api: max_of(api, []))


def test_max_of_bounded_values_checks_nothing_again():
    def build(api, v):
        return max_of(api, [signed_range_check(api, x, N) for x in v])

    h = compile_gadget(build, v=(4,))
    assert h.n_constraints == 4 * (N + 1) + 3 * (N + 3)
    assert (h.result.lo, h.result.hi) == (-(2 ** (N - 1)), 2 ** (N - 1) - 1)


ABS = compile_gadget(lambda api, x: abs_value(api, x, N), x=())


@given(x=st.sampled_from(edge_values(N, P, signed=True)) | st.integers(0, P - 1))
def test_abs_matches_reference(x):
    assert ABS.n_constraints == N + 2
    w = ABS.solve(x=x)
    if range_check_ref(x, N, P, signed=True):
        assert ABS.failure(w) is None
        assert ABS.value(ABS.result, w) == abs(to_int(x, P, signed=True))
    else:
        assert ABS.failure(w) == f"abs/signed_range{N}/recompose"


def test_abs_forgeries_and_bounded_operands():
    mag = ABS.wire("abs/magnitude")
    assert ABS.failure(ABS.solve(x=-7, forge={mag: P - 7})) == "abs/magnitude"
    top = ABS.wire(f"abs/signed_range{N}/bits[{N - 1}]")  # the sign
    assert ABS.failure(ABS.solve(x=-7, forge={top: 1})) == f"abs/signed_range{N}/recompose"
    h = compile_gadget(lambda api, x: abs_value(api, signed_range_check(api, x, N)), x=())
    assert h.n_constraints == (N + 1) + (N + 1) + 1  # check, sign test (m = N − 1), product
    assert [h.value(h.result, h.solve(x=v)) for v in (-2048, -1, 0, 2047)] == [2048, 1, 0, 2047]
    free = compile_gadget(lambda api, x: abs_value(api, -range_check(api, x, N)), x=())
    assert free.n_constraints == N + 1 and free.value(free.result, free.solve(x=5)) == 5


@given(vals=st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=6))
def test_sum_bounded_matches_reference(vals):
    k = len(vals)
    h = _sum(k)
    assert h.n_constraints == k * 65
    assert h.value(h.result, h.solve(v=vals)) == sum(vals)
    assert (h.result.lo, h.result.hi) == (0, k * (2**64 - 1))


def test_sum_bounded_rejects_field_negative_summands():
    h = compile_gadget(lambda api, v: sum_bounded(api, v, 64), v=(3,))
    # a "dummy account" worth p − 5 would take 5 off the total
    assert h.failure(h.solve(v=[10, P - 5, 7])) == "sum/term[1]/range64/recompose"
    s = compile_gadget(lambda api, v: sum_bounded(api, v, 64, signed=True), v=(2,))
    assert s.value(s.result, s.solve(v=[10, -5])) == 5
    with pytest.raises(OverflowError, match="could wrap"):
        compile_gadget(lambda api, v: sum_bounded(api, v, 253), v=(2,))
    both = compile_gadget(lambda api, a: sum_bounded(api, [range_check(api, a, 8), 3]), a=())
    assert both.n_constraints == 9 and both.value(both.result, both.solve(a=4)) == 7


CLAMP = compile_gadget(lambda api, x: clamp(api, x, -100, 1000, N, signed=True), x=())


@given(
    x=st.sampled_from([*edge_values(N, P, signed=True), -101, -100, 1000, 1001])
    | st.integers(0, P - 1)
)
def test_clamp_matches_reference(x):
    # x + 100 spans [−1948, 2147] (m = 12), then v − 1000 spans [−1100, 1047] (m = 11)
    assert CLAMP.n_constraints == (N + 1) + (12 + 3) + (11 + 3)
    w = CLAMP.solve(x=x)
    if not range_check_ref(x, N, P, signed=True):
        assert CLAMP.failure(w) == f"clamp/x/signed_range{N}/recompose"
    else:
        assert CLAMP.failure(w) is None
        assert CLAMP.value(CLAMP.result, w) == min(max(to_int(x, P, True), -100), 1000)
    assert (CLAMP.result.lo, CLAMP.result.hi) == (-100, 1000)


def test_clamp_forgeries_and_empty_range():
    low = CLAMP.wire("clamp/low/choose")
    assert CLAMP.failure(CLAMP.solve(x=-500, forge={low: P - 500})) == "clamp/low/choose"
    sign = CLAMP.wire("clamp/high/diff/bits[11]")  # claim 2000 is below the upper bound
    assert CLAMP.failure(CLAMP.solve(x=2000, forge={sign: 0})) == "clamp/high/diff/recompose"
    with pytest.raises(ValueError, match="empty clamp range"):
        compile_gadget(lambda api, x: clamp(api, x, 5, 4, 8), x=())


TIERS = ((0, 950_000), (1_000_000 * 10**8, 900_000), (5_000_000 * 10**8, 700_000))


@cache
def _haircut_circuit():
    # the collateral model's tiered haircut, in gadgets: floor(Σ_k slice_k · ratio_k / 10^6),
    # rounded once as the calculator does
    def build(api, value):
        v = range_check(api, value, 64)
        total = 0
        for k, (floor, ratio) in enumerate(TIERS):
            with api.namespace(f"tier[{k}]"):
                top = TIERS[k + 1][0] - floor if k + 1 < len(TIERS) else 2**64 - 1 - floor
                total = total + clamp(api, v - floor, 0, top) * ratio
        return div_floor(api, total, 10**6)

    return compile_gadget(build, value=())


@given(
    value=st.sampled_from([0, 1, *(f + d for f, _ in TIERS[1:] for d in (-1, 0, 1))])
    | st.integers(0, 2**64 - 1)
)
def test_tiered_haircut_equals_the_margin_calculator(value):
    from zkmargin.margin.arith import EXACT
    from zkmargin.models.collateral.calculator import tiered

    h = _haircut_circuit()
    w = h.solve(value=value)
    assert h.failure(w) is None
    expected = int(tiered(EXACT, EXACT.array([value]), TIERS)[0]) // 10**6
    assert h.value(h.result, w) == expected
