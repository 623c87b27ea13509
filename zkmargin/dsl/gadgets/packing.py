"""Packing several range-checked limbs into one field element (e.g. to hash fewer inputs).

| gadget | bounds | cost (constraints) |
|---|---|---|
| ``pack(api, limbs, widths)`` | limb i in its ``widths[i]``-bit window; Σ widths <= p.bit_length() − 1 | Σ (w_i + 1) |

``Σ limb_i · 2^(offset_i)`` is injective only while every limb stays inside its own bits: an
unchecked limb lets value move between fields (``a + 2^64`` in one limb, ``b − 1`` in the next
packs to the same number — the 2023 Binance proof-of-solvency bug). So every limb is
range-checked here (``pack/limb[i]/range<w>/...``; a ``Bounded`` limb already inside its window
is not checked again), and the total width is limited so the packed number never wraps. Signed
limbs are packed offset by ``2^(w−1)``, so the packed value is a non-negative integer.
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.dsl import API
from zkmargin.dsl.gadgets.bits import max_bits, weighted_sum
from zkmargin.dsl.gadgets.bounded import Bounded, Value
from zkmargin.dsl.gadgets.rangecheck import range_check, signed_range_check


def pack(
    api: API, limbs: Sequence[Value], widths: Sequence[int], *, signed: Sequence[bool] = ()
) -> Bounded:
    """``Σ limb_i · 2^(w_0 + … + w_(i−1))``, limb 0 lowest, every limb range-checked.

    ``signed[i]`` (default False) packs limb i as ``limb + 2^(w_i − 1)``. See
    :func:`~.reference.pack_ref` for the same number in plain Python.

    >>> from zkmargin.dsl.gadgets.testing import compile_gadget
    >>> h = compile_gadget(lambda api, v: pack(api, v, [8, 8], signed=[False, True]), v=(2,))
    >>> h.value(h.result, h.solve(v=[5, -1])), h.n_constraints      # 5 + (−1 + 128)·256
    (32517, 18)
    >>> h.failure(h.solve(v=[5 + 256, -2]))    # 256 moved into limb 0 from limb 1: refused
    'pack/limb[0]/range8/recompose'
    """
    flags = list(signed) or [False] * len(limbs)
    if not len(limbs) == len(widths) == len(flags):
        raise ValueError("limbs, widths and signed flags must have the same length")
    if sum(widths) > max_bits(api):
        raise ValueError(f"{sum(widths)} bits of limbs would wrap; at most {max_bits(api)}")
    terms = []
    offset = 0
    shift = 0
    with api.namespace("pack"):
        for i, (limb, w, s) in enumerate(zip(limbs, widths, flags, strict=True)):
            with api.namespace(f"limb[{i}]"):
                checked = signed_range_check(api, limb, w) if s else range_check(api, limb, w)
            terms.append((checked, 1 << shift))
            if s:
                offset += 1 << (w - 1 + shift)
            shift += w
    packed = weighted_sum(api, terms) + offset
    return Bounded(api, packed, 0, (1 << shift) - 1)
