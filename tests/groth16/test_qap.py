"""The prover's QAP steps: rows from zkey coefficients, and the quotient on the odd coset."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.dsl.r1cs import evaluate
from zkmargin.field import field_by_name
from zkmargin.field.ntt import Domain
from zkmargin.groth16.qap import quotient_values, row_evaluations
from zkmargin.groth16.setup import domain_size_for, lagrange_at


def test_rows_match_the_constraints_and_public_binding_rows(keys):
    p = keys.r1cs.prime
    n = keys.zkey.domain_size
    a, b = row_evaluations(keys.zkey.coeffs, keys.witness, n, p)
    m = keys.r1cs.n_constraints
    for i, con in enumerate(keys.r1cs.constraints):
        assert a[i] == evaluate(con.a, keys.witness, p)
        assert b[i] == evaluate(con.b, keys.witness, p)
    # snarkjs's extra rows: A[m + s] = w_s for s = 0..nPublic, B = 0 there; the rest is padding.
    assert a[m : m + keys.r1cs.n_public + 1] == keys.witness[: keys.r1cs.n_public + 1]
    assert b[m:] == [0] * (n - m)
    assert a[m + keys.r1cs.n_public + 1 :] == [0] * (n - m - keys.r1cs.n_public - 1)


@pytest.mark.parametrize(("constraints", "public", "size"), [(1, 0, 2), (3, 0, 4), (3, 1, 8)])
def test_domain_size_is_snarkjs(constraints, public, size):
    assert domain_size_for(constraints, public) == size


@pytest.mark.parametrize("curve", ["bn128", "bls12381"])
@given(log_n=st.integers(1, 5), seed=st.integers(0, 2**32))
def test_quotient_is_divisible_by_the_vanishing_polynomial(curve, log_n, seed):
    # A·B − C vanishes on the domain by construction (C = a∘b there), so on the odd coset it
    # equals h·Z with Z = g^n − 1 constant and deg h <= n − 2: the interpolant of the values
    # divided by Z has a zero top coefficient.
    field = field_by_name(curve)
    n = 1 << log_n
    rng = random.Random(seed)
    a = [rng.randrange(field.p) for _ in range(n)]
    b = [rng.randrange(field.p) for _ in range(n)]
    values = quotient_values(field, a, b)
    domain = Domain(field, n)
    z_inv = pow(domain.vanishing_on_coset(), -1, field.p)
    h = domain.coset_intt([v * z_inv % field.p for v in values])
    assert h[-1] == 0
    # and it is really A·B − C: check at one coset point directly.
    g = domain.shift
    a_poly, b_poly = domain.ntt(a, inverse=True), domain.ntt(b, inverse=True)
    c_poly = domain.ntt([x * y % field.p for x, y in zip(a, b, strict=True)], inverse=True)

    def at(poly, x):
        return sum(c * pow(x, i, field.p) for i, c in enumerate(poly)) % field.p

    assert values[0] == (at(a_poly, g) * at(b_poly, g) - at(c_poly, g)) % field.p


@pytest.mark.parametrize("curve", ["bn128", "bls12381"])
@given(log_n=st.integers(0, 5), seed=st.integers(0, 2**32))
def test_lagrange_basis_interpolates_at_tau(curve, log_n, seed):
    # sum_i L_i(tau) f(w^i) = f(tau) for every f of degree < n: the setup's A/B/C/H points rely on it.
    field = field_by_name(curve)
    n, p = 1 << log_n, field.p
    rng = random.Random(seed)
    coeffs = [rng.randrange(p) for _ in range(n)]
    tau = rng.randrange(p)
    evals = Domain(field, n).ntt(coeffs)
    expected = sum(c * pow(tau, i, p) for i, c in enumerate(coeffs)) % p
    assert (
        sum(lg * e for lg, e in zip(lagrange_at(field, n, tau), evals, strict=True)) % p == expected
    )
