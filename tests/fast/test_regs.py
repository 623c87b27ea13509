"""The register field (F_p and F_p2 as tuples of words) against ints, its word-level pieces
(products on 8 words, Montgomery reduction, unreduced operands) at the edges of the bounds
they rely on, and the register point formulas against the reference curve, special cases
included (equal, opposite and infinite operands)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import BN254
from zkmargin.curve.fast.jacobian_regs import (
    p_add,
    p_add_affine,
    p_double,
    p_infinity,
    p_load_affine,
    p_neg,
    p_store,
)
from zkmargin.field.fast.fp_wide import mul_wide, sub_wide
from zkmargin.field.fast.fp_words import _redc, add_lazy1, mul1, mul2, sqr2, sub1
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.regs import (
    f_add,
    f_inv,
    f_load,
    f_mul,
    f_neg,
    f_sqr,
    f_store,
    f_sub,
    one_of,
    zero_of,
)

Q = BN254.q
F = Field64.of(Q)


@kernel
def _field_ops(out: np.ndarray, a: np.ndarray, b: np.ndarray, pm2, m, one, zero) -> None:
    x, y = f_load(a, zero), f_load(b, zero)
    f_store(out[0], f_mul(x, y, m))
    f_store(out[1], f_sqr(x, m))
    f_store(out[2], f_add(x, y, m))
    f_store(out[3], f_sub(x, y, m))
    f_store(out[4], f_neg(x, m))
    f_store(out[5], f_inv(x, pm2, one, m))


def _fp2_mul(u, v):
    return ((u[0] * v[0] - u[1] * v[1]) % Q, (u[0] * v[1] + u[1] * v[0]) % Q)


def _fp2_inv(u):
    d = pow(u[0] * u[0] + u[1] * u[1], -1, Q) if any(u) else 0
    return (u[0] * d % Q, -u[1] * d % Q)


R_INV = pow(2**256, -1, Q)
# Values with all-ones words below p: the carries and borrows run through every word.
ALL_ONES = [2**64 - 1, 2**128 - 1, 2**192 - 1, (2**64 - 1) << 64, (Q >> 192 << 192) - 1]
EDGES = [0, 1, 2, Q - 1, Q - 2, *ALL_ONES]
values = st.one_of(st.sampled_from(EDGES), st.integers(0, Q - 1))
# Unreduced operands, below 2p: what the products take.
EDGES_2P = [*EDGES, Q, Q + 1, 2 * Q - 1, 2 * Q - 2, ((2 * Q) >> 192 << 192) - 1]
below_2p = st.one_of(st.sampled_from(EDGES_2P), st.integers(0, 2 * Q - 1))
words256 = st.one_of(st.sampled_from([0, 1, 2**256 - 1, *EDGES_2P]), st.integers(0, 2**256 - 1))
words512 = st.one_of(
    st.sampled_from([0, 1, 2**512 - 1, 2**256 - 1, (2**256 - 1) << 256]), st.integers(0, 2**512 - 1)
)


def _words(x: int, n: int = 4) -> tuple[np.uint64, ...]:
    assert 0 <= x < 2 ** (64 * n)
    return tuple(np.uint64((x >> (64 * i)) & (2**64 - 1)) for i in range(n))


def _int(words) -> int:
    return sum(int(w) << (64 * i) for i, w in enumerate(words))


M = tuple(F.m)


@settings(max_examples=60, deadline=None)
@given(a=below_2p, b=below_2p)
def test_products_take_operands_below_2p(a: int, b: int) -> None:
    """``mul1`` (no-carry CIOS) on unreduced operands gives the reduced value."""
    assert _int(mul1(_words(a), _words(b), M)) == a * b * R_INV % Q


@settings(max_examples=60, deadline=None)
@given(
    t=st.one_of(
        st.sampled_from([0, 1, Q * 2**256 - 1, 2**256 - 1, (Q - 1) * 2**256, 4 * Q * Q - 1]),
        st.integers(0, Q * 2**256 - 1),
    )
)
def test_montgomery_reduction_of_8_words(t: int) -> None:
    """``_redc`` takes anything below ``p·2^256`` to the reduced ``t·2^-256 mod p``."""
    assert _int(_redc(_words(t, 8), M)) == t * R_INV % Q


@settings(max_examples=60, deadline=None)
@given(a=words256, b=words256, x=words512, y=words512)
def test_wide_word_arithmetic(a: int, b: int, x: int, y: int) -> None:
    assert _int(mul_wide(_words(a), _words(b))) == a * b
    d, borrow = sub_wide(_words(x, 8), _words(y, 8))
    assert (_int(d), int(borrow)) == ((x - y) % 2**512, int(x < y))


@settings(max_examples=60, deadline=None)
@given(a=values, b=values)
def test_lazy_and_branch_free_sums(a: int, b: int) -> None:
    assert _int(add_lazy1(_words(a), _words(b))) == a + b
    assert _int(sub1(_words(a), _words(b), M)) == (a - b) % Q


@settings(max_examples=60, deadline=None)
@given(a=st.tuples(values, values), b=st.tuples(values, values))
def test_lazily_reduced_fp2_products(a: tuple[int, int], b: tuple[int, int]) -> None:
    """``mul2``'s ``c0 = a0 b0 - a1 b1`` negative or not, and ``sqr2``, against ints."""
    (a0, a1), (b0, b1) = a, b
    x, y = _words(a0) + _words(a1), _words(b0) + _words(b1)
    got = mul2(x, y, M)
    assert (_int(got[:4]), _int(got[4:])) == (
        (a0 * b0 - a1 * b1) * R_INV % Q,
        (a0 * b1 + a1 * b0) * R_INV % Q,
    )
    got = sqr2(x, M)
    assert (_int(got[:4]), _int(got[4:])) == (
        (a0 * a0 - a1 * a1) * R_INV % Q,
        2 * a0 * a1 * R_INV % Q,
    )


@pytest.mark.parametrize("dim", [1, 2])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_field_ops_match_ints(dim: int, data: st.DataObject) -> None:
    a = [data.draw(values) for _ in range(dim)]
    b = [data.draw(values) for _ in range(dim)]
    out = np.zeros((6, dim, 4), dtype=np.uint64)
    _field_ops(out, F.to_mont(a), F.to_mont(b), F.p_minus_2, F.m, one_of(F.one, dim), zero_of(dim))
    got = [F.from_mont(row) for row in out]
    if dim == 1:
        (x,), (y,) = a, b
        want = [x * y, x * x, x + y, x - y, -x, pow(x, -1, Q) if x else 0]
        assert got == [[w % Q] for w in want]
    else:
        x, y = tuple(a), tuple(b)
        want = [_fp2_mul(x, y), _fp2_mul(x, x), ((x[0] + y[0]) % Q, (x[1] + y[1]) % Q),
                ((x[0] - y[0]) % Q, (x[1] - y[1]) % Q), (-x[0] % Q, -x[1] % Q), _fp2_inv(x)]  # fmt: skip
        assert got == [list(w) for w in want]


@kernel
def _point_ops(out: np.ndarray, aff: np.ndarray, m, one, zero) -> None:
    """Jacobian rows: p+q, p+p, p+(-p), p+O, O+q, 2p, 2·O, then mixed p+q, p+p, p+(-p), O+q."""
    p = p_load_affine(aff[0], one, zero)
    q = p_load_affine(aff[1], one, zero)
    o = p_infinity(zero)
    for i, r in enumerate(
        (p_add(p, q, m), p_add(p, p, m), p_add(p, p_neg(p, m), m), p_add(p, o, m), p_add(o, q, m),
         p_double(p, m), p_double(o, m))
    ):  # fmt: skip
        p_store(out[i], r)
    qx, qy = f_load(aff[1, 0], zero), f_load(aff[1, 1], zero)
    px, py = f_load(aff[0, 0], zero), f_load(aff[0, 1], zero)
    p_store(out[7], p_add_affine(p, qx, qy, one, m))
    p_store(out[8], p_add_affine(p, px, py, one, m))
    p_store(out[9], p_add_affine(p, px, f_neg(py, m), one, m))
    p_store(out[10], p_add_affine(o, qx, qy, one, m))


def _affine(row: np.ndarray, dim: int):
    """A Jacobian row as a reference affine point (None for infinity)."""
    x, y, z = (F.from_mont(row[k]) for k in range(3))
    if not any(z):
        return None
    if dim == 1:
        zi = pow(z[0], -1, Q)
        return (x[0] * zi * zi % Q, y[0] * zi**3 % Q)
    zi = _fp2_inv(tuple(z))
    zi2 = _fp2_mul(zi, zi)
    return (_fp2_mul(tuple(x), zi2), _fp2_mul(tuple(y), _fp2_mul(zi2, zi)))


@pytest.mark.parametrize("dim", [1, 2], ids=["g1", "g2"])
def test_point_formulas_match_the_reference_curve(dim: int) -> None:
    gen, mul, add = (BN254.g1, BN254.g1_mul, BN254.g1_add) if dim == 1 else (
        BN254.g2, BN254.g2_mul, BN254.g2_add)  # fmt: skip
    p, q = mul(gen, 5), mul(gen, 11)
    flat = (lambda pt: [pt[0], pt[1]]) if dim == 1 else (lambda pt: [*pt[0], *pt[1]])
    aff = np.stack([F.to_mont(flat(pt)).reshape(2, dim, 4) for pt in (p, q)])
    out = np.zeros((11, 3, dim, 4), dtype=np.uint64)
    _point_ops(out, aff, F.m, one_of(F.one, dim), zero_of(dim))
    pq, pp = add(p, q), mul(p, 2)
    want = [pq, pp, None, p, q, pp, None, pq, pp, None, q]
    assert [_affine(row, dim) for row in out] == want
