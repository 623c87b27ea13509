"""numba kernels for Montgomery arithmetic on 32-bit limbs, in F_p and F_p2 = F_p[u]/(u^2 + 1).

Every element is kept fully reduced (``< p``) in Montgomery form ``a·R mod p``, so zero is
all-zero limbs and equality is limb equality.  Functions write into ``out`` and are safe when
``out`` aliases an input.  ``t`` is caller-owned scratch from :func:`scratch`, shape ``(SCRATCH_ROWS, 2N + 2)``:
the kernels never allocate, so they can run in tight loops and in parallel threads (one ``t``
per thread).

Extension-agnostic "ext" functions take elements of shape ``(D, N)``: ``D = 1`` is F_p and
``D = 2`` is F_p2 (both BN254 and BLS12-381 build F_p2 with ``u^2 = -1``), so curve formulas
are written once for G1 and G2.

Multiplication is schoolbook then word-by-word Montgomery reduction (faster under numba than
interleaved CIOS, measured): a limb product ``< 2^64 - 2^33`` plus two 32-bit limbs fits in
``uint64``, so no 128-bit type is needed.

>>> import numpy as np
>>> from zkmargin.field.fast.limbs import Modulus, ints_to_limbs, limbs_to_ints
>>> m = Modulus.of(2**61 - 1)
>>> t = scratch(m.limbs)
>>> a, b = ints_to_limbs([3 * 2**64 % m.p, 5 * 2**64 % m.p], m.n_limbs)  # 3R, 5R
>>> out = np.zeros(m.n_limbs, dtype=np.uint64)
>>> fp_mul(a, b, out, m.limbs, m.inv, t)
>>> limbs_to_ints(out)[0] == 15 * 2**64 % m.p
True
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.jit import kernel

MASK = np.uint64(0xFFFFFFFF)
SHIFT = np.uint64(32)
ZERO = np.uint64(0)
ONE = np.uint64(1)
TOP = np.uint64(63)
SCRATCH_ROWS = 6


@kernel
def scratch(m):
    """Fresh scratch ``t`` for the functions here (one per thread)."""
    return np.zeros((SCRATCH_ROWS, 2 * m.shape[0] + 2), dtype=np.uint64)


@kernel
def fp_geq(a, m):
    """Whether ``a >= m`` (same limb count)."""
    for j in range(m.shape[0] - 1, -1, -1):
        if a[j] != m[j]:
            return a[j] > m[j]
    return True


@kernel
def fp_sub_raw(a, b, out):
    """``out = a - b`` limb-wise; returns the final borrow (0 or 1)."""
    borrow = ZERO
    for j in range(a.shape[0]):
        d = a[j] - b[j] - borrow
        borrow = (d >> TOP) & ONE
        out[j] = d & MASK
    return borrow


@kernel(inline=True)
def fp_mul(a, b, out, m, inv, t):
    """``out = a·b·R^-1 mod p``: the full product, then word-by-word Montgomery reduction."""
    n = m.shape[0]
    w = t[0]
    for j in range(2 * n + 1):
        w[j] = ZERO
    for i in range(n):
        c = ZERO
        ai = a[i]
        for j in range(n):
            s = w[i + j] + ai * b[j] + c
            w[i + j] = s & MASK
            c = s >> SHIFT
        w[i + n] = c
    for i in range(n):
        q = (w[i] * inv) & MASK
        c = ZERO
        for j in range(n):
            s = w[i + j] + q * m[j] + c
            w[i + j] = s & MASK
            c = s >> SHIFT
        k = i + n
        while c != ZERO:
            s = w[k] + c
            w[k] = s & MASK
            c = s >> SHIFT
            k += 1
    # The result w[n : 2n + 1] is below 2p: one conditional subtraction.
    ge = w[2 * n] != ZERO
    if not ge:
        ge = True
        for j in range(n - 1, -1, -1):
            if w[n + j] != m[j]:
                ge = w[n + j] > m[j]
                break
    if ge:
        borrow = ZERO
        for j in range(n):
            d = w[n + j] - m[j] - borrow
            borrow = d >> TOP
            out[j] = d & MASK
    else:
        for j in range(n):
            out[j] = w[n + j]


@kernel(inline=True)
def fp_add(a, b, out, m):
    """``out = a + b mod p``."""
    n = m.shape[0]
    c = ZERO
    for j in range(n):
        s = a[j] + b[j] + c
        out[j] = s & MASK
        c = s >> SHIFT
    if c != ZERO or fp_geq(out, m):
        fp_sub_raw(out, m, out)


@kernel(inline=True)
def fp_sub(a, b, out, m):
    """``out = a - b mod p``."""
    if fp_sub_raw(a, b, out) != ZERO:
        n = m.shape[0]
        c = ZERO
        for j in range(n):
            s = out[j] + m[j] + c
            out[j] = s & MASK
            c = s >> SHIFT


@kernel
def fp_is_zero(a):
    for j in range(a.shape[0]):  # noqa: SIM110 (numba: explicit loops, no generators)
        if a[j] != ZERO:
            return False
    return True


@kernel
def fp_pow(a, e, out, m, inv, one, t):
    """``out = a^e`` in Montgomery form; ``e`` is a limb array (32-bit limbs)."""
    acc = t[5, : m.shape[0]]
    for j in range(m.shape[0]):
        acc[j] = one[j]
    for i in range(e.shape[0] * 32 - 1, -1, -1):
        fp_mul(acc, acc, acc, m, inv, t)
        if (e[i // 32] >> np.uint64(i % 32)) & ONE:
            fp_mul(acc, a, acc, m, inv, t)
    for j in range(m.shape[0]):
        out[j] = acc[j]


# --- F_p or F_p2 ("ext", shape (D, N)) -----------------------------------------------------


@kernel
def ext_copy(a, out):
    for d in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[d, j] = a[d, j]


@kernel
def ext_set_zero(out):
    for d in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[d, j] = ZERO


@kernel
def ext_set_one(out, one):
    ext_set_zero(out)
    for j in range(out.shape[1]):
        out[0, j] = one[j]


@kernel
def ext_is_zero(a):
    for d in range(a.shape[0]):  # noqa: SIM110 (numba: explicit loops, no generators)
        if not fp_is_zero(a[d]):
            return False
    return True


@kernel
def ext_eq(a, b):
    for d in range(a.shape[0]):
        for j in range(a.shape[1]):
            if a[d, j] != b[d, j]:
                return False
    return True


@kernel
def ext_add(a, b, out, m):
    for d in range(a.shape[0]):
        fp_add(a[d], b[d], out[d], m)


@kernel
def ext_sub(a, b, out, m):
    for d in range(a.shape[0]):
        fp_sub(a[d], b[d], out[d], m)


@kernel
def ext_neg(a, out, m):
    for d in range(a.shape[0]):
        if fp_is_zero(a[d]):
            for j in range(a.shape[1]):
                out[d, j] = ZERO
        else:
            fp_sub_raw(m, a[d], out[d])


@kernel
def ext_mul(a, b, out, m, inv, t):
    """``out = a·b``; for F_p2, Karatsuba with ``u^2 = -1`` (three base multiplications)."""
    if a.shape[0] == 1:
        fp_mul(a[0], b[0], out[0], m, inv, t)
        return
    n = m.shape[0]
    t1 = t[1, :n]
    t2 = t[2, :n]
    t3 = t[3, :n]
    t4 = t[4, :n]
    fp_mul(a[0], b[0], t1, m, inv, t)
    fp_mul(a[1], b[1], t2, m, inv, t)
    fp_add(a[0], a[1], t3, m)
    fp_add(b[0], b[1], t4, m)
    fp_mul(t3, t4, t3, m, inv, t)
    fp_sub(t3, t1, t3, m)
    fp_sub(t3, t2, out[1], m)
    fp_sub(t1, t2, out[0], m)


@kernel
def ext_sqr(a, out, m, inv, t):
    """``out = a^2``; for F_p2, ``(a0 + a1)(a0 - a1) + 2·a0·a1·u`` (two multiplications)."""
    if a.shape[0] == 1:
        fp_mul(a[0], a[0], out[0], m, inv, t)
        return
    n = m.shape[0]
    t1 = t[1, :n]
    t2 = t[2, :n]
    t3 = t[3, :n]
    fp_add(a[0], a[1], t1, m)
    fp_sub(a[0], a[1], t2, m)
    fp_mul(a[0], a[1], t3, m, inv, t)
    fp_mul(t1, t2, out[0], m, inv, t)
    fp_add(t3, t3, out[1], m)


@kernel
def ext_inv(a, out, m, inv, one, pm2, t):
    """``out = a^-1`` (``a != 0``) by Fermat, ``pm2 = p - 2`` as limbs; F_p2 via the norm."""
    if a.shape[0] == 1:
        fp_pow(a[0], pm2, out[0], m, inv, one, t)
        return
    n = m.shape[0]
    t1 = t[1, :n]
    t2 = t[2, :n]
    fp_mul(a[0], a[0], t1, m, inv, t)
    fp_mul(a[1], a[1], t2, m, inv, t)
    fp_add(t1, t2, t1, m)  # norm = a0^2 + a1^2
    fp_pow(t1, pm2, t1, m, inv, one, t)
    fp_mul(a[0], t1, out[0], m, inv, t)
    fp_mul(a[1], t1, t2, m, inv, t)
    if fp_is_zero(t2):
        for j in range(n):
            out[1, j] = ZERO
    else:
        fp_sub_raw(m, t2, out[1])


# --- arrays of F_p elements, shape (n, N) ---------------------------------------------------


@kernel
def fp_mul_many(a, b, out, m, inv):
    """``out[i] = a[i]·b[i]·R^-1`` for every row (entering Montgomery form when ``b = R^2``)."""
    t = scratch(m)
    for i in range(a.shape[0]):
        fp_mul(a[i], b[i], out[i], m, inv, t)


@kernel
def fp_mul_by(a, c, out, m, inv):
    """``out[i] = a[i]·c·R^-1`` for one element ``c``."""
    t = scratch(m)
    for i in range(a.shape[0]):
        fp_mul(a[i], c, out[i], m, inv, t)
