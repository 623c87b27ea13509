"""rangecheck and Bounded: windows at their edges, wrapped values, constants, interval arithmetic."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import Bounded, ensure_bounded, range_check, signed_range_check
from zkmargin.dsl.gadgets.reference import range_check_ref, to_int
from zkmargin.dsl.gadgets.testing import compile_gadget, edge_values
from zkmargin.field import BLS12_381_FR, BN254_FR

FIELDS = [BN254_FR, BLS12_381_FR]
P = BN254_FR.p


def _harnesses(field):
    return {
        (n, signed): compile_gadget(
            lambda api, x, n=n, s=signed: (signed_range_check if s else range_check)(api, x, n),
            field,
            x=(),
        )
        for n in (1, 8, 64)
        for signed in (False, True)
    }


HARNESSES = {f.name: _harnesses(f) for f in FIELDS}


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("n", [1, 8, 64])
@given(data=st.data())
def test_range_checks_match_reference_at_the_edges(field, signed, n, data):
    p = field.p
    x = data.draw(st.sampled_from(edge_values(n, p, signed)) | st.integers(0, p - 1))
    h = HARNESSES[field.name][(n, signed)]
    w = h.solve(x=x)
    if range_check_ref(x, n, p, signed):
        assert h.failure(w) is None
        assert h.value(h.result, w) == to_int(x, p, signed)
    else:
        assert h.failure(w) == f"{'signed_' if signed else ''}range{n}/recompose"


def test_wrapped_value_fails_a_64_bit_range_check():
    h = HARNESSES["bn128"][(64, False)]
    assert h.failure(h.solve(x=P - 1)) == "range64/recompose"
    # Even with every bit forged to 1 (the largest 64-bit number) p − 1 is not reached.
    ones = {h.wire(f"range64/bits[{i}]"): 1 for i in range(64)}
    assert h.failure(h.solve(x=P - 1, forge=ones)) == "range64/recompose"


def test_forged_bit_value_two_fails_boolean():
    h = HARNESSES["bn128"][(8, True)]
    # x = -126: x + 128 = 2 = bits (0, 1); forge (2, 0), which still sums to 2.
    forge = {h.wire("signed_range8/bits[0]"): 2, h.wire("signed_range8/bits[1]"): 0}
    assert h.failure(h.solve(x=-126, forge=forge)) == "signed_range8/bit[0]/boolean"


@pytest.mark.parametrize("n", [1, 8, 64, 253])
def test_costs_and_intervals(n):
    h = compile_gadget(lambda api, x: range_check(api, x, n), x=())
    assert h.n_constraints == n + 1
    assert (h.result.lo, h.result.hi) == (0, 2**n - 1)
    s = compile_gadget(lambda api, x: signed_range_check(api, x, n), x=())
    assert s.n_constraints == n + 1
    assert (s.result.lo, s.result.hi) == (-(2 ** (n - 1)), 2 ** (n - 1) - 1)


def test_widths_are_limited():
    with pytest.raises(ValueError, match="bit width"):
        compile_gadget(lambda api, x: range_check(api, x, 254), x=())
    with pytest.raises(ValueError, match="at least one bit"):
        compile_gadget(lambda api, x: signed_range_check(api, x, 0), x=())
    h = compile_gadget(lambda api, x: range_check(api, x, 0), x=())  # x must be 0
    assert h.failure(h.solve(x=0)) is None
    assert h.failure(h.solve(x=1)) == "range0/recompose"


def test_constants_are_checked_when_compiling():
    h = compile_gadget(lambda api: signed_range_check(api, -5, 8))
    assert h.n_constraints == 0 and (h.result.lo, h.result.hi) == (-5, -5)
    with pytest.raises(ValueError, match="outside"):
        compile_gadget(lambda api: range_check(api, 256, 8))
    with pytest.raises(ValueError, match="outside"):
        compile_gadget(lambda api: signed_range_check(api, 128, 8))


def test_range_check_of_a_bounded_value_inside_the_window_is_free():
    def build(api, x):
        small = range_check(api, x, 8)
        return (
            range_check(api, small, 64),
            signed_range_check(api, small, 9),
            range_check(api, -small, 8),
        )

    h = compile_gadget(build, x=())
    inside, signed_inside, negated = h.result
    assert (inside.lo, inside.hi, signed_inside.hi) == (0, 255, 255)
    assert h.n_constraints == 9 + 9  # only −small, outside [0, 255], is checked again
    assert h.failure(h.solve(x=0)) is None
    assert h.failure(h.solve(x=1)) == "range8/recompose"  # −1 is no 8-bit number
    assert negated.lo == 0


def test_ensure_bounded_checks_raw_signals_once():
    def build(api, x):
        b = ensure_bounded(api, x, 16)
        return b, ensure_bounded(api, b), ensure_bounded(api, 7), ensure_bounded(api, api.lc(x))

    with pytest.raises(ValueError, match="needs a bit width"):
        compile_gadget(build, x=())
    h = compile_gadget(lambda api, x: ensure_bounded(api, ensure_bounded(api, x, 16)), x=())
    assert h.n_constraints == 17
    c = compile_gadget(lambda api: ensure_bounded(api, api.constant(-3), signed=True))
    assert (c.result.lo, c.result.hi, c.n_constraints) == (-3, -3, 0)


@cache
def _arithmetic(k):
    def build(api, a, b):
        x, y = signed_range_check(api, a, 64), range_check(api, b, 64)
        return [x + y, x - y, k * x + 3, -y, x * y, 5 - x]

    return compile_gadget(build, a=(), b=())


@given(a=st.integers(-(2**63), 2**63 - 1), b=st.integers(0, 2**64 - 1), k=st.integers(-9, 9))
def test_bounded_arithmetic_keeps_exact_intervals(a, b, k):
    h = _arithmetic(k)
    w = h.solve(a=a, b=b)
    assert h.failure(w) is None
    expected = [a + b, a - b, k * a + 3, -b, a * b, 5 - a]
    assert h.value(h.result, w) == expected
    for r, e in zip(h.result, expected, strict=True):
        assert r.lo <= e <= r.hi
    assert h.n_constraints == 2 * 65 + 1  # the product is the only extra constraint


def test_bounded_refuses_wrapping_intervals():
    def too_wide(api, a):
        x = range_check(api, a, 200)
        return x * x

    with pytest.raises(OverflowError, match="could wrap"):
        compile_gadget(too_wide, a=())
    with pytest.raises(ValueError, match="empty interval"):
        compile_gadget(lambda api: Bounded(api, api.constant(0), 1, 0))


def test_bounded_is_an_lc_and_mixing_with_a_raw_lc_drops_the_interval():
    def build(api, a, b, y):
        x = range_check(api, a, 8)
        api.assert_equal(x + 1, y, name="x_plus_one")  # a Bounded goes wherever an LC goes
        return [x + b, b - x, x * b, x - 1]

    h = compile_gadget(build, a=(), b=(), y=())
    mixed, reflected, product, still_bounded = h.result
    assert not any(isinstance(r, Bounded) for r in (mixed, reflected, product))
    assert isinstance(still_bounded, Bounded) and (still_bounded.lo, still_bounded.hi) == (-1, 254)
    w = h.solve(a=5, b=7, y=6)
    assert h.failure(w) is None
    assert h.value(h.result, w) == [12, 2, 35, 4]
    assert h.failure(h.solve(a=5, b=7, y=7)) == "x_plus_one"
