"""Fixed-point multiply and divide with every rescale proven exact.

A rescale proves ``num = q·D + r`` (floor) or ``num = q·D − r`` (ceiling) with ``0 <= r < D``:
``r`` is range-checked AND compared with D (``remainder_lt_divisor`` — ``r <= D`` would let a
prover shift q by one), q is range-checked over its exact interval, and compiling refuses widths
for which either side of the identity could wrap around the field, so it holds over the
integers. Signed operands round toward −∞ (floor) or +∞ (ceiling), never toward zero. The margin
model rounds requirements up (``round_up=True``) and collateral down.

Operands as in :mod:`.compare` (``Bounded`` as they are; raw LCs range-checked to n bits, signed
window with ``signed=True``). Costs for raw n-bit operands and a constant divisor D, with
``k = bit length of D − 1``, ``R = k + 1`` if D is a power of two else ``2(k + 1)``, and
``Q = bit length of (q_max − q_min)``:

| gadget | result | cost (constraints) |
|---|---|---|
| ``fixed_mul(api, a, b, D, n)`` | ``floor(a·b / D)`` (ceil with ``round_up``) | 2(n + 1) + (Q + 1) + R + 1 |
| ``div_floor(api, x, D, n)`` / ``div_ceil`` | ``floor(x / D)`` / ``ceil(x / D)`` | (n + 1) + (Q + 1) + R + 1 |
| ``div_floor(api, x, d, n)``, d a signal | d range-checked n bits, ``d >= 1`` implied | 2(n + 1) + (Q + 1) + 2(n + 1) + 1 |
| ``fixed_div(api, a, b, S, n)`` | ``floor(a·S / b)`` | as ``div_floor`` of ``a·S`` |

Example: 64-bit unsigned operands, D = 10^8 (``fixed_mul``): Q = 102, k = 27, cost 130 + 103 +
56 + 1 = 290. Constraint names: ``fixed_mul/product_eq_qd_plus_r``,
``fixed_mul/quotient_range/recompose``, ``fixed_mul/remainder_range/...``,
``fixed_mul/remainder_lt_divisor/recompose``, ``div_floor/num_eq_qd_plus_r``,
``div_ceil/num_eq_qd_minus_r``.
"""

from __future__ import annotations

from collections.abc import Callable

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bits import decompose
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.rangecheck import ensure_bounded


def _quotient(num: int, d: int, round_up: bool) -> tuple[int, int]:
    """(q, r) with num = q·d + r (floor) or q·d − r (ceil), 0 <= r < d; (0, 0) for d <= 0."""
    if d <= 0:
        return 0, 0  # unsatisfiable anyway: remainder_lt_divisor fails
    q = -((-num) // d) if round_up else num // d
    return q, abs(num - q * d)


def _check_no_wrap(api: API, label: str, *intervals: tuple[int, int]) -> None:
    lo = min(i[0] for i in intervals)
    hi = max(i[1] for i in intervals)
    if hi - lo >= api.p:
        raise ValueError(f"{label}: operands too wide, the identity could wrap around the field")


def _quotient_wires(
    api: API, num_value: Callable[..., int], inputs: list[LC], divisor: Bounded, round_up: bool
) -> tuple[LC, LC]:
    p = api.p

    def quotient_and_remainder(*values: int) -> list[int]:
        *nums, d = values
        q, r = _quotient(num_value(*nums), divisor.integer(d), round_up)
        return [q % p, r % p]

    q, r = api.hint(quotient_and_remainder, *inputs, divisor.lc, n_out=2, name="divmod")
    return q, r


def _range_from(api: API, x: LC, lo: int, hi: int, label: str) -> Bounded:
    """Prove ``lo <= x < lo + 2^k`` (k = bit length of hi − lo) by decomposing ``x − lo``."""
    with api.namespace(label):
        decompose(api, x - lo, (hi - lo).bit_length())
    return Bounded(api, x, lo, lo + (1 << (hi - lo).bit_length()) - 1)


def _remainder_below(api: API, r: LC, d: Bounded) -> int:
    """Prove ``0 <= r < d``: r in k bits and d − 1 − r in k bits (one check if d is 2^k).

    Returns the largest remainder the checks allow.
    """
    k = d.hi.bit_length() if not d.is_exact else (d.hi - 1).bit_length()
    if d.is_exact and d.hi == 1 << k:
        _range_from(api, r, 0, d.hi - 1, "remainder_lt_divisor")  # r < 2^k = D exactly
        return d.hi - 1
    _range_from(api, r, 0, (1 << k) - 1, "remainder_range")
    with api.namespace("remainder_lt_divisor"):
        decompose(api, d.lc - 1 - r, k)
    return min(d.hi - 1, (1 << k) - 1)


def _divide(
    api: API, num: Bounded | tuple[Bounded, Bounded], divisor: Bounded, round_up: bool
) -> Bounded:
    """q = floor/ceil(num / divisor) in the current namespace; num is a value or two factors."""
    if divisor.lo < 0 or (divisor.is_exact and divisor.lo < 1):
        raise ValueError(f"the divisor must be proven positive, got interval {divisor.lo}..")
    sign = -1 if round_up else 1
    value: Callable[..., int]  # the numerator's integer from its inputs' field values
    if isinstance(num, Bounded):
        lo, hi, inputs, value = num.lo, num.hi, [num.lc], num.integer
    else:
        a, b = num
        corners = [x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        lo, hi, inputs = min(corners), max(corners), [a.lc, b.lc]

        def value(x: int, y: int) -> int:
            return a.integer(x) * b.integer(y)

    _check_no_wrap(api, "numerator", (lo, hi))
    if divisor.is_exact:
        qlo, qhi = _quotient(lo, divisor.lo, round_up)[0], _quotient(hi, divisor.lo, round_up)[0]
    else:  # any d >= 1 keeps the quotient between num and 0
        qlo, qhi = min(lo, 0), max(hi, 0)
    q, r = _quotient_wires(api, value, inputs, divisor, round_up)
    q_checked = _range_from(api, q, qlo, qhi, "quotient_range")
    r_max = _remainder_below(api, r, divisor)
    # num = q·d ± r must hold over the integers: both sides' intervals must fit one field window.
    qd = [x * y for x in (q_checked.lo, q_checked.hi) for y in (divisor.lo, divisor.hi)]
    _check_no_wrap(api, "identity", (lo - r_max, hi + r_max), (min(qd), max(qd)))
    suffix = "plus_r" if sign > 0 else "minus_r"
    if divisor.is_exact:
        identity = q * divisor.lo + r * sign
        if isinstance(num, Bounded):
            api.assert_equal(num.lc, identity, name=f"num_eq_qd_{suffix}")
        else:
            api.assert_product(num[0].lc, num[1].lc, identity, name=f"product_eq_qd_{suffix}")
    else:
        if not isinstance(num, Bounded):
            raise ValueError("a product numerator needs a constant divisor")
        api.assert_product(q, divisor.lc, num.lc - r * sign, name=f"num_eq_qd_{suffix}")
    return Bounded(api, q, qlo, qhi)


def fixed_mul(
    api: API,
    a: Value,
    b: Value,
    scale: int,
    n: int | None = None,
    *,
    signed: bool = False,
    round_up: bool = False,
) -> Bounded:
    """``floor(a·b / scale)`` (``ceil`` with ``round_up``), the rescale proven exact.

    Cost for raw n-bit operands in the module docstring (290 for n = 64, scale = 10^8).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: fixed_mul(api, a, b, 100, 16, signed=True), a=(), b=())
    >>> h.value(h.result, h.solve(a=-150, b=250))        # -1.50 × 2.50 = -3.75 → floor -3.75
    -375
    >>> off_by_one = {h.wire("fixed_mul/divmod[0]"): -374, h.wire("fixed_mul/divmod[1]"): -100}
    >>> h.failure(h.solve(a=-150, b=250, forge=off_by_one))
    'fixed_mul/remainder_range/recompose'
    """
    _check_scale(scale)
    with api.namespace("fixed_mul"):
        with api.namespace("a"):
            x = ensure_bounded(api, a, n, signed=signed)
        with api.namespace("b"):
            y = ensure_bounded(api, b, n, signed=signed)
        # A constant factor leaves a linear numerator: no product constraint needed.
        num = x * y if x.is_exact or y.is_exact else (x, y)
        return _divide(api, num, Bounded.constant(api, scale), round_up)


def _check_scale(scale: int) -> None:
    if not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive int, got {scale!r}")


def _div(
    api: API,
    label: str,
    x: Value,
    d: Value,
    n: int | None,
    signed: bool,
    up: bool,
    names: tuple[str, str] = ("x", "d"),
    scale: int = 1,
) -> Bounded:
    """``x·scale / d`` rounded by ``up``: x bounded (signed or not), d unsigned, both n-bit."""
    with api.namespace(label):
        with api.namespace(names[0]):
            num = ensure_bounded(api, x, n, signed=signed)
        with api.namespace(names[1]):
            divisor = ensure_bounded(api, d, n)
        return _divide(api, num * scale if scale != 1 else num, divisor, up)


def div_floor(
    api: API, x: Value, d: Value, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``floor(x / d)`` for d >= 1 (a positive int, or a signal range-checked unsigned n-bit).

    A signal ``d = 0`` is unsatisfiable (``.../remainder_lt_divisor/recompose``).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x, d: div_floor(api, x, d, 8, signed=True), x=(), d=())
    >>> h.value(h.result, h.solve(x=-7, d=2)), h.failure(h.solve(x=-7, d=0))
    (-4, 'div_floor/remainder_lt_divisor/recompose')
    """
    return _div(api, "div_floor", x, d, n, signed, False)


def div_ceil(
    api: API, x: Value, d: Value, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``ceil(x / d)``; as :func:`div_floor` otherwise.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: div_ceil(api, x, 10**6, 64), x=())
    >>> h.value(h.result, h.solve(x=2_000_001)), h.value(h.result, h.solve(x=2_000_000))
    (3, 2)
    """
    return _div(api, "div_ceil", x, d, n, signed, True)


def fixed_div(
    api: API,
    a: Value,
    b: Value,
    scale: int,
    n: int | None = None,
    *,
    signed: bool = False,
    round_up: bool = False,
) -> Bounded:
    """``floor(a·scale / b)`` (``ceil`` with ``round_up``): fixed-point a / b at ``scale``.

    b is a positive int or a signal range-checked unsigned n-bit (b = 0 is unsatisfiable).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, a, b: fixed_div(api, a, b, 100, 16), a=(), b=())
    >>> h.value(h.result, h.solve(a=100, b=300))           # 1.00 / 3.00 = 0.33 (floor)
    33
    >>> h.failure(h.solve(a=100, b=0))
    'fixed_div/remainder_lt_divisor/recompose'
    """
    _check_scale(scale)
    return _div(api, "fixed_div", a, b, n, signed, round_up, ("a", "b"), scale)
