"""Booleans and binary decomposition.

| gadget | bounds | cost (constraints) |
|---|---|---|
| ``assert_bool(api, x)`` | any x | 1 (0 for a constant or a proven boolean) |
| ``num2bits(api, x, n)`` | ``0 <= x < 2^n``, ``n <= p.bit_length() - 1`` | n + 1 (0 for a constant) |
| ``bits2num(api, bits)`` | bits already boolean, ``len <= p.bit_length() - 1`` | 0 |

Why ``n <= p.bit_length() - 1``: then ``Σ b_i 2^i < 2^n <= p/2`` never wraps, so the bits are
the unique binary digits of x. At full width some x have two decompositions (x and x + p), which
is how range checks are forged; we refuse that width instead of adding an alias check.
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bounded import Bounded


def max_bits(api: API) -> int:
    """The widest decomposition that is unique in ``api``'s field: ``p.bit_length() - 1``."""
    return api.p.bit_length() - 1


def _check_width(api: API, n: int) -> None:
    if not isinstance(n, int) or not 0 <= n <= max_bits(api):
        raise ValueError(
            f"bit width {n} outside [0, {max_bits(api)}]: decompositions that wide are not unique"
        )


def assert_bool(api: API, x: LC | int, name: str = "boolean") -> None:
    """Constrain ``x ∈ {0, 1}`` with ``x · (x − 1) = 0``; cost 1.

    Free for a constant (checked when compiling) and for a ``Bounded`` already proven boolean.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: assert_bool(api, x), x=())
    >>> h.failure(h.solve(x=1)), h.failure(h.solve(x=2))
    (None, 'boolean')
    """
    if isinstance(x, Bounded) and x.is_boolean:
        return  # already proven (a comparator's output, say)
    x = api.lc(x)
    if x.is_constant:
        if x.constant_value not in (0, 1):
            raise ValueError(f"constant {x.constant_value} is not a boolean")
        return
    api.assert_product(x, x - 1, 0, name=name)


def decompose(api: API, x: LC, n: int) -> list[LC]:
    """The n little-endian bits of ``x`` in the CURRENT namespace; cost n + 1.

    Constraints ``bit[i]/boolean`` (one per bit, in bit order) then ``recompose``
    (``Σ bit_i 2^i = x``). The building block of :func:`num2bits` and the range checks, for
    gadgets that name their own namespace.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: decompose(api, x, 3), x=())
    >>> h.constraint_names()
    ['bit[0]/boolean', 'bit[1]/boolean', 'bit[2]/boolean', 'recompose']
    """
    _check_width(api, n)
    bits = api.hint(lambda v: [(v >> i) & 1 for i in range(n)], x, n_out=n, name="bits")
    for i, bit in enumerate(bits):
        assert_bool(api, bit, name=f"bit[{i}]/boolean")
    api.assert_equal(bits2num(api, bits), x, name="recompose")
    return bits


def num2bits(api: API, x: LC | Bounded | int, n: int) -> list[LC]:
    """Little-endian bits of ``x``, proving ``0 <= x < 2^n``; cost n + 1 (0 for a constant).

    Sound for ``n <= p.bit_length() - 1`` (253 on BN254), enforced: wider decompositions are not
    unique. An x outside ``[0, 2^n)`` makes ``num2bits/recompose`` fail.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: num2bits(api, x, 4), x=())
    >>> h.value(h.result, h.solve(x=6)), h.n_constraints
    ([0, 1, 1, 0], 5)
    """
    lc = x.lc if isinstance(x, Bounded) else api.lc(x)
    _check_width(api, n)
    if lc.is_constant:
        v = lc.constant_value
        if v >> n:
            raise ValueError(f"constant {v} does not fit in {n} bits")
        return [api.constant((v >> i) & 1) for i in range(n)]
    with api.namespace("num2bits"):
        return decompose(api, lc, n)


def bits2num(api: API, bits: Sequence[LC | int]) -> LC:
    """``Σ bits[i] · 2^i`` (free). The bits must already be constrained boolean.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, b: bits2num(api, b), b=(3,))
    >>> h.value(h.result, h.solve(b=[1, 0, 1])), h.n_constraints
    (5, 0)
    """
    if len(bits) > max_bits(api):
        raise ValueError(f"{len(bits)} bits can wrap around the field; at most {max_bits(api)}")
    return weighted_sum(api, [(bit, 1 << i) for i, bit in enumerate(bits)])


def weighted_sum(api: API, items: Sequence[tuple[LC | int, int]]) -> LC:
    """``Σ k · x`` over ``(x, k)`` pairs, free, built in one pass (repeated ``+`` copies the
    growing combination each time: quadratic in the number of terms).

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, x: weighted_sum(api, [(x[0], 3), (x[1], -1), (4, 1)]), x=(2,))
    >>> h.value(h.result, h.solve(x=[5, 2])), h.n_constraints
    (17, 0)
    """
    p = api.p
    acc: dict[int, int] = {}
    for x, k in items:
        for w, c in api.lc(x).terms.items():
            acc[w] = (acc.get(w, 0) + c * k) % p
    return LC(api, {w: c for w, c in acc.items() if c})
