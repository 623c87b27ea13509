"""packing: limbs packed into one field element, each limb range-checked (no value moving)."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.gadgets import pack, range_check
from zkmargin.dsl.gadgets.reference import pack_ref
from zkmargin.dsl.gadgets.testing import compile_gadget
from zkmargin.field import BN254_FR

P = BN254_FR.p
LAYOUT = ((64, True), (64, False), (32, False), (64, True))  # e.g. qty, balance, rate, pnl


@cache
def _packer():
    widths = [w for w, _ in LAYOUT]
    signed = [s for _, s in LAYOUT]
    return compile_gadget(lambda api, v: pack(api, v, widths, signed=signed), v=(len(LAYOUT),))


def _limb(width, signed):
    return (
        st.integers(-(2 ** (width - 1)), 2 ** (width - 1) - 1)
        if signed
        else st.integers(0, 2**width - 1)
    )


@given(limbs=st.tuples(*(_limb(w, s) for w, s in LAYOUT)))
def test_pack_matches_reference(limbs):
    h = _packer()
    assert h.n_constraints == sum(w + 1 for w, _ in LAYOUT)
    w = h.solve(v=list(limbs))
    assert h.failure(w) is None
    expected = pack_ref(limbs, [w for w, _ in LAYOUT], [s for _, s in LAYOUT])
    assert h.value(h.result, w) == expected
    assert 0 <= expected <= h.result.hi < P


@given(a=st.integers(0, 2**63 - 1), b=st.integers(1, 2**64 - 1))
def test_value_cannot_move_between_limbs(a, b):
    h = _packer()
    honest = h.solve(v=[a, b, 7, -3])
    # Limb 0 takes 2^64 from limb 1: the packed number is unchanged ...
    moved = h.solve(v=[a + 2**64, b - 1, 7, -3])
    assert h.value(h.result.lc, moved) == h.value(h.result.lc, honest)
    # ... and limb 0's range check refuses it.
    assert h.failure(moved) == "pack/limb[0]/signed_range64/recompose"


def test_wrapped_limb_and_width_limit():
    h = _packer()
    assert h.failure(h.solve(v=[1, P - 1, 7, 0])) == "pack/limb[1]/range64/recompose"
    with pytest.raises(ValueError, match="would wrap"):
        compile_gadget(lambda api, v: pack(api, v, [200, 54]), v=(2,))
    with pytest.raises(ValueError, match="same length"):
        compile_gadget(lambda api, v: pack(api, v, [8]), v=(2,))


def test_bounded_limbs_are_not_checked_again():
    h = compile_gadget(lambda api, v: pack(api, [range_check(api, v[0], 8), v[1]], [16, 8]), v=(2,))
    assert h.n_constraints == 9 + 9  # the first limb's 8-bit check covers its 16-bit window
    assert h.value(h.result, h.solve(v=[200, 3])) == 200 + 3 * 2**16
