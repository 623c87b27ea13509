"""Products of two 4-word values on 8 words, before their Montgomery reduction.

What :mod:`.fp_words` builds its lazily reduced F_p2 products from:
plain word arithmetic, no modulus. Little-endian ``uint64`` words throughout.
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import mac, sbb

Z = np.uint64(0)
Quad = tuple[np.uint64, np.uint64, np.uint64, np.uint64]
Wide = tuple[np.uint64, np.uint64, np.uint64, np.uint64, np.uint64, np.uint64, np.uint64, np.uint64]
"""A product before its reduction: 8 words."""


@kernel(inline=True)
def mul_wide(a: Quad, b: Quad) -> Wide:
    """``a·b`` as 8 words (schoolbook, one row of ``a`` per word of ``b``)."""
    r0, c = mac(a[0], b[0], Z, Z)
    r1, c = mac(a[1], b[0], Z, c)
    r2, c = mac(a[2], b[0], Z, c)
    r3, r4 = mac(a[3], b[0], Z, c)
    r1, c = mac(a[0], b[1], r1, Z)
    r2, c = mac(a[1], b[1], r2, c)
    r3, c = mac(a[2], b[1], r3, c)
    r4, r5 = mac(a[3], b[1], r4, c)
    r2, c = mac(a[0], b[2], r2, Z)
    r3, c = mac(a[1], b[2], r3, c)
    r4, c = mac(a[2], b[2], r4, c)
    r5, r6 = mac(a[3], b[2], r5, c)
    r3, c = mac(a[0], b[3], r3, Z)
    r4, c = mac(a[1], b[3], r4, c)
    r5, c = mac(a[2], b[3], r5, c)
    r6, r7 = mac(a[3], b[3], r6, c)
    return (r0, r1, r2, r3, r4, r5, r6, r7)


@kernel(inline=True)
def sub_wide(a: Wide, b: Wide) -> tuple[Wide, np.uint64]:
    """``a - b mod 2^512`` and the borrow out."""
    d0, br = sbb(a[0], b[0], Z)
    d1, br = sbb(a[1], b[1], br)
    d2, br = sbb(a[2], b[2], br)
    d3, br = sbb(a[3], b[3], br)
    d4, br = sbb(a[4], b[4], br)
    d5, br = sbb(a[5], b[5], br)
    d6, br = sbb(a[6], b[6], br)
    d7, br = sbb(a[7], b[7], br)
    return (d0, d1, d2, d3, d4, d5, d6, d7), br
