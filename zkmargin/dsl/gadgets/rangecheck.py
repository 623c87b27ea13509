"""Range checks: how a raw signal becomes a :class:`Bounded` value.

| gadget | proves | cost (constraints) |
|---|---|---|
| ``range_check(api, x, n)`` | ``0 <= x < 2^n`` | n + 1 |
| ``signed_range_check(api, x, n)`` | ``-2^(n-1) <= x < 2^(n-1)`` | n + 1 |

Both are free for a constant (checked when compiling) and for a ``Bounded`` whose interval already
lies in the window (returned as it is, with its narrower interval).

Both decompose into bits (``n <= p.bit_length() - 1``, see :mod:`.bits`); the signed check
decomposes ``x + 2^(n-1)``, so a field "negative" ``p − k`` counts as ``−k``. Constraint names:
``range<n>/bit[i]/boolean``, ``range<n>/recompose`` (``signed_range<n>/...`` for the signed one).
A wrapped value such as ``p − 1`` given to ``range_check(x, 64)`` fails ``range64/recompose``.
"""

from __future__ import annotations

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bits import decompose, max_bits
from zkmargin.dsl.gadgets.bounded import Bounded, signed_window, unsigned_window


def _window_check(api: API, x: LC | Bounded | int, n: int, offset: int, label: str) -> Bounded:
    if not isinstance(n, int) or not (1 if offset else 0) <= n <= max_bits(api):
        raise ValueError(f"{label}: bit width {n} outside [{1 if offset else 0}, {max_bits(api)}]")
    lo, hi = unsigned_window(n) if offset == 0 else signed_window(n)
    if isinstance(x, Bounded):
        if lo <= x.lo and x.hi <= hi:
            return x  # already proven inside the window
        x = x.lc
    lc = api.lc(x)
    if lc.is_constant:
        v = api.field.to_signed(lc.constant_value) if offset else lc.constant_value
        if not lo <= v <= hi:
            raise ValueError(f"{label}: constant {v} outside [{lo}, {hi}]")
        return Bounded.constant(api, v)
    with api.namespace(label):
        decompose(api, lc + offset, n)
    return Bounded(api, lc, lo, hi)


def range_check(api: API, x: LC | Bounded | int, n: int) -> Bounded:
    """Prove ``0 <= x < 2^n``; returns x as a :class:`Bounded` ``[0, 2^n − 1]``. Cost n + 1.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: range_check(api, x, 64), x=())
    >>> h.n_constraints, h.failure(h.solve(x=2**64 - 1)), h.failure(h.solve(x=-1))
    (65, None, 'range64/recompose')
    """
    return _window_check(api, x, n, 0, f"range{n}")


def signed_range_check(api: API, x: LC | Bounded | int, n: int) -> Bounded:
    """Prove ``-2^(n-1) <= x < 2^(n-1)`` (x + 2^(n−1) in n bits); cost n + 1.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: signed_range_check(api, x, 8), x=())
    >>> [h.failure(h.solve(x=v)) for v in (-128, 127, 128)]
    [None, None, 'signed_range8/recompose']
    """
    if n < 1:
        raise ValueError("a signed range needs at least one bit")
    return _window_check(api, x, n, 1 << (n - 1), f"signed_range{n}")


def ensure_bounded(
    api: API, x: LC | Bounded | int, n: int | None = None, *, signed: bool = False
) -> Bounded:
    """``x`` as a :class:`Bounded`: as is if it already is one, exact if constant, else checked.

    A raw LC is range-checked to n bits (``signed`` selects the window); this is how every
    comparator and fixed-point gadget takes its operands, so none ever trusts an unchecked one.
    Cost: 0 for a ``Bounded`` or a constant, n + 1 for a raw LC.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: ensure_bounded(api, x, 16, signed=True), x=())
    >>> (h.result.lo, h.result.hi), h.n_constraints
    ((-32768, 32767), 17)
    """
    if isinstance(x, Bounded):
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return Bounded.constant(api, x)
    lc = api.lc(x)
    if lc.is_constant:
        v = lc.constant_value
        return Bounded.constant(api, api.field.to_signed(v) if signed else v)
    if n is None:
        raise ValueError("an unchecked signal needs a bit width n to be range-checked")
    return signed_range_check(api, lc, n) if signed else range_check(api, lc, n)
