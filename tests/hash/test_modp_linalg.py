"""Linear algebra and root finding mod p, checked against definitions."""

from __future__ import annotations

from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.field import BN254_FR
from zkmargin.hash.modp_linalg import (
    char_poly,
    mat_mul,
    mat_pow,
    mat_vec,
    null_space,
    poly_mul,
    poly_roots,
    rank,
)

P = BN254_FR.p
SMALL_P = 10007  # 3 mod 4, so x^2 + 1 has no roots


def det(m: list[list[int]], p: int) -> int:
    n = len(m)
    total = 0
    for perm in permutations(range(n)):
        sign = (-1) ** sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        term = sign
        for i in range(n):
            term *= m[i][perm[i]]
        total += term
    return total % p


def poly_eval(f: list[int], x: int, p: int) -> int:
    return sum(c * pow(x, i, p) for i, c in enumerate(f)) % p


matrices = st.integers(2, 4).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, P - 1), min_size=n, max_size=n), min_size=n, max_size=n
    )
)


@settings(max_examples=25)
@given(m=matrices, x=st.integers(0, P - 1))
def test_char_poly_is_det_of_x_minus_m(m: list[list[int]], x: int) -> None:
    shifted = [[(x * (i == j) - v) % P for j, v in enumerate(row)] for i, row in enumerate(m)]
    assert poly_eval(char_poly(m, P), x, P) == det(shifted, P)


@settings(max_examples=25)
@given(m=matrices)
def test_null_space_is_the_kernel(m: list[list[int]]) -> None:
    m = [*m, [sum(col) % P for col in zip(*m, strict=True)]]  # a dependent row
    basis = null_space(m, len(m[0]), P)
    assert all(x == 0 for v in basis for x in mat_vec(m, v, P))
    assert len(basis) + rank(m, P) == len(m[0])


@settings(max_examples=25)
@given(
    roots=st.lists(st.integers(0, P - 1), min_size=1, max_size=6),
    irreducible=st.booleans(),
)
def test_poly_roots_are_exactly_the_linear_factors(roots: list[int], irreducible: bool) -> None:
    f = [1]
    for r in roots:
        f = poly_mul(f, [-r % P, 1], P)
    if irreducible:  # x^2 - 5: 5 is a non-residue mod the BN254 scalar prime
        assert pow(5, (P - 1) // 2, P) == P - 1
        f = poly_mul(f, [P - 5, 0, 1], P)
    assert poly_roots(f, P) == set(roots)


def test_roots_small_field() -> None:
    f = poly_mul(poly_mul([3, 1], [SMALL_P - 5, 1], SMALL_P), [1, 0, 1], SMALL_P)
    assert poly_roots(f, SMALL_P) == {5, SMALL_P - 3}


def test_mat_pow_matches_repeated_products() -> None:
    m = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    acc = m
    for _ in range(4):
        acc = mat_mul(acc, m, P)
    assert mat_pow(m, 5, P) == acc
