"""numba Montgomery kernels against plain Python integers, for every modulus the curves use."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254
from zkmargin.field.fast import converter, ints_to_limbs, limbs_to_ints
from zkmargin.field.fast.mont import (
    ext_inv,
    ext_mul,
    ext_neg,
    ext_sqr,
    fp_add,
    fp_mul,
    fp_sub,
    scratch,
)

MODULI = {
    "bn254_q": BN254.q,
    "bn254_r": BN254.r,
    "bls12381_q": BLS12_381.q,
    "bls12381_r": BLS12_381.r,
}


def elements(p: int) -> st.SearchStrategy[int]:
    """Uniform values with the edge cases (0, 1, p - 1, limb boundaries) drawn often."""
    edges = [0, 1, 2, p - 1, p - 2, 2**32 - 1, 2**32, (p - 1) // 2]
    return st.one_of(st.sampled_from(edges), st.integers(0, p - 1))


@pytest.fixture(params=sorted(MODULI), scope="module")
def p(request: pytest.FixtureRequest) -> int:
    return MODULI[request.param]


def test_limb_round_trip(p: int) -> None:
    values = [0, 1, p - 1, 2**255 % p, 12345678901234567890]
    n = converter(p).mod.n_limbs
    assert limbs_to_ints(ints_to_limbs(values, n)) == values
    conv = converter(p)
    assert conv.from_mont(conv.to_mont([*values, p, p + 5, -1])) == [*values, 0, 5, p - 1]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_base_field_ops(p: int, data: st.DataObject) -> None:
    a, b = data.draw(elements(p)), data.draw(elements(p))
    conv = converter(p)
    mod = conv.mod
    x, y = conv.to_mont([a, b])
    t = scratch(mod.limbs)
    out = np.empty_like(x)
    fp_mul(x, y, out, mod.limbs, mod.inv, t)
    assert conv.from_mont(out) == [a * b % p]
    fp_add(x, y, out, mod.limbs)
    assert conv.from_mont(out) == [(a + b) % p]
    fp_sub(x, y, out, mod.limbs)
    assert conv.from_mont(out) == [(a - b) % p]
    fp_mul(x, x, x, mod.limbs, mod.inv, t)  # output aliasing both inputs
    assert conv.from_mont(x) == [a * a % p]


def fq2(conv, c0: int, c1: int) -> np.ndarray:
    return conv.to_mont([c0, c1])


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_quadratic_extension_ops(data: st.DataObject) -> None:
    """F_p2 = F_p[u]/(u^2 + 1) against schoolbook formulas on ints, for both base fields."""
    q = data.draw(st.sampled_from([BN254.q, BLS12_381.q]))
    a0, a1, b0, b1 = (data.draw(elements(q)) for _ in range(4))
    conv = converter(q)
    mod = conv.mod
    a, b = fq2(conv, a0, a1), fq2(conv, b0, b1)
    t = scratch(mod.limbs)
    out = np.empty_like(a)
    ext_mul(a, b, out, mod.limbs, mod.inv, t)
    assert conv.from_mont(out) == [(a0 * b0 - a1 * b1) % q, (a0 * b1 + a1 * b0) % q]
    ext_sqr(a, out, mod.limbs, mod.inv, t)
    assert conv.from_mont(out) == [(a0 * a0 - a1 * a1) % q, 2 * a0 * a1 % q]
    ext_neg(a, out, mod.limbs)
    assert conv.from_mont(out) == [-a0 % q, -a1 % q]
    if (a0, a1) != (0, 0):
        pm2 = ints_to_limbs([q - 2], mod.n_limbs)[0]
        ext_inv(a, out, mod.limbs, mod.inv, mod.one, pm2, t)
        ext_mul(out, a, out, mod.limbs, mod.inv, t)
        assert conv.from_mont(out) == [1, 0]


def test_base_field_inverse(p: int) -> None:
    conv = converter(p)
    mod = conv.mod
    pm2 = ints_to_limbs([p - 2], mod.n_limbs)[0]
    t = scratch(mod.limbs)
    for a in (1, 2, p - 1, 3**100 % p):
        x = conv.to_mont([a])
        out = np.empty_like(x)
        ext_inv(x, out, mod.limbs, mod.inv, mod.one, pm2, t)
        assert conv.from_mont(out) == [pow(a, -1, p)]
