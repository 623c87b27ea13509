"""Fixed-point scales, the decimal parser and the rounding rescales the circuits will prove.

Every figure the circuits recompute is an integer at a declared scale. A product of two scaled
integers is brought back to scale by one floor division (the circuit proves ``x = q·D + r`` with
``0 <= r < D``); a ceiling is ``floor((x + D - 1) / D)``.

>>> parse_decimal("1.5", QTY_SCALE)
150000000
>>> format_decimal(150000000, QTY_SCALE)
'1.5'
>>> div_ceil(-7, 2), div_floor(-7, 2)
(-3, -4)
"""

from __future__ import annotations

import re
from typing import Any

from zkmargin.limits import MAX_DECIMAL_DIGITS

QTY_DECIMALS = 8
PRICE_DECIMALS = 8
RATE_DECIMALS = 6
MONEY_DECIMALS = 8

QTY_SCALE = 10**QTY_DECIMALS
"""Quantities (signed contract counts) and balances: 8 decimals."""
PRICE_SCALE = 10**PRICE_DECIMALS
"""Prices, strikes and multipliers: 8 decimals."""
RATE_SCALE = 10**RATE_DECIMALS
"""Rates and ratios (haircut ratio, MMR, IMR, buffer, cover, vol, shocks): 6 decimals."""
MONEY_SCALE = 10**MONEY_DECIMALS
"""Money in the quote currency (values, margins, risk-array entries, totals): 8 decimals."""

QTY_BOUND = 2**63
"""Quantities at scale satisfy ``|q| < 2^63`` (the circuit range-checks them offset by 2^63)."""
UNSIGNED_BOUND = 2**64
"""Balances, prices, floors and money parameters at scale satisfy ``0 <= x < 2^64``."""
RATE_BOUND = 2**32
"""Rates at scale satisfy ``0 <= r < 2^32`` (at most 4294.967295)."""

# ASCII digits only (``\d`` would admit other scripts' digits, which ``int`` accepts).
_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


def decimals_of(scale: int) -> int:
    """Number of decimals of a power-of-ten scale: ``decimals_of(10**8) == 8``."""
    return len(str(scale)) - 1


def parse_decimal(
    text: Any,
    scale: int,
    *,
    signed: bool = False,
    bound: int = UNSIGNED_BOUND,
) -> int:
    """Parse a decimal string into an exact integer at ``scale``; raise ``ValueError`` otherwise.

    More decimals than the scale holds are rejected, never rounded. ``bound`` is exclusive and
    applies to the absolute value at scale.

    >>> parse_decimal("0.004", RATE_SCALE)
    4000
    >>> parse_decimal("0.0000001", RATE_SCALE)
    Traceback (most recent call last):
    ...
    ValueError: more than 6 decimals: '0.0000001'
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a decimal string, got {type(text).__name__}: {text!r}")
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise ValueError(f"not a decimal: {text!r}")
    if len(text) > MAX_DECIMAL_DIGITS:  # no amount needs it; int() would refuse past 4,300
        raise ValueError(f"a decimal of {len(text)} characters (at most {MAX_DECIMAL_DIGITS})")
    sign, whole, frac = match.group(1), match.group(2), match.group(3) or ""
    decimals = decimals_of(scale)
    if len(frac.rstrip("0")) > decimals:
        raise ValueError(f"more than {decimals} decimals: {text!r}")
    frac = frac.rstrip("0")
    value = int(whole) * scale + (int(frac) * 10 ** (decimals - len(frac)) if frac else 0)
    if sign:
        if not signed and value != 0:
            raise ValueError(f"negative value not allowed: {text!r}")
        value = -value
    if abs(value) >= bound:
        raise ValueError(f"out of range: {text!r} (limit {format_decimal(bound - 1, scale)})")
    return value


def format_decimal(value: int, scale: int) -> str:
    """Render an integer at ``scale`` as the shortest exact decimal string.

    >>> format_decimal(-266300_00000000, MONEY_SCALE)
    '-266300'
    >>> format_decimal(1, MONEY_SCALE)
    '0.00000001'
    """
    value = int(value)
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), scale)
    digits = decimals_of(scale)
    text = f"{frac:0{digits}d}".rstrip("0") if digits else ""
    return f"{sign}{whole}.{text}" if text else f"{sign}{whole}"


def div_floor(x: Any, d: int) -> Any:
    """Floor division, for Python ints and numpy object arrays: the circuit's ``x = q·d + r``."""
    return x // d


def div_ceil(x: Any, d: int) -> Any:
    """Ceiling division as the circuit computes it: ``floor((x + d - 1) / d)``."""
    return (x + (d - 1)) // d


def mul_floor(a: Any, b: Any, d: int) -> Any:
    """``floor(a·b / d)``: a product of scaled integers rescaled down (collateral side)."""
    return div_floor(a * b, d)


def mul_ceil(a: Any, b: Any, d: int) -> Any:
    """``ceil(a·b / d)``: a product of scaled integers rescaled up (requirement side)."""
    return div_ceil(a * b, d)
