"""Small dense linear algebra and polynomial helpers over GF(p), on plain Python ints.

Sized for Poseidon parameter checks (matrices up to 17 x 17); not a fast kernel.
Matrices are lists of rows; polynomials are coefficient lists, lowest degree first.

>>> p = 7
>>> rank([[1, 2], [2, 4]], p)
1
>>> sorted(poly_roots([6, 0, 1], p))  # x^2 - 1
[1, 6]
"""

from __future__ import annotations

import random

Matrix = list[list[int]]
Poly = list[int]


def identity(t: int) -> Matrix:
    return [[int(i == j) for j in range(t)] for i in range(t)]


def mat_mul(a: Matrix, b: Matrix, p: int) -> Matrix:
    cols = list(zip(*b, strict=True))
    return [[sum(x * y for x, y in zip(row, col, strict=True)) % p for col in cols] for row in a]


def mat_vec(a: Matrix, v: list[int], p: int) -> list[int]:
    return [sum(x * y for x, y in zip(row, v, strict=True)) % p for row in a]


def mat_pow(a: Matrix, e: int, p: int) -> Matrix:
    result = identity(len(a))
    base = a
    while e:
        if e & 1:
            result = mat_mul(result, base, p)
        base = mat_mul(base, base, p)
        e >>= 1
    return result


def row_reduce(rows: Matrix, p: int) -> tuple[Matrix, list[int]]:
    """Reduced row echelon form (non-zero rows only) and the pivot columns."""
    m = [[x % p for x in row] for row in rows]
    pivots: list[int] = []
    r = 0
    ncols = len(m[0]) if m else 0
    for c in range(ncols):
        pivot = next((i for i in range(r, len(m)) if m[i][c]), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        inv = pow(m[r][c], -1, p)
        m[r] = [x * inv % p for x in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c]:
                f = m[i][c]
                m[i] = [(x - f * y) % p for x, y in zip(m[i], m[r], strict=True)]
        pivots.append(c)
        r += 1
    return m[:r], pivots


def rank(rows: Matrix, p: int) -> int:
    return len(row_reduce(rows, p)[1])


def null_space(rows: Matrix, ncols: int, p: int) -> Matrix:
    """A basis (as a list of vectors) of ``{v : rows · v = 0}``."""
    if not rows:
        return identity(ncols)
    reduced, pivots = row_reduce(rows, p)
    free = [c for c in range(ncols) if c not in pivots]
    basis = []
    for f in free:
        v = [0] * ncols
        v[f] = 1
        for row, c in zip(reduced, pivots, strict=True):
            v[c] = -row[f] % p
        basis.append(v)
    return basis


def char_poly(a: Matrix, p: int) -> Poly:
    """``det(x·I − a)`` by the Faddeev–LeVerrier recurrence (needs ``p > len(a)``)."""
    n = len(a)
    coeffs = [0] * (n + 1)
    coeffs[n] = 1
    m = [[0] * n for _ in range(n)]  # M_0 = 0
    for k in range(1, n + 1):
        # M_k = A·M_{k-1} + c_{n-k+1}·I ;  c_{n-k} = -tr(A·M_k) / k
        m = mat_mul(a, m, p)
        for i in range(n):
            m[i][i] = (m[i][i] + coeffs[n - k + 1]) % p
        am = mat_mul(a, m, p)
        trace = sum(am[i][i] for i in range(n))
        coeffs[n - k] = -trace * pow(k, -1, p) % p
    return coeffs


def _trim(f: Poly) -> Poly:
    while f and f[-1] == 0:
        f = f[:-1]
    return f


def poly_mod(f: Poly, g: Poly, p: int) -> Poly:
    f = _trim([x % p for x in f])
    g = _trim(g)
    inv = pow(g[-1], -1, p)
    while len(f) >= len(g):
        factor = f[-1] * inv % p
        shift = len(f) - len(g)
        for i, c in enumerate(g):
            f[shift + i] = (f[shift + i] - factor * c) % p
        f = _trim(f)
    return f


def poly_mul(f: Poly, g: Poly, p: int) -> Poly:
    if not f or not g:
        return []
    out = [0] * (len(f) + len(g) - 1)
    for i, a in enumerate(f):
        if a:
            for j, b in enumerate(g):
                out[i + j] = (out[i + j] + a * b) % p
    return _trim(out)


def poly_gcd(f: Poly, g: Poly, p: int) -> Poly:
    f, g = _trim([x % p for x in f]), _trim([x % p for x in g])
    while g:
        f, g = g, poly_mod(f, g, p)
    inv = pow(f[-1], -1, p)
    return [x * inv % p for x in f]


def poly_powmod(base: Poly, e: int, modulus: Poly, p: int) -> Poly:
    result: Poly = [1]
    base = poly_mod(base, modulus, p)
    while e:
        if e & 1:
            result = poly_mod(poly_mul(result, base, p), modulus, p)
        base = poly_mod(poly_mul(base, base, p), modulus, p)
        e >>= 1
    return result


def poly_roots(f: Poly, p: int) -> set[int]:
    """The distinct roots of ``f`` in GF(p) (odd ``p``): gcd with x^p − x, then Cantor–Zassenhaus."""
    f = _trim([x % p for x in f])
    xp = poly_powmod([0, 1], p, f, p)
    g = poly_gcd(f, _sub(xp, [0, 1], p), p)  # product of (x − r) over the roots r
    rng = random.Random(0)  # roots do not depend on the seed; fixed only for reproducibility
    roots: set[int] = set()
    stack = [g]
    while stack:
        h = stack.pop()
        if len(h) <= 1:
            continue
        if len(h) == 2:
            roots.add(-h[0] * pow(h[1], -1, p) % p)
            continue
        while True:
            a = rng.randrange(p)
            split = poly_gcd(h, _sub(poly_powmod([a, 1], (p - 1) // 2, h, p), [1], p), p)
            if 1 < len(split) < len(h):
                break
        stack += [split, _poly_div_exact(h, split, p)]
    return roots


def _sub(f: Poly, g: Poly, p: int) -> Poly:
    n = max(len(f), len(g))
    f = f + [0] * (n - len(f))
    g = g + [0] * (n - len(g))
    return _trim([(a - b) % p for a, b in zip(f, g, strict=True)])


def _poly_div_exact(f: Poly, g: Poly, p: int) -> Poly:
    f = list(f)
    inv = pow(g[-1], -1, p)
    q = [0] * (len(f) - len(g) + 1)
    for shift in range(len(q) - 1, -1, -1):
        factor = f[shift + len(g) - 1] * inv % p
        q[shift] = factor
        for i, c in enumerate(g):
            f[shift + i] = (f[shift + i] - factor * c) % p
    return _trim(q)
