"""fixed: rescales proven exact — floor/ceil against the reference, remainder = D, off-by-one q."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import (
    div_ceil,
    div_floor,
    fixed_div,
    fixed_mul,
    range_check,
    signed_range_check,
)
from zkmargin.dsl.gadgets.reference import (
    div_ceil_ref,
    div_floor_ref,
    fixed_div_ref,
    fixed_mul_ref,
    range_check_ref,
    to_int,
)
from zkmargin.dsl.gadgets.testing import compile_gadget, edge_values
from zkmargin.field import BLS12_381_FR, BN254_FR

P = BN254_FR.p
FIELDS = [BN254_FR, BLS12_381_FR]
SCALES = [1, 2**8, 100, 10**8]  # trivial, power of two (one remainder check), decimal


def _mul(scale, signed, round_up, field=BN254_FR, n=64):
    return compile_gadget(
        lambda api, a, b: fixed_mul(api, a, b, scale, n, signed=signed, round_up=round_up),
        field,
        a=(),
        b=(),
    )


MULS = {
    (scale, signed, up): _mul(scale, signed, up)
    for scale in SCALES
    for signed in (False, True)
    for up in (False, True)
}


@pytest.mark.parametrize("round_up", [False, True], ids=["floor", "ceil"])
@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("scale", SCALES)
@given(data=st.data())
def test_fixed_mul_matches_reference(scale, signed, round_up, data):
    operand = st.sampled_from(edge_values(64, P, signed)) | st.integers(0, P - 1)
    a, b = data.draw(operand), data.draw(operand)
    h = MULS[(scale, signed, round_up)]
    w = h.solve(a=a, b=b)
    rng = f"{'signed_' if signed else ''}range64"
    if not range_check_ref(a, 64, P, signed):
        assert h.failure(w) == f"fixed_mul/a/{rng}/recompose"
    elif not range_check_ref(b, 64, P, signed):
        assert h.failure(w) == f"fixed_mul/b/{rng}/recompose"
    else:
        assert h.failure(w) is None
        x, y = to_int(a, P, signed), to_int(b, P, signed)
        expected = fixed_mul_ref(x, y, scale, round_up)
        assert h.value(h.result, w) == expected
        assert h.result.lo <= expected <= h.result.hi


def _remainder_cost(d):
    k = (d - 1).bit_length()
    return k + 1 if d == 1 << k else 2 * (k + 1)


@pytest.mark.parametrize("scale", SCALES)
def test_fixed_mul_cost_follows_the_documented_formula(scale):
    q_bits = ((2**64 - 1) ** 2 // scale).bit_length()
    expected = 2 * 65 + (q_bits + 1) + _remainder_cost(scale) + 1
    assert MULS[(scale, False, False)].n_constraints == expected
    assert MULS[(10**8, False, False)].n_constraints == 290  # the docstring's worked example


@pytest.mark.parametrize("scale", [100, 2**8])
def test_remainder_equal_to_the_divisor_is_rejected(scale):
    h = MULS[(scale, False, False)]
    q, r = h.wire("fixed_mul/divmod[0]"), h.wire("fixed_mul/divmod[1]")
    # 3·scale · 7 = 21·scale exactly: claim q = 20, r = scale (the identity still holds)
    w = h.solve(a=3 * scale, b=7, forge={q: 20, r: scale})
    assert h.value(h.result, w) == 20
    assert h.failure(w) == "fixed_mul/remainder_lt_divisor/recompose"


@pytest.mark.parametrize("round_up", [False, True], ids=["floor", "ceil"])
def test_quotient_off_by_one_is_rejected(round_up):
    h = MULS[(100, True, round_up)]
    q, r = h.wire("fixed_mul/divmod[0]"), h.wire("fixed_mul/divmod[1]")
    a, b = -150, 251  # −376.5: floor −377, ceil −376, remainder 50 either way
    honest = fixed_mul_ref(a, b, 100, round_up)
    sign = -1 if round_up else 1
    for step in (1, -1):  # keep the identity a·b = q·100 ± r, move q by one
        forged = {q: honest + step, r: a * b - (honest + step) * 100 * sign}
        w = h.solve(a=a, b=b, forge=forged)
        assert h.failure(w) == "fixed_mul/remainder_range/recompose"


def test_quotient_wrapped_around_the_field_is_rejected():
    h = MULS[(100, False, False)]
    q, r = h.wire("fixed_mul/divmod[0]"), h.wire("fixed_mul/divmod[1]")
    a, b = 12345, 678  # 8369910 = 83699·100 + 10
    # q' = q + t with t·100 ≡ 10 − 3 (mod p) gives a valid-looking r' = 3: only q's range check
    # stops this wrap-around.
    t = 7 * pow(100, -1, P) % P
    w = h.solve(a=a, b=b, forge={q: 83699 + t, r: 3})
    assert h.failure(w) == "fixed_mul/quotient_range/recompose"


def test_fixed_mul_refuses_products_that_wrap():
    assert _mul(10**8, False, False, n=126).n_constraints > 0
    with pytest.raises(ValueError, match="wrap"):
        _mul(10**8, False, False, n=127)
    with pytest.raises(ValueError, match="positive int"):
        compile_gadget(lambda api, a, b: fixed_mul(api, a, b, 0, 8), a=(), b=())


@cache
def _qty_times_price(field):
    # the margin model's typical product: a signed quantity times an unsigned price
    def build(api, q, px):
        return fixed_mul(api, signed_range_check(api, q, 64), range_check(api, px, 63), 10**8)

    return compile_gadget(build, field, q=(), px=())


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@given(a=st.integers(-(2**63), 2**63 - 1), b=st.integers(0, 2**63 - 1))
def test_signed_quantity_times_price_on_both_fields(field, a, b):
    h = _qty_times_price(field)
    w = h.solve(q=a, px=b)
    assert h.failure(w) is None
    assert h.value(h.result, w) == fixed_mul_ref(a, b, 10**8)


def test_constant_factor_makes_a_linear_numerator():
    h = compile_gadget(lambda api, a: fixed_mul(api, a, 3, 2, 8), a=())
    assert h.constraint_names()[-1] == "fixed_mul/num_eq_qd_plus_r"
    assert h.value(h.result, h.solve(a=7)) == 10


DIVS = {
    (g.__name__, signed): compile_gadget(
        lambda api, x, d, g=g, s=signed: g(api, x, d, 32, signed=s), x=(), d=()
    )
    for g in (div_floor, div_ceil)
    for signed in (False, True)
}


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("gadget", [div_floor, div_ceil], ids=lambda g: g.__name__)
@given(data=st.data())
def test_division_by_a_signal_matches_reference(gadget, signed, data):
    x = data.draw(st.sampled_from(edge_values(32, P, signed)) | st.integers(0, P - 1))
    d = data.draw(st.sampled_from([0, 1, 2, 3, 2**32 - 1, 2**32, P - 1]) | st.integers(1, 2**32))
    h = DIVS[(gadget.__name__, signed)]
    name = gadget.__name__
    w = h.solve(x=x, d=d)
    if not range_check_ref(x, 32, P, signed):
        assert h.failure(w) == f"{name}/x/{'signed_' if signed else ''}range32/recompose"
    elif not range_check_ref(d, 32, P):
        assert h.failure(w) == f"{name}/d/range32/recompose"
    elif d == 0:
        assert h.failure(w) == f"{name}/remainder_lt_divisor/recompose"
    else:
        assert h.failure(w) is None
        ref = div_floor_ref if gadget is div_floor else div_ceil_ref
        assert h.value(h.result, w) == ref(to_int(x, P, signed), d)


def test_division_by_a_signal_forgeries():
    h = DIVS[("div_floor", False)]
    assert h.n_constraints == 2 * 33 + 33 + 2 * 33 + 1  # x, d; q; r and r < d; identity
    q, r = h.wire("div_floor/divmod[0]"), h.wire("div_floor/divmod[1]")
    # 100 / 7 = 14 r 2; claim 13 r 9 (r ≥ d)
    assert h.failure(h.solve(x=100, d=7, forge={q: 13, r: 9})) == (
        "div_floor/remainder_lt_divisor/recompose"
    )
    # a forged quotient alone breaks the identity
    assert h.failure(h.solve(x=100, d=7, forge={q: 15})) == "div_floor/num_eq_qd_plus_r"


@cache
def _div_by_constant(d):
    return compile_gadget(lambda api, x: div_ceil(api, x, d, 41, signed=True), x=())


@pytest.mark.parametrize("d", [1, 2, 3, 10**6])
@given(x=st.integers(-(2**40), 2**40 - 1))
def test_division_by_a_constant(d, x):
    h = _div_by_constant(d)
    w = h.solve(x=x)
    assert h.failure(w) is None
    assert h.value(h.result, w) == div_ceil_ref(x, d)


def test_division_by_zero_constant_is_refused():
    with pytest.raises(ValueError, match="positive"):
        compile_gadget(lambda api, x: div_floor(api, x, 0, 8), x=())


@cache
def _fixed_div(round_up):
    return compile_gadget(
        lambda api, a, b: fixed_div(api, a, b, 10**6, 48, signed=True, round_up=round_up),
        a=(),
        b=(),
    )


@pytest.mark.parametrize("round_up", [False, True], ids=["floor", "ceil"])
@given(
    a=st.integers(-(2**47), 2**47 - 1),
    b=st.sampled_from([0, 1, 2**48 - 1]) | st.integers(0, 2**48 - 1),
)
def test_fixed_div_matches_reference(round_up, a, b):
    h = _fixed_div(round_up)
    w = h.solve(a=a, b=b)
    if b == 0:
        assert h.failure(w) == "fixed_div/remainder_lt_divisor/recompose"
    else:
        assert h.failure(w) is None
        assert h.value(h.result, w) == fixed_div_ref(a, b, 10**6, round_up)


@given(x=st.integers(-(2**130), 2**130), d=st.integers(1, 2**64))
def test_references_round_like_the_margin_calculator(x, d):
    from zkmargin.margin import fixed as margin_fixed

    assert div_floor_ref(x, d) == margin_fixed.div_floor(x, d)
    assert div_ceil_ref(x, d) == margin_fixed.div_ceil(x, d)
