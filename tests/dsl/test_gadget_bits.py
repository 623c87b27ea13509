"""bits: assert_bool, num2bits, bits2num — values, costs, width limits and forged bits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import assert_bool, bits2num, less_than, max_bits, num2bits
from zkmargin.dsl.gadgets.reference import bits2num_ref, num2bits_ref, range_check_ref
from zkmargin.dsl.gadgets.testing import compile_gadget, edge_values
from zkmargin.field import BLS12_381_FR, BN254_FR

FIELDS = [BN254_FR, BLS12_381_FR]
P = BN254_FR.p


def test_assert_bool_accepts_bits_and_names_the_rest():
    h = compile_gadget(lambda api, x: assert_bool(api, x), x=())
    assert h.n_constraints == 1
    assert [h.failure(h.solve(x=v)) for v in (0, 1)] == [None, None]
    assert [h.failure(h.solve(x=v)) for v in (2, P - 1, P // 2)] == ["boolean"] * 3


def test_assert_bool_on_constants_is_checked_when_compiling():
    assert compile_gadget(lambda api: assert_bool(api, 1)).n_constraints == 0
    proven = compile_gadget(lambda api, a: assert_bool(api, less_than(api, a, 3, 4)), a=())
    assert (
        proven.n_constraints
        == compile_gadget(lambda api, a: less_than(api, a, 3, 4), a=()).n_constraints
    )
    with pytest.raises(ValueError, match="not a boolean"):
        compile_gadget(lambda api: assert_bool(api, 2))


N2B = {f.name: compile_gadget(lambda api, x: num2bits(api, x, 64), f, x=()) for f in FIELDS}


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@given(data=st.data())
def test_num2bits_matches_reference_at_the_bounds(field, data):
    p = field.p
    x = data.draw(st.sampled_from(edge_values(64, p)) | st.integers(0, p - 1))
    h = N2B[field.name]
    w = h.solve(x=x)
    if range_check_ref(x, 64, p):
        assert h.failure(w) is None
        assert h.value(h.result, w) == num2bits_ref(x, 64)
    else:  # the hint keeps the low 64 bits; they cannot add up to x
        assert h.failure(w) == "num2bits/recompose"


@pytest.mark.parametrize("n", [0, 1, 8, 64, 253])
def test_num2bits_costs_n_plus_one(n):
    h = compile_gadget(lambda api, x: num2bits(api, x, n), x=())
    assert h.n_constraints == n + 1
    assert h.constraint_names()[-1] == "num2bits/recompose"
    assert h.failure(h.solve(x=(1 << n) - 1)) is None
    assert h.failure(h.solve(x=1 << n)) == "num2bits/recompose"


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_num2bits_refuses_widths_with_aliases(field):
    widest = max_bits_of(field)
    assert widest == field.p.bit_length() - 1
    h = compile_gadget(lambda api, x: num2bits(api, x, widest), field, x=())
    assert h.failure(h.solve(x=(1 << widest) - 1)) is None
    assert h.failure(h.solve(x=field.p - 1)) == "num2bits/recompose"  # p − 1 >= 2^widest
    with pytest.raises(ValueError, match="not unique"):
        compile_gadget(lambda api, x: num2bits(api, x, widest + 1), field, x=())


def max_bits_of(field):
    return compile_gadget(lambda api: max_bits(api), field).result


def test_a_bit_equal_to_two_fails_its_boolean_constraint():
    h = N2B["bn128"]
    b0, b1 = h.wire("num2bits/bits[0]"), h.wire("num2bits/bits[1]")
    # 2 = 2·2^0 + 0·2^1 keeps the recomposition right: only booleanity catches it.
    w = h.solve(x=2, forge={b0: 2, b1: 0})
    assert h.failure(w) == "num2bits/bit[0]/boolean"


@given(x=st.integers(0, 2**64 - 1), i=st.integers(0, 63))
def test_any_flipped_bit_fails_recompose(x, i):
    h = N2B["bn128"]
    w = h.solve(x=x, forge={h.wire(f"num2bits/bits[{i}]"): 1 - ((x >> i) & 1)})
    assert h.failure(w) == "num2bits/recompose"


def test_num2bits_of_a_constant_is_free_and_checked():
    h = compile_gadget(lambda api: num2bits(api, 6, 3))
    assert h.n_constraints == 0
    assert h.value(h.result, h.solve()) == [0, 1, 1]
    with pytest.raises(ValueError, match="does not fit"):
        compile_gadget(lambda api: num2bits(api, 8, 3))


@given(bits=st.lists(st.integers(0, 1), min_size=1, max_size=40))
def test_bits2num_is_free_and_matches_reference(bits):
    h = compile_gadget(lambda api, b: bits2num(api, b), b=(len(bits),))
    assert h.n_constraints == 0
    assert h.value(h.result, h.solve(b=bits)) == bits2num_ref(bits)


def test_bits2num_refuses_too_many_bits():
    with pytest.raises(ValueError, match="wrap"):
        compile_gadget(lambda api, b: bits2num(api, b), b=(254,))
