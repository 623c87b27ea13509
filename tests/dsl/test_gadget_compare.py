"""compare: comparators with built-in range checks, flipped outputs, is_zero / is_equal."""

from __future__ import annotations

import operator
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import (
    assert_le,
    assert_lt,
    greater_eq,
    greater_than,
    is_equal,
    is_zero,
    less_eq,
    less_than,
    range_check,
)
from zkmargin.dsl.gadgets.reference import is_zero_ref, range_check_ref, to_int
from zkmargin.dsl.gadgets.testing import compile_gadget, edge_values
from zkmargin.field import BN254_FR

P = BN254_FR.p
N = 16
COMPARATORS = {
    "less_than": (less_than, operator.lt),
    "less_eq": (less_eq, operator.le),
    "greater_than": (greater_than, operator.gt),
    "greater_eq": (greater_eq, operator.ge),
}
HARNESSES = {
    (name, signed): compile_gadget(
        lambda api, a, b, g=gadget, s=signed: g(api, a, b, N, signed=s), a=(), b=()
    )
    for name, (gadget, _) in COMPARATORS.items()
    for signed in (False, True)
}


def _operand(signed):
    return st.sampled_from(edge_values(N, P, signed)) | st.integers(0, P - 1)


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("name", sorted(COMPARATORS))
@given(data=st.data())
def test_comparators_match_reference_and_reject_unchecked_operands(name, signed, data):
    a, b = data.draw(_operand(signed)), data.draw(_operand(signed))
    h = HARNESSES[(name, signed)]
    w = h.solve(a=a, b=b)
    a_ok, b_ok = range_check_ref(a, N, P, signed), range_check_ref(b, N, P, signed)
    rng = f"{'signed_' if signed else ''}range{N}"
    if not a_ok:  # the LessThan trap: an unchecked operand is refused, not compared
        assert h.failure(w) == f"{name}/a/{rng}/recompose"
    elif not b_ok:
        assert h.failure(w) == f"{name}/b/{rng}/recompose"
    else:
        assert h.failure(w) is None
        expected = COMPARATORS[name][1](to_int(a, P, signed), to_int(b, P, signed))
        assert h.value(h.result, w) == int(expected)


@pytest.mark.parametrize("name", sorted(COMPARATORS))
def test_comparator_costs(name):
    assert HARNESSES[(name, False)].n_constraints == 3 * N + 4
    gadget = COMPARATORS[name][0]
    h = compile_gadget(lambda api, a: gadget(api, a, 1000, N), a=())
    assert h.n_constraints == 2 * N + 3  # a constant operand needs no range check
    checked = compile_gadget(
        lambda api, a, b: gadget(api, range_check(api, a, N), range_check(api, b, N)), a=(), b=()
    )
    assert checked.n_constraints == 3 * N + 4  # checked once, by the caller


@pytest.mark.parametrize("name", sorted(COMPARATORS))
@given(a=st.integers(0, 2**N - 1), b=st.integers(0, 2**N - 1))
def test_flipped_comparator_output_fails_recompose(name, a, b):
    h = HARNESSES[(name, False)]
    honest = h.solve(a=a, b=b)
    sign = h.wire(f"{name}/diff/bits[{N}]")  # the top bit of the shifted difference
    w = h.solve(a=a, b=b, forge={sign: 1 - honest[sign]})
    expected = int(COMPARATORS[name][1](a, b))
    assert h.value(h.result, w) == 1 - expected  # the output really is flipped ...
    assert h.failure(w) == f"{name}/diff/recompose"  # ... and the witness is rejected


def test_comparator_width_limit():
    widest = P.bit_length() - 2  # the difference needs one more bit
    h = compile_gadget(lambda api, a, b: less_than(api, a, b, widest), a=(), b=())
    assert h.value(h.result, h.solve(a=2**widest - 2, b=2**widest - 1)) == 1
    with pytest.raises(OverflowError, match="could wrap"):  # a − b spans more than p
        compile_gadget(lambda api, a, b: less_than(api, a, b, widest + 1), a=(), b=())


def test_decided_comparisons_are_free():
    def build(api, a):
        x = range_check(api, a, 8)
        return less_than(api, x, 256), greater_eq(api, x, 0), less_than(api, x, -1)

    h = compile_gadget(build, a=())
    assert h.n_constraints == 9
    assert h.value(h.result, h.solve(a=200)) == [1, 1, 0]


@cache
def _assertion(gadget, signed):
    return compile_gadget(lambda api, a, b: gadget(api, a, b, N, signed=signed), a=(), b=())


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize(("gadget", "holds"), [(assert_le, operator.le), (assert_lt, operator.lt)])
@given(data=st.data())
def test_assertions_match_reference(gadget, holds, signed, data):
    a, b = data.draw(_operand(signed)), data.draw(_operand(signed))
    h = _assertion(gadget, signed)
    assert h.n_constraints == 3 * N + 3
    name = gadget.__name__
    rng = f"{'signed_' if signed else ''}range{N}"
    w = h.solve(a=a, b=b)
    if not range_check_ref(a, N, P, signed):
        assert h.failure(w) == f"{name}/a/{rng}/recompose"
    elif not range_check_ref(b, N, P, signed):
        assert h.failure(w) == f"{name}/b/{rng}/recompose"
    elif holds(to_int(a, P, signed), to_int(b, P, signed)):
        assert h.failure(w) is None
    else:
        assert h.failure(w) == f"{name}/gap/recompose"


def test_assert_le_cannot_be_forged_with_a_wrapped_gap():
    h = compile_gadget(lambda api, a, b: assert_le(api, a, b, N), a=(), b=())
    # a = 6 > b = 5: the gap b − a = p − 1; forging its bits to any 16-bit number fails.
    ones = {h.wire(f"assert_le/gap/bits[{i}]"): 1 for i in range(N)}
    assert h.failure(h.solve(a=6, b=5, forge=ones)) == "assert_le/gap/recompose"
    with pytest.raises(ValueError, match="never non-negative"):
        compile_gadget(lambda api: assert_le(api, 6, 5))


IS_ZERO = compile_gadget(lambda api, x: is_zero(api, x), x=())
IS_EQUAL = compile_gadget(lambda api, a, b: is_equal(api, a, b), a=(), b=())


@given(x=st.sampled_from([0, 1, 2, P - 1, P // 2]) | st.integers(0, P - 1))
def test_is_zero_and_is_equal_match_reference(x):
    assert IS_ZERO.n_constraints == IS_EQUAL.n_constraints == 2
    w = IS_ZERO.solve(x=x)
    assert IS_ZERO.failure(w) is None
    assert IS_ZERO.value(IS_ZERO.result, w) == is_zero_ref(x, P)
    w = IS_EQUAL.solve(a=x, b=7)
    assert IS_EQUAL.failure(w) is None
    assert IS_EQUAL.value(IS_EQUAL.result, w) == int(x == 7)


def test_forged_is_zero_outputs_are_named():
    h = IS_ZERO
    inv, flag = h.wire("is_zero/inverse_and_flag[0]"), h.wire("is_zero/inverse_and_flag[1]")
    assert h.failure(h.solve(x=5, forge={flag: 1})) == "is_zero/inverse_or_flag"
    assert h.failure(h.solve(x=5, forge={flag: 1, inv: 0})) == "is_zero/flag_implies_zero"
    assert h.failure(h.solve(x=0, forge={flag: 0})) == "is_zero/inverse_or_flag"
    assert h.failure(h.solve(x=0, forge={flag: 2})) == "is_zero/inverse_or_flag"
    e = IS_EQUAL
    forged = {e.wire("is_equal/inverse_and_flag[1]"): 1, e.wire("is_equal/inverse_and_flag[0]"): 0}
    assert e.failure(e.solve(a=3, b=4, forge=forged)) == "is_equal/flag_implies_zero"


def test_constant_equality_is_free():
    h = compile_gadget(lambda api: [is_zero(api, 0), is_equal(api, 3, 4)])
    assert h.n_constraints == 0
    assert h.value(h.result, h.solve()) == [1, 0]
