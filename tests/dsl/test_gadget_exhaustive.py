"""Soundness by exhaustion in toy fields, at the width limits where wrap-around would bite.

In a field of 17 or 31 elements every value a prover could put in a gadget's free wires can be
tried. Each test enumerates the free choices (hint outputs: quotients, remainders, flags,
selected values, bits) and asserts that the satisfying witnesses are exactly the honest ones. The
gadgets are generic over the prime, so this exercises the same bound checks that make them sound
on BN254 and BLS12-381.
"""

from __future__ import annotations

import itertools

import pytest

from zkmargin.dsl.gadgets import (
    abs_value,
    div_floor,
    fixed_mul,
    is_zero,
    less_than,
    lookup,
    minimum,
    num2bits,
    range_check,
    select,
)
from zkmargin.dsl.gadgets.reference import (
    div_floor_ref,
    fixed_mul_ref,
    lookup_ref,
    to_int,
)
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.field import PrimeField

F17 = PrimeField("toy17", 17)
F31 = PrimeField("toy31", 31)


def _satisfying(h, inputs, wires, values):
    """The assignments of ``wires`` (each from ``values``) that satisfy every constraint."""
    found = []
    for choice in itertools.product(values, repeat=len(wires)):
        w = h.solve(forge=dict(zip(wires, choice, strict=True)), **inputs)
        if h.failure(w) is None:
            found.append(choice)
    return found


def test_bits_are_unique_up_to_the_width_limit_and_refused_beyond():
    widest = F31.p.bit_length() - 1  # 4 bits: Σ b_i 2^i <= 15 < 31
    h = compile_gadget(lambda api, x: num2bits(api, x, widest), F31, x=())
    bits = [h.wire(f"num2bits/bits[{i}]") for i in range(widest)]
    for x in range(F31.p):
        found = _satisfying(h, {"x": x}, bits, (0, 1))
        expected = [tuple((x >> i) & 1 for i in range(widest))] if x < 2**widest else []
        assert found == expected
    # One bit more and 0 = 0b00000 = 0b11111 (31 ≡ 0): two decompositions. Refused.
    assert sum(2**i for i in range(widest + 1)) % F31.p == 0
    with pytest.raises(ValueError, match="not unique"):
        compile_gadget(lambda api, x: num2bits(api, x, widest + 1), F31, x=())


@pytest.mark.parametrize(
    ("signed", "round_up", "scale"), [(0, 0, 3), (0, 1, 4), (1, 0, 3), (1, 1, 2)]
)
def test_fixed_mul_admits_only_the_true_quotient_and_remainder(signed, round_up, scale):
    n = 2  # one bit more and a·b could wrap around 31: compiling refuses it (below)
    h = compile_gadget(
        lambda api, a, b: fixed_mul(
            api, a, b, scale, n, signed=bool(signed), round_up=bool(round_up)
        ),
        F31,
        a=(),
        b=(),
    )
    q, r = h.wire("fixed_mul/divmod[0]"), h.wire("fixed_mul/divmod[1]")
    window = range(-2, 2) if signed else range(4)
    for a, b in itertools.product(window, repeat=2):
        found = _satisfying(h, {"a": a, "b": b}, [q, r], range(F31.p))
        true_q = fixed_mul_ref(a, b, scale, bool(round_up))
        assert len(found) == 1
        ((q_found, r_found),) = found
        assert to_int(q_found, F31.p, signed=True) == true_q
        assert r_found == abs(a * b - true_q * scale)
    with pytest.raises(ValueError, match="wrap"):
        compile_gadget(lambda api, a, b: fixed_mul(api, a, b, scale, n + 1), F31, a=(), b=())


def test_division_by_a_signal_admits_only_the_true_quotient():
    h = compile_gadget(lambda api, x, d: div_floor(api, x, d, 2), F31, x=(), d=())
    q, r = h.wire("div_floor/divmod[0]"), h.wire("div_floor/divmod[1]")
    for x, d in itertools.product(range(4), repeat=2):
        found = _satisfying(h, {"x": x, "d": d}, [q, r], range(F31.p))
        if d == 0:
            assert found == []  # no quotient at all: division by zero is unsatisfiable
        else:
            assert found == [(div_floor_ref(x, d), x % d)]


def test_less_than_has_one_answer_at_the_width_limit():
    n = 3  # the difference needs n + 1 = 4 bits, the most F31 allows
    h = compile_gadget(lambda api, a, b: less_than(api, a, b, n), F31, a=(), b=())
    diff = [h.wire(f"less_than/diff/bits[{i}]") for i in range(n + 1)]
    for a, b in itertools.product(range(2**n), repeat=2):
        found = _satisfying(h, {"a": a, "b": b}, diff, (0, 1))
        assert len(found) == 1
        assert 1 - found[0][n] == int(a < b)
    with pytest.raises(ValueError, match="too wide to compare"):
        compile_gadget(lambda api, a, b: less_than(api, a, b, n + 1), F31, a=(), b=())


def test_range_check_rejects_every_wrapped_value():
    h = compile_gadget(lambda api, x: range_check(api, x, 4), F31, x=())
    bits = [h.wire(f"range4/bits[{i}]") for i in range(4)]
    for x in range(16, F31.p):  # 16 … 30, i.e. also the field's "negatives" −1 … −15
        assert _satisfying(h, {"x": x}, bits, (0, 1)) == []


def test_is_zero_flag_is_forced_for_every_field_element():
    h = compile_gadget(lambda api, x: is_zero(api, x), F17, x=())
    wires = [h.wire("is_zero/inverse_and_flag[0]"), h.wire("is_zero/inverse_and_flag[1]")]
    for x in range(F17.p):
        found = _satisfying(h, {"x": x}, wires, range(F17.p))
        assert {flag for _, flag in found} == {int(x == 0)}
        assert len(found) == (F17.p if x == 0 else 1)  # inv is free only when x = 0


def test_select_output_is_forced():
    h = compile_gadget(lambda api, c, a, b: select(api, c, a, b), F17, c=(), a=(), b=())
    out = h.wire("select/choose")
    for c in range(F17.p):
        found = _satisfying(h, {"c": c, "a": 5, "b": 11}, [out], range(F17.p))
        assert found == ([(5 if c else 11,)] if c in (0, 1) else [])


def test_lookup_output_is_forced_and_index_bound_to_the_table():
    table = [7, 3, 12, 9, 4]
    h = compile_gadget(lambda api, i: lookup(api, table, i), F31, i=())
    out = h.result.lc.wire
    for index in range(F31.p):
        found = _satisfying(h, {"i": index}, [out], range(F31.p))
        assert found == ([(lookup_ref(table, index),)] if index < len(table) else [])


def test_abs_and_min_outputs_are_forced_over_the_whole_window():
    n = 3  # signed window [−4, 3]; the comparison's difference needs n + 1 = 4 bits
    h = compile_gadget(lambda api, x: abs_value(api, x, n), F31, x=())
    m = compile_gadget(lambda api, a, b: minimum(api, a, b, n, signed=True), F31, a=(), b=())
    magnitude, choose = h.wire("abs/magnitude"), m.wire("min/choose")
    for x in range(-4, 4):
        assert _satisfying(h, {"x": x}, [magnitude], range(F31.p)) == [(abs(x),)]
        for y in range(-4, 4):
            found = _satisfying(m, {"a": x, "b": y}, [choose], range(F31.p))
            assert found == [(min(x, y) % F31.p,)]
