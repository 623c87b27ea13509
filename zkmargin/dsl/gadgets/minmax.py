"""Minimum, maximum and absolute value of range-checked integers.

Operands as in :mod:`.compare`: ``Bounded`` values as they are, raw LCs range-checked to n bits
(``signed=True`` for the signed window). Costs for raw n-bit operands; each ``Bounded`` or constant
operand saves n + 1. Results are ``Bounded`` with the exact interval of the result.

| gadget | bounds | cost (constraints) |
|---|---|---|
| ``minimum(api, a, b, n)`` / ``maximum`` | n-bit operands | 3n + 5 |
| ``min_of(api, values, n)`` / ``max_of`` | k n-bit operands | k(n + 1) + (k − 1)(n + 3) |
| ``abs_value(api, x, n)`` | ``-2^(n-1) <= x < 2^(n-1)``; result ``<= 2^(n-1)`` | n + 2 |
| ``clamp(api, x, lo, hi, n)`` | ``min(max(x, lo), hi)``, ``lo <= hi`` | (n + 1) + 2(n + 3) |

Each pairwise step is a comparison (``.../diff/...``, n + 2) and a selection (``.../choose``, 1).
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API
from zkmargin.dsl.gadgets.bits import decompose
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.compare import is_negative
from zkmargin.dsl.gadgets.rangecheck import ensure_bounded
from zkmargin.dsl.gadgets.select import pick


def _extreme(api: API, x: Bounded, y: Bounded, take_max: bool) -> Bounded:
    x_lt_y = is_negative(api, x - y)
    if take_max:
        out = pick(api, x_lt_y.lc, y.lc, x.lc, "choose")
        return Bounded(api, out, max(x.lo, y.lo), max(x.hi, y.hi))
    out = pick(api, x_lt_y.lc, x.lc, y.lc, "choose")
    return Bounded(api, out, min(x.lo, y.lo), min(x.hi, y.hi))


def _fold(
    api: API, label: str, values: Sequence[Value], n: int | None, signed: bool, take_max: bool
) -> Bounded:
    if not values:
        raise ValueError(f"{label} of no values")
    with api.namespace(label):
        xs = []
        for i, v in enumerate(values):
            with api.namespace(f"value[{i}]"):
                xs.append(ensure_bounded(api, v, n, signed=signed))
        best = xs[0]
        for i, x in enumerate(xs[1:], start=1):
            with api.namespace(f"step[{i}]"):
                best = _extreme(api, best, x, take_max)
        return best


def minimum(api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False) -> Bounded:
    """``min(a, b)``; cost 3n + 5 for raw n-bit operands.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: minimum(api, a, b, 8, signed=True), a=(), b=())
    >>> h.value(h.result, h.solve(a=-3, b=2)), h.n_constraints
    (-3, 29)
    """
    with api.namespace("min"):
        with api.namespace("a"):
            x = ensure_bounded(api, a, n, signed=signed)
        with api.namespace("b"):
            y = ensure_bounded(api, b, n, signed=signed)
        return _extreme(api, x, y, take_max=False)


def maximum(api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False) -> Bounded:
    """``max(a, b)``; cost 3n + 5 for raw n-bit operands.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: maximum(api, a, b, 8), a=(), b=())
    >>> h.value(h.result, h.solve(a=200, b=7)), (h.result.lo, h.result.hi)
    (200, (0, 255))
    """
    with api.namespace("max"):
        with api.namespace("a"):
            x = ensure_bounded(api, a, n, signed=signed)
        with api.namespace("b"):
            y = ensure_bounded(api, b, n, signed=signed)
        return _extreme(api, x, y, take_max=True)


def min_of(
    api: API, values: Sequence[Value], n: int | None = None, *, signed: bool = False
) -> Bounded:
    """The least of ``values`` (each checked once); cost k(n + 1) + (k − 1)(n + 3).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, v: min_of(api, v, 8), v=(3,))
    >>> h.value(h.result, h.solve(v=[9, 4, 6])), h.failure(h.solve(v=[9, -4, 6]))
    (4, 'min_of/value[1]/range8/recompose')
    """
    return _fold(api, "min_of", values, n, signed, take_max=False)


def max_of(
    api: API, values: Sequence[Value], n: int | None = None, *, signed: bool = False
) -> Bounded:
    """The greatest of ``values`` (each checked once); cost k(n + 1) + (k − 1)(n + 3).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, v: max_of(api, v, 16, signed=True), v=(3,))
    >>> h.value(h.result, h.solve(v=[-5, 7, 2])), h.n_constraints
    (7, 89)
    """
    return _fold(api, "max_of", values, n, signed, take_max=True)


def abs_value(api: API, x: Value, n: int | None = None) -> Bounded:
    """``|x|`` for a signed x; a raw x is checked in ``[-2^(n-1), 2^(n-1))``. Cost n + 2.

    The sign comes from the signed range check's top bit, so a raw operand costs no extra
    comparison; a ``Bounded`` operand costs a sign test (see ``compare.is_negative``) + 1.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: abs_value(api, x, 8), x=())
    >>> [h.value(h.result, h.solve(x=v)) for v in (-128, -1, 0, 127)], h.n_constraints
    ([128, 1, 0, 127], 10)
    """
    with api.namespace("abs"):
        if isinstance(x, Bounded) or api.lc(x).is_constant:
            v = ensure_bounded(api, x, signed=True)
            if v.lo >= 0:
                return v
            if v.hi <= 0:
                return -v
            negative = is_negative(api, v).lc
        else:
            if n is None or n < 1:
                raise ValueError("abs_value of an unchecked signal needs a bit width n >= 1")
            with api.namespace(f"signed_range{n}"):
                bits = decompose(api, api.lc(x) + (1 << (n - 1)), n)
            v = Bounded(api, api.lc(x), -(1 << (n - 1)), (1 << (n - 1)) - 1)
            negative = 1 - bits[n - 1]  # top bit of x + 2^(n-1) is 1 exactly when x >= 0
        magnitude = api.mul(v.lc, 1 - 2 * negative, name="magnitude")
        return Bounded(api, magnitude, 0, max(-v.lo, v.hi))


def clamp(
    api: API, x: Value, lo: Value, hi: Value, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``min(max(x, lo), hi)``: x held to ``[lo, hi]`` (``clamp/low/...``, ``clamp/high/...``).

    All three operands as in :func:`minimum` (raw ones range-checked to n bits). With constant
    bounds the cost is (n + 1) + 2(m + 3), m the bit width of the compared differences (about
    n); a comparison the intervals already decide is free. Tiered haircuts use it for the slice
    of a value inside one tier.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: clamp(api, x, 10, 20, 8), x=())
    >>> [h.value(h.result, h.solve(x=v)) for v in (3, 15, 250)], (h.result.lo, h.result.hi)
    ([10, 15, 20], (10, 20))
    """
    with api.namespace("clamp"):
        with api.namespace("x"):
            v = ensure_bounded(api, x, n, signed=signed)
        with api.namespace("lo"):
            low = ensure_bounded(api, lo, n, signed=signed)
        with api.namespace("hi"):
            high = ensure_bounded(api, hi, n, signed=signed)
        if low.is_exact and high.is_exact and low.lo > high.lo:
            raise ValueError(f"empty clamp range [{low.lo}, {high.lo}]")
        with api.namespace("low"):
            v = _extreme(api, v, low, take_max=True)
        with api.namespace("high"):
            return _extreme(api, v, high, take_max=False)
