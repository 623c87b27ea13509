"""Comparators with their range checks built in, and equality tests.

Operands are :class:`~.bounded.Bounded` values (used as they are), ints, or raw LCs, which are
range-checked to n bits first (``signed=True``: the window ``[-2^(n-1), 2^(n-1))``). So a
comparison can never run on an unchecked value — circomlib's ``LessThan`` assumes its inputs are
already n-bit and silently answers garbage for wrapped ones; these cannot.

Costs below are for two raw n-bit operands; each ``Bounded`` or constant operand saves n + 1.

| gadget | result | cost (constraints) |
|---|---|---|
| ``less_than(api, a, b, n)`` | ``a < b`` as a boolean ``Bounded`` | 3n + 4 |
| ``less_eq`` / ``greater_than`` / ``greater_eq`` | likewise | 3n + 4 |
| ``assert_lt(api, a, b, n)`` / ``assert_le`` | constrains it | 3n + 3 |
| ``is_zero(api, x)`` / ``is_equal(api, a, b)`` | ``x = 0`` / ``a = b`` (any field values) | 2 |

For ``Bounded`` operands the sign of ``d = a − b`` is read from the top bit of ``d + 2^m``
decomposed in m + 1 bits, with m the smallest width such that ``-2^m <= d < 2^m`` holds on the
whole interval: cost m + 2 (n + 2 for n-bit operands). Sound while m + 1 <= p.bit_length() − 1.
Constraint names: ``less_than/a/range<n>/...``, ``less_than/diff/recompose``,
``assert_le/gap/recompose``, ``is_zero/inverse_or_flag``, ``is_zero/flag_implies_zero``.
"""

from __future__ import annotations

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bits import decompose, max_bits
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.rangecheck import ensure_bounded


def _operands(api: API, a: Value, b: Value, n: int | None, signed: bool) -> tuple[Bounded, Bounded]:
    with api.namespace("a"):
        x = ensure_bounded(api, a, n, signed=signed)
    with api.namespace("b"):
        y = ensure_bounded(api, b, n, signed=signed)
    return x, y


def is_negative(api: API, d: Bounded) -> Bounded:
    """``d < 0`` as a boolean, in the current namespace (``diff/...``); cost m + 2, see above.

    Free when the interval already decides it.

    >>> from zkmargin.dsl.gadgets import signed_range_check
    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, d: is_negative(api, signed_range_check(api, d, 8)), d=())
    >>> h.value(h.result, h.solve(d=-1)), h.value(h.result, h.solve(d=0)), h.n_constraints
    (1, 0, 18)
    """
    if d.hi < 0 or d.lo >= 0:
        return Bounded.constant(api, int(d.hi < 0))
    m = max(d.hi.bit_length(), (-d.lo - 1).bit_length())
    if m + 1 > max_bits(api):
        raise ValueError(f"difference interval [{d.lo}, {d.hi}] too wide to compare")
    with api.namespace("diff"):
        bits = decompose(api, d.lc + (1 << m), m + 1)
    return Bounded(api, 1 - bits[m], 0, 1)


def less_than(
    api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``1`` if ``a < b`` else ``0``; raw operands range-checked to n bits. Cost 3n + 4.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: less_than(api, a, b, 64), a=(), b=())
    >>> h.value(h.result, h.solve(a=2, b=3)), h.value(h.result, h.solve(a=3, b=3)), h.n_constraints
    (1, 0, 196)
    """
    with api.namespace("less_than"):
        x, y = _operands(api, a, b, n, signed)
        return is_negative(api, x - y)


def greater_than(
    api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``1`` if ``a > b`` else ``0``; cost 3n + 4 (see :func:`less_than`).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a: greater_than(api, a, -3, 8, signed=True), a=())
    >>> [h.value(h.result, h.solve(a=v)) for v in (-4, -3, -2)], h.n_constraints
    ([0, 0, 1], 19)
    """
    with api.namespace("greater_than"):
        x, y = _operands(api, a, b, n, signed)
        return is_negative(api, y - x)


def less_eq(api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False) -> Bounded:
    """``1`` if ``a <= b`` else ``0``; cost 3n + 4 (see :func:`less_than`).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a: less_eq(api, a, 5, 8), a=())
    >>> [h.value(h.result, h.solve(a=v)) for v in (4, 5, 6)]
    [1, 1, 0]
    """
    with api.namespace("less_eq"):
        x, y = _operands(api, a, b, n, signed)
        return 1 - is_negative(api, y - x)


def greater_eq(
    api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``1`` if ``a >= b`` else ``0``; cost 3n + 4 (see :func:`less_than`).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a: greater_eq(api, a, 5, 8), a=())
    >>> [h.value(h.result, h.solve(a=v)) for v in (4, 5, 6)]
    [0, 1, 1]
    """
    with api.namespace("greater_eq"):
        x, y = _operands(api, a, b, n, signed)
        return 1 - is_negative(api, x - y)


def assert_nonnegative(api: API, d: Bounded, name: str = "gap") -> None:
    """Constrain ``d >= 0`` (namespace ``name``); cost k + 1 with k = bit length of ``d.hi``.

    Free if the interval already proves it; ValueError if the interval rules it out.

    >>> from zkmargin.dsl.gadgets import range_check
    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: assert_nonnegative(api, range_check(api, x, 8) - 10), x=())
    >>> h.failure(h.solve(x=10)), h.failure(h.solve(x=9)), h.n_constraints
    (None, 'gap/recompose', 18)
    """
    if d.lo >= 0:
        return
    if d.hi < 0:
        raise ValueError(f"{name}: [{d.lo}, {d.hi}] is never non-negative")
    k = d.hi.bit_length()
    # A negative d is the field element p + d; it must not look like a k-bit number.
    if api.p + d.lo < (1 << k):
        raise ValueError(f"{name}: interval [{d.lo}, {d.hi}] too wide to check")
    with api.namespace(name):
        decompose(api, d.lc, k)


def assert_le(api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False) -> None:
    """Constrain ``a <= b`` (``b − a`` is an n-bit number); cost 3n + 3.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: assert_le(api, a, b, 8), a=(), b=())
    >>> h.failure(h.solve(a=5, b=5)), h.failure(h.solve(a=6, b=5)), h.n_constraints
    (None, 'assert_le/gap/recompose', 27)
    """
    with api.namespace("assert_le"):
        x, y = _operands(api, a, b, n, signed)
        assert_nonnegative(api, y - x)


def assert_lt(api: API, a: Value, b: Value, n: int | None = None, *, signed: bool = False) -> None:
    """Constrain ``a < b`` (``b − a − 1`` is an n-bit number); cost 3n + 3.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: assert_lt(api, a, b, 8), a=(), b=())
    >>> h.failure(h.solve(a=4, b=5)), h.failure(h.solve(a=5, b=5))
    (None, 'assert_lt/gap/recompose')
    """
    with api.namespace("assert_lt"):
        x, y = _operands(api, a, b, n, signed)
        assert_nonnegative(api, y - x - 1)


def _is_zero(api: API, x: LC) -> Bounded:
    p = api.p

    def inverse_and_flag(v: int) -> list[int]:
        return [pow(v, -1, p), 0] if v else [0, 1]

    inv, flag = api.hint(inverse_and_flag, x, n_out=2, name="inverse_and_flag")
    # x ≠ 0 forces flag = 0 (second constraint); x = 0 forces flag = 1 (first constraint).
    api.assert_product(x, inv, 1 - flag, name="inverse_or_flag")
    api.assert_product(x, flag, 0, name="flag_implies_zero")
    return Bounded(api, flag, 0, 1)


def is_zero(api: API, x: Value) -> Bounded:
    """``1`` if ``x = 0`` in the field else ``0``; any field value; cost 2 (0 for a constant).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: is_zero(api, x), x=())
    >>> h.value(h.result, h.solve(x=0)), h.value(h.result, h.solve(x=-1)), h.n_constraints
    (1, 0, 2)
    """
    lc = x.lc if isinstance(x, Bounded) else api.lc(x)
    if lc.is_constant:
        return Bounded.constant(api, int(lc.constant_value == 0))
    with api.namespace("is_zero"):
        return _is_zero(api, lc)


def is_equal(api: API, a: Value, b: Value) -> Bounded:
    """``1`` if ``a = b`` in the field else ``0``; cost 2 (0 if both are constants).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: is_equal(api, a, b), a=(), b=())
    >>> h.value(h.result, h.solve(a=-1, b=-1)), h.value(h.result, h.solve(a=1, b=-1))
    (1, 0)
    """
    x = a.lc if isinstance(a, Bounded) else api.lc(a)
    y = b.lc if isinstance(b, Bounded) else api.lc(b)
    if (x - y).is_constant:
        return Bounded.constant(api, int((x - y).constant_value == 0))
    with api.namespace("is_equal"):
        return _is_zero(api, x - y)
