"""Pure-Python references for the gadgets: what each computes or accepts, on plain integers.

Field values are ints in ``[0, p)``; a signed reading maps ``p − k`` to ``−k``. Tests compare the
gadgets against these; the margin calculator's exact mode must round the same way.

>>> div_floor_ref(-7, 2), div_ceil_ref(-7, 2), fixed_mul_ref(-150, 250, 100)
(-4, -3, -375)
>>> range_check_ref(2**64, 64, p=97 * 2**70)
False
"""

from __future__ import annotations

from collections.abc import Sequence


def to_int(v: int, p: int, signed: bool) -> int:
    """The integer a field value stands for: itself, or ``v − p`` above ``p/2`` when signed."""
    v %= p
    return v - p if signed and v > p // 2 else v


def num2bits_ref(x: int, n: int) -> list[int]:
    """The n little-endian bits of ``0 <= x < 2^n`` (ValueError otherwise)."""
    if not 0 <= x < 1 << n:
        raise ValueError(f"{x} is not an {n}-bit number")
    return [(x >> i) & 1 for i in range(n)]


def bits2num_ref(bits: Sequence[int]) -> int:
    return sum(b << i for i, b in enumerate(bits))


def range_check_ref(v: int, n: int, p: int, signed: bool = False) -> bool:
    """Whether the field value ``v`` passes the n-bit (signed: offset) range check."""
    offset = 1 << (n - 1) if signed else 0
    return (v + offset) % p < 1 << n


def is_zero_ref(v: int, p: int) -> int:
    return int(v % p == 0)


def select_ref(cond: int, a: int, b: int) -> int:
    return a if cond else b


def mux_ref(bits: Sequence[int], values: Sequence[int]) -> int:
    return values[bits2num_ref(bits)]


def lookup_ref(table: Sequence[int], index: int) -> int:
    """``table[index]``; IndexError for an index outside the table (negative included)."""
    if not 0 <= index < len(table):
        raise IndexError(f"index {index} outside a table of {len(table)}")
    return table[index]


def div_floor_ref(x: int, d: int) -> int:
    """``floor(x / d)`` for d >= 1: rounds toward −∞, also for negative x."""
    if d < 1:
        raise ZeroDivisionError("divisor must be positive")
    return x // d


def div_ceil_ref(x: int, d: int) -> int:
    """``ceil(x / d)`` for d >= 1: rounds toward +∞."""
    return -div_floor_ref(-x, d)


def fixed_mul_ref(a: int, b: int, scale: int, round_up: bool = False) -> int:
    """``a·b / scale`` rounded down (or up)."""
    return (div_ceil_ref if round_up else div_floor_ref)(a * b, scale)


def fixed_div_ref(a: int, b: int, scale: int, round_up: bool = False) -> int:
    """``a·scale / b`` rounded down (or up)."""
    return (div_ceil_ref if round_up else div_floor_ref)(a * scale, b)


def pack_ref(limbs: Sequence[int], widths: Sequence[int], signed: Sequence[bool] = ()) -> int:
    """The :func:`~.packing.pack` number: limb 0 lowest, signed limbs offset by ``2^(w−1)``."""
    flags = list(signed) or [False] * len(limbs)
    out, shift = 0, 0
    for x, w, s in zip(limbs, widths, flags, strict=True):
        v = x + (1 << (w - 1)) if s else x
        if not 0 <= v < 1 << w:
            raise ValueError(f"limb {x} does not fit {w} {'signed ' if s else ''}bits")
        out |= v << shift
        shift += w
    return out
