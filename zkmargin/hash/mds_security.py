"""The MDS-matrix checks of the Poseidon parameter script (for one S-box per partial round).

The script rejects a Cauchy matrix ``M`` and samples a new one unless three tests pass; they rule
out subspaces on which the partial rounds' single S-box stays inactive for ever ("infinitely long
subspace trails", Grassi–Rechberger–Schofnegger 2020). With ``s = 1`` S-box they read:

1. for ``i = 1 .. t−1``, with ``S_i = {v : (M^k v)[0] = 0 for k = 0 .. i−1}``:
   ``M^i`` is not a multiple of the identity; no eigenvector of ``M^i`` whose eigenvalue lies in
   GF(p) lies in ``S_i``; and ``M^j·S_i ≠ S_i`` for ``j = 1 .. i``;
2. the Krylov space of ``e_0`` under ``M`` (span of ``e_0, M e_0, M^2 e_0, …``) is all of GF(p)^t;
3. test 2 holds for ``M^r`` for every ``r = 2 .. 4t``.

>>> from zkmargin.field import BN254_FR
>>> is_secure_mds([[1, 0], [0, 1]], BN254_FR.p)   # the identity keeps every subspace
False
"""

from __future__ import annotations

from zkmargin.hash.modp_linalg import (
    IncrementalSpan,
    Matrix,
    char_poly,
    identity,
    mat_mul,
    mat_vec,
    null_space,
    poly_roots,
)


def is_secure_mds(m: Matrix, p: int) -> bool:
    """Whether ``m`` passes all three checks of the reference script."""
    return algorithm_1(m, p) and algorithm_2(m, p) and algorithm_3(m, p)


def algorithm_1(m: Matrix, p: int) -> bool:
    """Check 1: no eigenvector or invariant subspace inside the S-box-inactive subspaces."""
    t = len(m)
    power = identity(t)
    inactive_rows: list[list[int]] = []  # rows r with r·v = 0 defining S_i: row 0 of M^k
    for i in range(1, t):
        inactive_rows.append(power[0])  # row 0 of M^(i-1)
        power = mat_mul(power, m, p)  # M^i
        if _is_scalar(power):
            return False
        # eigenvectors of M^i in S_i: kernel of [S_i's rows; M^i − λI] for each eigenvalue λ in GF(p)
        for lam in poly_roots(char_poly(power, p), p):
            shifted = [
                [(x - lam) % p if r == c else x for c, x in enumerate(row)]
                for r, row in enumerate(power)
            ]
            if null_space(inactive_rows + shifted, t, p):
                return False
        basis = null_space(inactive_rows, t, p)
        m_j = identity(t)
        for _ in range(i):
            m_j = mat_mul(m_j, m, p)
            # M invertible, so M^j S = S exactly when M^j maps S into S
            images = [mat_vec(m_j, v, p) for v in basis]
            if all(
                sum(a * b for a, b in zip(row, w, strict=True)) % p == 0
                for row in inactive_rows
                for w in images
            ):
                return False
    return True


def _is_scalar(a: Matrix) -> bool:
    d = a[0][0]
    return all(x == (d if r == c else 0) for r, row in enumerate(a) for c, x in enumerate(row))


def algorithm_2(m: Matrix, p: int) -> bool:
    """Check 2: the iterates of ``e_0`` under ``m`` span the whole space."""
    t = len(m)
    v = [1] + [0] * (t - 1)
    span = IncrementalSpan(p)
    span.add(v)
    while span.dimension < t:
        v = mat_vec(m, v, p)
        if not span.add(v):  # the Krylov space stopped growing short of GF(p)^t
            return False
    return True


def algorithm_3(m: Matrix, p: int) -> bool:
    """Check 3: check 2 for every power ``M^r``, ``r = 2 .. 4t``."""
    power = m
    for _ in range(2, 4 * len(m) + 1):
        power = mat_mul(power, m, p)
        if not algorithm_2(power, p):
            return False
    return True
