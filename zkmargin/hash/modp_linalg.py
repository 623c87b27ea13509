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


def mat_inv(a: Matrix, p: int) -> Matrix:
    """The inverse of a square matrix (ValueError if singular)."""
    n = len(a)
    reduced, pivots = row_reduce([row + identity(n)[i] for i, row in enumerate(a)], p)
    if pivots[:n] != list(range(n)) or len(reduced) < n:
        raise ValueError("matrix is singular")
    return [row[n:] for row in reduced[:n]]


def rank(rows: Matrix, p: int) -> int:
    return len(row_reduce(rows, p)[1])


class IncrementalSpan:
    """The span of vectors added one at a time; ``add`` says whether the dimension grew."""

    def __init__(self, p: int) -> None:
        self.p = p
        self.rows: dict[int, list[int]] = {}  # pivot column -> row normalised to 1 there

    @property
    def dimension(self) -> int:
        return len(self.rows)

    def add(self, v: list[int]) -> bool:
        p = self.p
        v = [x % p for x in v]
        for c, row in self.rows.items():
            if v[c]:
                f = v[c]
                v = [(x - f * y) % p for x, y in zip(v, row, strict=True)]
        pivot = next((c for c, x in enumerate(v) if x), None)
        if pivot is None:
            return False
        inv = pow(v[pivot], -1, p)
        self.rows[pivot] = [x * inv % p for x in v]
        return True


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
    """``det(x·I − a)``: reduce to upper Hessenberg form by similarity, then expand (O(n^3))."""
    n = len(a)
    h = [[x % p for x in row] for row in a]
    for j in range(n - 2):
        pivot = next((i for i in range(j + 1, n) if h[i][j]), None)
        if pivot is None:
            continue
        if pivot != j + 1:  # swap rows and columns pivot <-> j+1 (a similarity)
            h[pivot], h[j + 1] = h[j + 1], h[pivot]
            for row in h:
                row[pivot], row[j + 1] = row[j + 1], row[pivot]
        inv = pow(h[j + 1][j], -1, p)
        for k in range(j + 2, n):
            u = h[k][j] * inv % p
            if not u:
                continue
            # row_k -= u·row_{j+1}, then column_{j+1} += u·column_k keeps the matrix similar
            h[k] = [(x - u * y) % p for x, y in zip(h[k], h[j + 1], strict=True)]
            for row in h:
                row[j + 1] = (row[j + 1] + u * row[k]) % p
    # p_m = (x − h[m−1][m−1])·p_{m−1} − Σ_i h[m−1−i][m−1]·(Π_{k=m−i}^{m−1} h[k][k−1])·p_{m−1−i}
    polys: list[Poly] = [[1]]
    for m in range(1, n + 1):
        current = _sub([0, *polys[m - 1]], [h[m - 1][m - 1] * c for c in polys[m - 1]], p)
        product = 1
        for i in range(1, m):
            product = product * h[m - i][m - i - 1] % p
            if not product:
                break
            scaled = [h[m - 1 - i][m - 1] * product * c for c in polys[m - 1 - i]]
            current = _sub(current, scaled, p)
        polys.append(current + [0] * (m + 1 - len(current)))
    return polys[n]


def _trim(f: Poly) -> Poly:
    while f and f[-1] == 0:
        f = f[:-1]
    return f


def poly_mod(f: Poly, g: Poly, p: int) -> Poly:
    g = _trim(g)
    dg = len(g) - 1
    inv = pow(g[-1], -1, p)
    r = list(f)  # entries stay unreduced until used: one reduction per coefficient
    for k in range(len(r) - 1, dg - 1, -1):
        c = r[k] % p
        if c:
            factor = c * inv % p
            shift = k - dg
            for i in range(dg):
                r[shift + i] -= factor * g[i]
    return _trim([x % p for x in r[:dg]])


def poly_mul(f: Poly, g: Poly, p: int) -> Poly:
    if not f or not g:
        return []
    out = [0] * (len(f) + len(g) - 1)
    for i, a in enumerate(f):
        if a:
            for j, b in enumerate(g):
                out[i + j] += a * b
    return _trim([x % p for x in out])


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
