"""Selection: a two-way select, a multiplexer on index bits, a table lookup with a checked index.

| gadget | bounds | cost (constraints) |
|---|---|---|
| ``select(api, cond, a, b)`` | cond boolean (constrained here unless a boolean ``Bounded``) | 1 + 1 |
| ``mux(api, index_bits, values)`` | ``len(values) == 2^k``; bits constrained boolean here | k + nodes |
| ``lookup(api, table, index)`` | index PROVEN in ``[0, len(table))`` | (k + 1) [+ (k + 1)] + nodes |
| ``bracket_index(api, x, floors, n)`` | increasing constant floors | (n + 1) + (len − 1)(m + 2) |

A selection node ``cond ? a : b`` costs one constraint ``cond · (a − b) = out − b`` and is free
when ``a − b`` is a constant; "nodes" counts the non-free nodes of the binary selection tree
(at most ``2^k − 1``). In ``lookup``, ``k = bit length of len(table) − 1``; the index is
decomposed into k bits (``lookup/index_bits/...``) and, unless the table length is a power of
two, ``len(table) − 1 − index`` is range-checked too (``lookup/index_in_table/...``), so an index
past the end can't pick a padding entry — an unchecked selection index is a known solvency-proof
bug. Selecting between ``Bounded`` values returns a ``Bounded`` over the union of their intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bits import assert_bool, decompose, weighted_sum
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.compare import is_negative
from zkmargin.dsl.gadgets.rangecheck import ensure_bounded


def _lc(api: API, x: Value) -> LC:
    return x.lc if isinstance(x, Bounded) else api.lc(x)


def _join(api: API, out: LC, options: Sequence[Value]) -> LC | Bounded:
    """``out`` is one of ``options``: a Bounded over their union if they are all bounded."""
    bs: list[Bounded] = []
    for o in options:
        if isinstance(o, Bounded):
            bs.append(o)
        elif isinstance(o, int) and not isinstance(o, bool):
            bs.append(Bounded.constant(api, o))
        else:
            return out
    return Bounded(api, out, min(b.lo for b in bs), max(b.hi for b in bs))


def pick(api: API, cond: LC, a: LC, b: LC, name: str) -> LC:
    """``cond ? a : b`` for a cond ALREADY boolean; one constraint ``name`` (free if a − b is
    constant). The result is a single new wire, so chains of selections stay short."""
    diff = a - b
    if diff.is_constant or cond.is_constant:
        return b + cond * diff
    (out,) = api.hint(lambda c, x, y: x if c else y, cond, a, b, name=name)
    api.assert_product(cond, diff, out - b, name=name)
    return out


def _boolean(api: API, cond: Value, name: str) -> LC:
    if isinstance(cond, Bounded) and cond.is_boolean:
        return cond.lc
    lc = _lc(api, cond)
    assert_bool(api, lc, name=name)
    return lc


def select(api: API, cond: Value, a: Value, b: Value) -> LC | Bounded:
    """``a`` if ``cond`` else ``b``; cond constrained boolean (``select/cond_boolean``) unless it is
    a boolean ``Bounded`` (a comparator's output). Cost 2: the boolean check and ``select/choose``.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, c, a, b: select(api, c, a, b), c=(), a=(), b=())
    >>> h.value(h.result, h.solve(c=1, a=7, b=9)), h.n_constraints
    (7, 2)
    >>> h.failure(h.solve(c=2, a=7, b=9))
    'select/cond_boolean'
    """
    with api.namespace("select"):
        c = _boolean(api, cond, "cond_boolean")
        return _join(api, pick(api, c, _lc(api, a), _lc(api, b), "choose"), [a, b])


def _tree(api: API, bits: Sequence[LC], values: Sequence[LC]) -> LC:
    """values[Σ bits[j] 2^j] for boolean bits (little-endian) and len(values) == 2^len(bits)."""
    level = list(values)
    for j, bit in enumerate(bits):
        level = [
            pick(api, bit, level[2 * i + 1], level[2 * i], f"level[{j}]/node[{i}]")
            for i in range(len(level) // 2)
        ]
    return level[0]


def mux(api: API, index_bits: Sequence[Value], values: Sequence[Value]) -> LC | Bounded:
    """``values[Σ index_bits[j] · 2^j]`` with ``len(values) == 2^len(index_bits)``.

    Each bit is constrained boolean (``mux/bit[j]/boolean``, skipped for boolean ``Bounded``
    bits); cost k + nodes (module docstring).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, i, v: mux(api, i, v), i=(2,), v=(4,))
    >>> h.value(h.result, h.solve(i=[0, 1], v=[10, 11, 12, 13])), h.n_constraints
    (12, 5)
    """
    k = len(index_bits)
    if len(values) != 1 << k:
        raise ValueError(f"mux over {k} bits needs {1 << k} values, got {len(values)}")
    with api.namespace("mux"):
        bits = [_boolean(api, b, f"bit[{j}]/boolean") for j, b in enumerate(index_bits)]
        out = _tree(api, bits, [_lc(api, v) for v in values])
    return _join(api, out, values)


def lookup(api: API, table: Sequence[Value], index: Value) -> LC | Bounded:
    """``table[index]``, proving ``0 <= index < len(table)``; cost in the module docstring.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, i: lookup(api, [5, 6, 7], i), i=())
    >>> h.value(h.result, h.solve(i=2)), h.n_constraints
    (7, 7)
    >>> h.failure(h.solve(i=3))
    'lookup/index_in_table/recompose'
    """
    m = len(table)
    if m == 0:
        raise ValueError("lookup in an empty table")
    idx = _lc(api, index)
    if idx.is_constant:
        v = idx.constant_value
        if v >= m:
            raise ValueError(f"constant index {v} outside a table of {m}")
        chosen = table[v]
        return Bounded.constant(api, chosen) if isinstance(chosen, int) else chosen
    k = (m - 1).bit_length()
    with api.namespace("lookup"):
        with api.namespace("index_bits"):
            bits = decompose(api, idx, k)
        if m != 1 << k:
            with api.namespace("index_in_table"):
                decompose(api, (m - 1) - idx, k)
        padded = [_lc(api, v) for v in table] + [_lc(api, table[-1])] * ((1 << k) - m)
        out = _tree(api, bits, padded)
    return _join(api, out, table)


def bracket_index(
    api: API, x: Value, floors: Sequence[int], n: int | None = None, *, signed: bool = False
) -> Bounded:
    """The number of ``floors[1:]`` that are ``<= x``: the index of x's bracket (tier).

    For strictly increasing constant floors and ``x >= floors[0]`` this is the last bracket whose
    floor is ``<= x`` (the margin model's bracket and haircut tiers); feed it to :func:`lookup`
    for the bracket's rates. A raw x is range-checked to n bits (``bracket_index/x/...``); each
    floor after the first costs one sign test ``bracket_index/above[i]/diff/...`` of m + 2
    constraints, m the bit width of ``x − floor`` (n for an n-bit x and floors below 2^n).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: bracket_index(api, x, [0, 100, 500], 16), x=())
    >>> [h.value(h.result, h.solve(x=v)) for v in (0, 99, 100, 499, 500, 65535)], h.n_constraints
    ([0, 0, 1, 1, 2, 2], 53)
    """
    if not floors or any(not isinstance(f, int) for f in floors):
        raise ValueError("floors must be a non-empty list of ints")
    if any(b <= a for a, b in pairwise(floors)):
        raise ValueError(f"floors must increase strictly, got {list(floors)}")
    with api.namespace("bracket_index"):
        with api.namespace("x"):
            v = ensure_bounded(api, x, n, signed=signed)
        above = []
        for i, floor in enumerate(floors[1:], start=1):
            with api.namespace(f"above[{i}]"):
                above.append(1 - is_negative(api, v - floor))  # x >= floor
        count = weighted_sum(api, [(a, 1) for a in above])
    return Bounded(api, count, 0, len(above))
