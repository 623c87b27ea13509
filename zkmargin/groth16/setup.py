"""Single-party Groth16 setup for development. UNSAFE for production.

Whoever runs it knows the toxic waste (tau, alpha, beta, gamma, delta) and can forge proofs for
any statement. Production keys come from a ceremony: read a snarkjs ``.zkey`` with
:func:`zkmargin.formats.zkey.read_zkey` and prove with it; the prover does not care where the key
came from, because this setup produces exactly snarkjs's layout:

- the domain has n = the next power of two >= constraints + public signals + 1 rows;
- rows ``m + s`` (``s = 0..nPublic``, m = constraint count) hold snarkjs's extra constraints
  ``A[m + s] = w_s``, which make the public signals' polynomials linearly independent;
- ``A[s], B1[s], B2[s]`` are ``u_s(tau), v_s(tau)`` in G1/G2 (Lagrange basis of the n-th roots);
  ``IC[s] = (beta u_s + alpha v_s + w_s)(tau) / gamma`` for public s, ``C[s]`` the same over
  delta for private s (None for public s);
- ``H[j] = L_{2j+1}(tau) / delta``: the Lagrange basis of the 2n-th roots at the odd indices
  (see :mod:`zkmargin.groth16.qap`).

>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> zkey = setup_unsafe_dev(cs)
>>> zkey.domain_size, len(zkey.h), zkey.c[:2]
(4, 4, [None, None])
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from zkmargin.curve import G1, G2, Curve, curve_by_name, fixed_base
from zkmargin.curve.affine import batch_invert
from zkmargin.dsl.r1cs import R1CS
from zkmargin.field import PrimeField
from zkmargin.field.ntt import Domain
from zkmargin.field.roots import two_adicity
from zkmargin.formats.zkey import ZKey

T = TypeVar("T")


def _multiples_for(
    curve: Curve,
) -> tuple[
    Callable[[Curve, G1, Sequence[int]], list[G1]], Callable[[Curve, G2, Sequence[int]], list[G2]]
]:
    """``(g1_multiples, g2_multiples)`` for the curve's backend: the numba kernels for
    ``"fast"`` (the same points for less CPU), else the pure-Python reference."""
    if curve.msm_backend.name == "fast":
        from zkmargin.curve.fast import fixed_base as fast

        return fast.g1_multiples, fast.g2_multiples
    return fixed_base.g1_multiples, fixed_base.g2_multiples


def domain_size_for(n_constraints: int, n_public: int) -> int:
    """snarkjs's domain size: the next power of two >= constraints + public signals + 1."""
    rows = n_constraints + n_public + 1
    return 1 << (rows - 1).bit_length()


def random_scalar(p: int, rng: random.Random | None = None) -> int:
    """A uniform non-zero element of Z_p, from ``secrets`` unless a seeded ``rng`` is given."""
    return rng.randrange(1, p) if rng is not None else 1 + secrets.randbelow(p - 1)


def lagrange_at(field: PrimeField, n: int, tau: int) -> list[int]:
    """``L_i(tau)`` for the n-th roots of unity (ffjavascript's), ``tau`` outside the domain.

    ``L_i(tau) = (tau^n - 1) / n * w^i / (tau - w^i)``; one batched inversion.
    """
    p = field.p
    roots = Domain(field, n).elements()
    dens = [(tau - r) % p for r in roots]
    invs = batch_invert(dens, p)
    z_over_n = (pow(tau, n, p) - 1) * pow(n, -1, p) % p
    return [z_over_n * r % p * inv % p for r, inv in zip(roots, invs, strict=True)]


def setup_unsafe_dev(
    r1cs: R1CS,
    curve: Curve | str | None = None,
    rng: random.Random | None = None,
    *,
    backend: str | None = None,
) -> ZKey:
    """Proving key (snarkjs ``.zkey`` layout) from a one-party setup. UNSAFE: development only.

    ``curve`` defaults to the curve of the system's field; ``rng`` (seeded ``random.Random``)
    makes keys reproducible for tests — never use one for real keys. ``backend`` names the
    MSM backend whose arithmetic computes the key points (default: the curve's own, i.e. the
    highest-priority one): ``"fast"`` uses the numba kernels, any other the pure-Python
    reference; both give the same key for the same ``rng``.

    >>> from zkmargin.dsl.r1cs import R1CS, Constraint
    >>> from zkmargin.field import BN254_FR
    >>> square = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "x*x=y")])
    >>> zkey = setup_unsafe_dev(square)
    >>> zkey.curve, zkey.n_public, zkey.n_vars
    ('bn128', 1, 3)
    """
    if curve is None:
        curve = r1cs.field.name
    if isinstance(curve, str):
        curve = curve_by_name(curve)
    if backend is not None:
        curve = curve.with_backend(backend)
    fr = curve.fr
    if fr.p != r1cs.prime:
        raise ValueError(f"the system's field is not {curve.name}'s scalar field")
    p = fr.p
    m, n_public, n_vars = r1cs.n_constraints, r1cs.n_public, r1cs.n_wires
    n = domain_size_for(m, n_public)
    if n >= 1 << two_adicity(fr):
        # snarkjs takes H from another ptau section at the maximal size; not supported here.
        raise ValueError(f"{m} constraints need a domain too large for {curve.name}")

    while True:
        tau = random_scalar(p, rng)
        if pow(tau, 2 * n, p) != 1:  # tau must avoid both domains (the n-th and 2n-th roots)
            break
    alpha, beta, gamma, delta = (random_scalar(p, rng) for _ in range(4))

    lag = lagrange_at(fr, n, tau)
    u, v, w = [0] * n_vars, [0] * n_vars, [0] * n_vars
    coeffs: list[tuple[int, int, int, int]] = []
    for row, con in enumerate(r1cs.constraints):
        for s, k in con.a.items():
            u[s] += k * lag[row]
            coeffs.append((0, row, s, k % p))
        for s, k in con.b.items():
            v[s] += k * lag[row]
            coeffs.append((1, row, s, k % p))
        for s, k in con.c.items():
            w[s] += k * lag[row]
    for s in range(n_public + 1):
        u[s] += lag[m + s]
        coeffs.append((0, m + s, s, 1))

    gamma_inv, delta_inv = pow(gamma, -1, p), pow(delta, -1, p)
    combined = [(beta * u[s] + alpha * v[s] + w[s]) % p for s in range(n_vars)]
    lag2 = lagrange_at(fr, 2 * n, tau)
    private = range(n_public + 1, n_vars)
    # All G1 (and all G2) points in one batch each: the batch shares its inversions and tables.
    g1_scalars = [
        alpha,
        beta,
        delta,
        *(combined[s] * gamma_inv for s in range(n_public + 1)),
        *u,
        *v,
        *(combined[s] * delta_inv for s in private),
        *(lag2[2 * j + 1] * delta_inv for j in range(n)),
    ]
    g1_multiples, g2_multiples = _multiples_for(curve)
    g1 = iter(g1_multiples(curve, curve.g1, g1_scalars))
    g2 = iter(g2_multiples(curve, curve.g2, [beta, gamma, delta, *v]))

    def take(points: Iterator[T], count: int) -> list[T]:
        return [next(points) for _ in range(count)]

    public_c: list[G1] = [None] * (n_public + 1)  # C holds no public wire's term
    alpha1, beta1, delta1 = take(g1, 3)
    beta2, gamma2, delta2 = take(g2, 3)
    return ZKey(
        curve=curve.name,
        n_vars=n_vars,
        n_public=n_public,
        domain_size=n,
        alpha1=alpha1,
        beta1=beta1,
        beta2=beta2,
        gamma2=gamma2,
        delta1=delta1,
        delta2=delta2,
        ic=take(g1, n_public + 1),
        coeffs=coeffs,
        a=take(g1, n_vars),
        b1=take(g1, n_vars),
        b2=take(g2, n_vars),
        c=public_c + take(g1, len(private)),
        h=take(g1, n),
    )
