"""select: two-way select, mux on index bits, table lookup with the index proven in the table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import bracket_index, less_than, lookup, mux, range_check, select
from zkmargin.dsl.gadgets.reference import lookup_ref, mux_ref, select_ref
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.field import BN254_FR

P = BN254_FR.p
SELECT = compile_gadget(lambda api, c, a, b: select(api, c, a, b), c=(), a=(), b=())
values = st.integers(0, P - 1)


@given(c=st.integers(0, 1), a=values, b=values)
def test_select_matches_reference(c, a, b):
    w = SELECT.solve(c=c, a=a, b=b)
    assert SELECT.failure(w) is None
    assert SELECT.value(SELECT.result, w) == select_ref(c, a, b)
    assert SELECT.n_constraints == 2


@given(c=st.sampled_from([2, P - 1, P // 2]) | st.integers(2, P - 1))
def test_select_rejects_a_non_boolean_condition(c):
    # c = 2 would output b + 2(a − b) = 2a − b: neither input.
    assert SELECT.failure(SELECT.solve(c=c, a=10, b=3)) == "select/cond_boolean"


def test_select_forged_output_is_named():
    out = SELECT.wire("select/choose")
    assert SELECT.failure(SELECT.solve(c=1, a=10, b=3, forge={out: 3})) == "select/choose"


def test_select_trusts_proven_booleans_and_keeps_intervals():
    def build(api, x, y):
        a, b = range_check(api, x, 8), range_check(api, y, 4)
        return select(api, less_than(api, a, b), a, b)  # min, via a proven boolean

    h = compile_gadget(build, x=(), y=())
    base = compile_gadget(
        lambda api, x, y: less_than(api, range_check(api, x, 8), range_check(api, y, 4)),
        x=(),
        y=(),
    )
    assert h.n_constraints == base.n_constraints + 1  # no boolean check on the comparator's bit
    assert (h.result.lo, h.result.hi) == (0, 255)
    assert h.value(h.result, h.solve(x=200, y=9)) == 9


def test_select_between_constants_is_one_boolean_check():
    h = compile_gadget(lambda api, c: select(api, c, 7, 9), c=())
    assert h.n_constraints == 1
    assert [h.value(h.result, h.solve(c=c)) for c in (0, 1)] == [9, 7]


MUXES = {k: compile_gadget(lambda api, i, v: mux(api, i, v), i=(k,), v=(1 << k,)) for k in range(4)}


@given(data=st.data())
def test_mux_matches_reference(data):
    k = data.draw(st.integers(0, 3))
    bits = data.draw(st.lists(st.integers(0, 1), min_size=k, max_size=k))
    vals = data.draw(st.lists(values, min_size=1 << k, max_size=1 << k))
    h = MUXES[k]
    assert h.n_constraints == k + (1 << k) - 1
    w = h.solve(i=bits, v=vals)
    assert h.failure(w) is None
    assert h.value(h.result, w) == mux_ref(bits, vals)


def test_mux_forgeries_are_named():
    h = MUXES[2]
    v = [10, 11, 12, 13]
    # index bits (2, 0) would pick 10 + 2·(11 − 10) = 12: an entry that is not at index 2.
    bit0 = h.compiled.inputs[0].wires[0]
    assert h.failure(h.solve(i=[0, 0], v=v, forge={bit0: 2})) == "mux/bit[0]/boolean"
    node = h.wire("mux/level[1]/node[0]")
    assert h.failure(h.solve(i=[1, 1], v=v, forge={node: 12})) == "mux/level[1]/node[0]"


def test_mux_over_constants_skips_the_free_level():
    h = compile_gadget(lambda api, i: mux(api, i, [5, 9, 2, 8]), i=(2,))
    assert h.n_constraints == 2 + 1  # two boolean checks, one non-constant node
    assert [h.value(h.result, h.solve(i=[b & 1, b >> 1])) for b in range(4)] == [5, 9, 2, 8]
    # an arithmetic progression is linear in the bits: no node costs anything
    assert compile_gadget(lambda api, i: mux(api, i, [5, 6, 7, 8]), i=(2,)).n_constraints == 2
    with pytest.raises(ValueError, match="needs 4 values"):
        compile_gadget(lambda api, i: mux(api, i, [5, 6, 7]), i=(2,))


def _lookup_cost(m):
    k = (m - 1).bit_length()
    return (k + 1) + (k + 1 if m != 1 << k else 0)


@pytest.mark.parametrize("m", [1, 2, 3, 5, 8, 9])
@given(data=st.data())
def test_lookup_matches_reference_and_proves_the_index(m, data):
    table = [(37 * i * i + 11) % 1009 for i in range(m)]  # no linear structure
    h = compile_gadget(lambda api, i: lookup(api, table, i), i=())
    k = (m - 1).bit_length()
    # constant entries: the first tree level is free, as are nodes over padding only
    nodes = {1: 0, 2: 0, 3: 1, 5: 2, 8: 3, 9: 4}[m]
    assert h.n_constraints == _lookup_cost(m) + nodes
    index = data.draw(st.sampled_from([0, m - 1, m, 1 << k, P - 1]) | st.integers(0, P - 1))
    w = h.solve(i=index)
    if index < m:
        assert h.failure(w) is None
        assert h.value(h.result, w) == lookup_ref(table, index)
    elif index < 1 << k:  # inside the padded tree but past the table: the extra check
        assert h.failure(w) == "lookup/index_in_table/recompose"
    else:
        assert h.failure(w) == "lookup/index_bits/recompose"


def test_lookup_over_signals_with_forged_output():
    h = compile_gadget(lambda api, t, i: lookup(api, t, i), t=(5,), i=())
    assert h.n_constraints == _lookup_cost(5) + 4  # padding pairs (t4, t4) are free
    t = [3, 1, 4, 1, 5]
    assert h.value(h.result, h.solve(t=t, i=4)) == 5
    node = h.wire("lookup/level[2]/node[0]")
    assert h.failure(h.solve(t=t, i=2, forge={node: 9})) == "lookup/level[2]/node[0]"


def test_lookup_constant_index_and_empty_table():
    h = compile_gadget(lambda api: lookup(api, [4, 5, 6], 1))
    assert (h.n_constraints, h.value(h.result, h.solve())) == (0, 5)
    with pytest.raises(ValueError, match="outside a table"):
        compile_gadget(lambda api: lookup(api, [4, 5, 6], 3))
    with pytest.raises(ValueError, match="empty table"):
        compile_gadget(lambda api, i: lookup(api, [], i), i=())


FLOORS = [0, 50_000, 250_000, 1_000_000, 10_000_000]  # increasing bracket floors
BRACKETS = compile_gadget(lambda api, x: bracket_index(api, x, FLOORS, 64), x=())


def _bracket_ref(x, floors):
    return sum(x >= f for f in floors[1:])


@given(x=st.sampled_from([f + d for f in FLOORS for d in (-1, 0, 1)] + [2**64 - 1]) | values)
def test_bracket_index_matches_reference(x):
    assert BRACKETS.n_constraints == 65 + 4 * 66
    w = BRACKETS.solve(x=x)
    if not 0 <= x < 2**64:
        assert BRACKETS.failure(w) == "bracket_index/x/range64/recompose"
    else:
        assert BRACKETS.failure(w) is None
        assert BRACKETS.value(BRACKETS.result, w) == _bracket_ref(x, FLOORS)


def test_bracket_index_forged_and_fed_to_a_lookup():
    rates = [4000, 5000, 10000, 25000, 50000]

    def build(api, x):
        return lookup(api, rates, bracket_index(api, x, FLOORS, 64))

    h = compile_gadget(build, x=())
    assert h.value(h.result, h.solve(x=250_000)) == 10000
    sign = h.wire("bracket_index/above[2]/diff/bits[64]")  # claim 250,000 is below the floor
    assert h.failure(h.solve(x=250_000, forge={sign: 0})) == "bracket_index/above[2]/diff/recompose"
    with pytest.raises(ValueError, match="increase strictly"):
        compile_gadget(lambda api, x: bracket_index(api, x, [0, 5, 5], 8), x=())
