"""The 64-bit Montgomery kernels (F_p and F_p2) against plain Python ints, on both curves."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.field.fast import mont64
from zkmargin.field.fast.fp2 import add2, inverse2, mul2, neg2, scratch2, sqr2, sub2
from zkmargin.field.fast.mont64 import Field64

BN254_Q = 0x30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47
BLS12_381_Q = int(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
    16,
)
PRIMES = [BN254_Q, BLS12_381_Q]


def elements(p):
    edge = st.sampled_from([0, 1, 2, p - 1, p - 2, (p - 1) // 2, 2**64 - 1, 2**64])
    return st.one_of(edge, st.integers(0, p - 1))


@pytest.mark.parametrize("p", PRIMES, ids=["bn254", "bls12_381"])
@given(data=st.data())
def test_fp_ops_match_ints(p, data):
    f = Field64.of(p)
    a, b = data.draw(elements(p)), data.draw(elements(p))
    x, y = f.to_mont([a, b])
    out = np.zeros(f.n_limbs, dtype=np.uint64)
    mont64.mul(out, x, y, f.m, f.scratch())
    assert f.from_mont(out) == [a * b % p]
    mont64.add(out, x, y, f.m)
    assert f.from_mont(out) == [(a + b) % p]
    mont64.sub(out, x, y, f.m)
    assert f.from_mont(out) == [(a - b) % p]
    mont64.neg(out, x, f.m)
    assert f.from_mont(out) == [-a % p]
    mont64.mul(x, x, x, f.m, f.scratch())  # out aliasing both inputs
    assert f.from_mont(x) == [a * a % p]
    z = f.to_mont([b])[0]
    mont64.inverse(out, z, f.one, f.p_minus_2, f.m, f.scratch(), np.zeros_like(out))
    assert f.from_mont(out) == [pow(b, -1, p) if b else 0]


@pytest.mark.parametrize("p", PRIMES, ids=["bn254", "bls12_381"])
@given(data=st.data())
def test_fp2_ops_match_ints(p, data):
    f = Field64.of(p)
    a = (data.draw(elements(p)), data.draw(elements(p)))
    b = data.draw(st.one_of(st.just(a), st.tuples(elements(p), elements(p))))

    def times(u, v):
        return ((u[0] * v[0] - u[1] * v[1]) % p, (u[0] * v[1] + u[1] * v[0]) % p)

    x, y, s = f.to_mont(a), f.to_mont(b), scratch2(f)
    out = np.zeros_like(x)
    mul2(out, x, y, f.m, s)
    assert tuple(f.from_mont(out)) == times(a, b)
    sqr2(out, x, f.m, s)
    assert tuple(f.from_mont(out)) == times(a, a)
    add2(out, x, y, f.m)
    assert tuple(f.from_mont(out)) == ((a[0] + b[0]) % p, (a[1] + b[1]) % p)
    sub2(out, x, y, f.m)
    assert tuple(f.from_mont(out)) == ((a[0] - b[0]) % p, (a[1] - b[1]) % p)
    neg2(out, x, f.m)
    assert tuple(f.from_mont(out)) == (-a[0] % p, -a[1] % p)
    inverse2(out, x, f.one, f.p_minus_2, f.m, s)
    assert times(tuple(f.from_mont(out)), a) == ((1, 0) if any(a) else (0, 0))
    mul2(x, x, y, f.m, s)  # out aliasing an input
    assert tuple(f.from_mont(x)) == times(a, b)
