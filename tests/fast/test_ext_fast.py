"""The F_p / F_p2 dispatch layer and the generated straight-line products, against ints."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.field.fast import ext, generate_unrolled, mont64, unrolled
from zkmargin.field.fast.fp2 import scratch2
from zkmargin.field.fast.mont64 import Field64

BN254_Q = 0x30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47
BLS12_381_Q = int(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
    16,
)
PRIMES = {"bn254": BN254_Q, "bls12_381": BLS12_381_Q}


def elements(p: int) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([0, 1, 2, p - 1, p - 2, 2**64 - 1]), st.integers(0, p - 1))


def fp2_mul(u: tuple[int, int], v: tuple[int, int], p: int) -> tuple[int, int]:
    return ((u[0] * v[0] - u[1] * v[1]) % p, (u[0] * v[1] + u[1] * v[0]) % p)


@pytest.mark.parametrize("name", sorted(PRIMES))
@pytest.mark.parametrize("dim", [1, 2])
@given(data=st.data())
def test_ext_ops_match_ints(name: str, dim: int, data: st.DataObject) -> None:
    p = PRIMES[name]
    f = Field64.of(p)
    a = tuple(data.draw(elements(p)) for _ in range(dim))
    b = tuple(data.draw(elements(p)) for _ in range(dim))
    x, y = f.to_mont(a), f.to_mont(b)
    out, s = np.zeros_like(x), scratch2(f)

    def value(arr: np.ndarray) -> tuple[int, ...]:
        return tuple(f.from_mont(arr))

    times = (lambda u, v: (u[0] * v[0] % p,)) if dim == 1 else (lambda u, v: fp2_mul(u, v, p))
    ext.e_mul(out, x, y, f.m, s)
    assert value(out) == times(a, b)
    ext.e_sqr(out, x, f.m, s)
    assert value(out) == times(a, a)
    ext.e_add(out, x, y, f.m)
    assert value(out) == tuple((u + v) % p for u, v in zip(a, b, strict=True))
    ext.e_sub(out, x, y, f.m)
    assert value(out) == tuple((u - v) % p for u, v in zip(a, b, strict=True))
    ext.e_neg(out, x, f.m)
    assert value(out) == tuple(-u % p for u in a)
    assert ext.e_is_zero(x) == (not any(a))
    assert ext.e_equal(x, y) == (a == b)
    ext.e_inverse(out, x, f.one, f.p_minus_2, f.m, s)
    if any(a):
        assert times(value(out), a) == (1,) + (0,) * (dim - 1)
    else:
        assert not any(value(out))
    ext.e_set_one(out, f.one)
    assert value(out) == (1,) + (0,) * (dim - 1)


@pytest.mark.parametrize("name", sorted(PRIMES))
@given(data=st.data())
def test_straight_line_product_matches_loops(name: str, data: st.DataObject) -> None:
    p = PRIMES[name]
    f = Field64.of(p)
    a, b = data.draw(elements(p)), data.draw(elements(p))
    x, y = f.to_mont([a, b])
    loop, line = np.zeros_like(x), np.zeros_like(x)
    mont64.mul_loop(loop, x, y, f.m, f.scratch())
    getattr(unrolled, f"mul_{f.n_limbs}")(line, x, y, f.m)
    assert f.from_mont(line) == f.from_mont(loop) == [a * b % p]


def test_generated_module_is_up_to_date() -> None:
    """``python -m zkmargin.field.fast.generate_unrolled`` (then ``ruff format``) made it."""
    import ast

    committed = generate_unrolled.TARGET.read_text()
    assert ast.dump(ast.parse(committed)) == ast.dump(ast.parse(generate_unrolled.source()))
