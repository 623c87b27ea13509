"""Gadgets: reusable sub-circuits, split by domain, each with its bounds and exact cost.

Every gadget takes the builder ``api`` first and names its constraints under its own namespace
(``range64/recompose``, ``less_than/diff/bit[3]/boolean``, ``fixed_mul/remainder_lt_divisor/...``),
so a failing check says which gadget and which fact broke. Range-checked values travel as
:class:`Bounded` (an LC carrying its proven integer interval): comparators, min/max and the
fixed-point gadgets range-check raw operands themselves and take ``Bounded`` ones as they are,
so nothing is compared unchecked and nothing is checked twice. Pure references:
:mod:`.reference`; a test harness: :mod:`.testing`.

Costs for raw operands of n bits (each ``Bounded`` or constant operand saves the n + 1 of its
range check); widths are limited so no identity can wrap around the field.

| module | gadget | bounds | cost (constraints) |
|---|---|---|---|
| bits | ``assert_bool(api, x)`` | any | 1 |
| bits | ``num2bits(api, x, n)`` | ``0 <= x < 2^n``, ``n <= p.bit_length() − 1`` | n + 1 |
| bits | ``bits2num(api, bits)`` | bits already boolean | 0 |
| bits | ``weighted_sum(api, [(x, k), ...])`` | any (Σ k·x, one pass) | 0 |
| rangecheck | ``range_check(api, x, n)`` | ``0 <= x < 2^n`` | n + 1 |
| rangecheck | ``signed_range_check(api, x, n)`` | ``−2^(n−1) <= x < 2^(n−1)`` | n + 1 |
| packing | ``pack(api, limbs, widths)`` | each limb in its width, Σ widths < p bits | Σ (w + 1) |
| compare | ``less_than`` / ``less_eq`` / ``greater_than`` / ``greater_eq`` | n-bit | 3n + 4 |
| compare | ``assert_lt`` / ``assert_le`` | n-bit | 3n + 3 |
| compare | ``is_zero(api, x)`` / ``is_equal(api, a, b)`` | any field values | 2 |
| select | ``select(api, cond, a, b)`` | cond boolean (checked) | 2 |
| select | ``mux(api, bits, values)`` | ``2^k`` values | k + up to 2^k − 1 |
| select | ``lookup(api, table, index)`` | index proven ``< len(table)`` | 2(k + 1) + up to 2^k − 1 |
| select | ``bracket_index(api, x, floors, n)`` | increasing floors | (n + 1) + (len − 1)(n + 2) |
| minmax | ``minimum`` / ``maximum`` | n-bit | 3n + 5 |
| minmax | ``min_of`` / ``max_of`` | k n-bit values | k(n + 1) + (k − 1)(n + 3) |
| minmax | ``abs_value(api, x, n)`` | signed n-bit | n + 2 |
| minmax | ``clamp(api, x, lo, hi, n)`` | n-bit x, constant bounds | (n + 1) + 2(n + 3) |
| sums | ``sum_bounded(api, values, n)`` | k n-bit, no wrap | k(n + 1) |
| fixed | ``fixed_mul(api, a, b, D, n)`` | ``floor``/``ceil(a·b/D)`` | 2(n + 1) + (Q + 1) + R + 1 |
| fixed | ``div_floor`` / ``div_ceil(api, x, d, n)`` | d ≥ 1 constant or n-bit signal | see :mod:`.fixed` |
| fixed | ``fixed_div(api, a, b, S, n)`` | ``floor``/``ceil(a·S/b)`` | see :mod:`.fixed` |
| poseidon | ``poseidon_hash``, ``poseidon_sponge`` | circomlib parameters | see :mod:`.poseidon` |
| merkle | ``merkle_root_from_path``, ``assert_merkle_path`` | Poseidon tree | see :mod:`.merkle` |

>>> from zkmargin.dsl.gadgets.testing import compile_gadget
>>> h = compile_gadget(lambda api, a, b: assert_le(api, a, b, 64), a=(), b=())
>>> h.failure(h.solve(a=1, b=2**64 - 1)), h.failure(h.solve(a=-1, b=2))   # -1 wraps to p - 1
(None, 'assert_le/a/range64/recompose')
"""

import importlib
from typing import Any

from zkmargin.dsl.gadgets.bits import (
    assert_bool,
    bits2num,
    decompose,
    max_bits,
    num2bits,
    weighted_sum,
)
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.compare import (
    assert_le,
    assert_lt,
    assert_nonnegative,
    greater_eq,
    greater_than,
    is_equal,
    is_negative,
    is_zero,
    less_eq,
    less_than,
)
from zkmargin.dsl.gadgets.fixed import div_ceil, div_floor, fixed_div, fixed_mul
from zkmargin.dsl.gadgets.minmax import abs_value, clamp, max_of, maximum, min_of, minimum
from zkmargin.dsl.gadgets.packing import pack
from zkmargin.dsl.gadgets.rangecheck import ensure_bounded, range_check, signed_range_check
from zkmargin.dsl.gadgets.select import bracket_index, lookup, mux, select
from zkmargin.dsl.gadgets.sums import sum_bounded

# Poseidon and Merkle gadgets load on first use: their round constants are generated, not stored.
_LAZY = {
    "poseidon_hash": "poseidon",
    "poseidon_sponge": "poseidon",
    "merkle_root_from_path": "merkle",
    "assert_merkle_path": "merkle",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Bounded",
    "Value",
    "abs_value",
    "assert_bool",
    "assert_le",
    "assert_lt",
    "assert_merkle_path",
    "assert_nonnegative",
    "bits2num",
    "bracket_index",
    "clamp",
    "decompose",
    "div_ceil",
    "div_floor",
    "ensure_bounded",
    "fixed_div",
    "fixed_mul",
    "greater_eq",
    "greater_than",
    "is_equal",
    "is_negative",
    "is_zero",
    "less_eq",
    "less_than",
    "lookup",
    "max_bits",
    "max_of",
    "maximum",
    "merkle_root_from_path",
    "min_of",
    "minimum",
    "mux",
    "num2bits",
    "pack",
    "poseidon_hash",
    "poseidon_sponge",
    "range_check",
    "select",
    "signed_range_check",
    "sum_bounded",
    "weighted_sum",
]
