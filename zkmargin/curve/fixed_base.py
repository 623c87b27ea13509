"""Many multiples of one base point: ``[k·B for k in scalars]``, as a key setup needs.

A table holds ``d·2^(w·i)·B`` for every window ``i`` and digit ``d``; each multiple is then one
table entry per window, added to its running sum. The additions of all scalars for one window
form a single batch of affine additions sharing one field inversion (:mod:`.affine`), so a
multiple costs about ``bits / w`` batched additions — against one inversion per addition (or a
full double-and-add) when points are multiplied one at a time.

>>> from zkmargin.curve import BN254
>>> g1_multiples(BN254, BN254.g1, [0, 1, 5]) == [None, BN254.g1, BN254.g1_mul(BN254.g1, 5)]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from zkmargin.curve.affine import add_vectors
from zkmargin.curve.jacobian import Affine, batch_to_affine, multiply
from zkmargin.curve.points import G1, G2, g1_to_internal, g2_from_internal, g2_to_internal
from zkmargin.field.bigint import big

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


def window_for(n: int, bits: int) -> int:
    """The window minimising additions: ``n`` per window plus the table's ``2^w`` per window."""
    return min(range(2, 17), key=lambda w: -(-bits // w) * (n + (1 << w)))


def multiples(
    base: Any, scalars: Sequence[int], r: int, q: int, window: int | None = None
) -> list[Affine]:
    """``[k·base for k in scalars]`` for an internal affine point (G1 or G2), scalars mod r."""
    ks = [k % r for k in scalars]
    if base is None or not ks:
        return [None] * len(ks)
    window = window or window_for(len(ks), r.bit_length())
    windows = -(-r.bit_length() // window)
    qq = big(q)
    # bases[i] = 2^(w·i)·base; table[d - 1][i] = d·bases[i] (one batch per digit d).
    bases = batch_to_affine([multiply(base, 1 << (window * i), qq) for i in range(windows)], qq)
    table = [bases]
    for _ in range((1 << window) - 2):
        table.append(add_vectors(table[-1], bases, qq))
    mask = (1 << window) - 1
    acc: list[Affine] = [None] * len(ks)
    for i in range(windows):
        shift = window * i
        addends: list[Affine] = [None] * len(ks)
        for j, k in enumerate(ks):
            d = (k >> shift) & mask
            if d:
                addends[j] = table[d - 1][i]
        acc = add_vectors(acc, addends, qq)
    return acc


def g1_multiples(curve: Curve, base: G1, scalars: Sequence[int]) -> list[G1]:
    """``[k·base for k in scalars]`` in G1 (affine tuples, ``None`` for infinity)."""
    out = multiples(g1_to_internal(base), scalars, curve.fr.p, curve.q)
    return [None if a is None else (int(a[0]), int(a[1])) for a in out]


def g2_multiples(curve: Curve, base: G2, scalars: Sequence[int]) -> list[G2]:
    """``[k·base for k in scalars]`` in G2 (affine tuples over Fq2, ``None`` for infinity)."""
    out = multiples(g2_to_internal(base), scalars, curve.fr.p, curve.q)
    return [g2_from_internal(a, curve.q) for a in out]
