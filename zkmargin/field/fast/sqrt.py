"""Square roots in F_p and F_p2 = F_p[u]/(u² + 1) for ``p ≡ 3 (mod 4)``, as numba kernels.

F_p: ``a^((p+1)/4)``. F_p2: Adj and Rodríguez-Henríquez, "Square root computation over even
extension fields" (2014), algorithm 9: with ``a1 = a^((p-3)/4)`` and ``α = a1²·a``, the root is
``u·a1·a`` when ``α = -1`` and ``(1 + α)^((p-1)/2)·a1·a`` otherwise. Either way the candidate is
squared and compared, so a non-square is reported rather than answered with garbage.

Elements are ``(D, N)`` Montgomery arrays (:mod:`.ext`); the exponents are plain limbs from
:func:`exponents`.

>>> import numpy as np
>>> from zkmargin.field.fast.fp2 import scratch2
>>> from zkmargin.field.fast.mont64 import Field64
>>> f = Field64.of(103)
>>> tmp = np.zeros((3, 2, f.n_limbs), dtype=np.uint64)
>>> a = f.to_mont([58, 28])  # (2 + 7u)² = -45 + 28u
>>> out = np.zeros_like(a)
>>> e_sqrt(out, a, exponents(f), f.one, f.m, scratch2(f), tmp), f.from_mont(out) in ([2, 7], [101, 96])
(True, True)
>>> e_sqrt(out, f.to_mont([5, 0]), exponents(f), f.one, f.m, scratch2(f), tmp)  # every element of F_p is a square in F_p2
True
"""

from __future__ import annotations

import numpy as np

from zkmargin.field.fast.ext import e_copy, e_equal, e_mul, e_set_one, e_sqr
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, ints_to_limbs, is_zero, neg
from zkmargin.field.fast.word import Modulus


def exponents(field: Field64) -> np.ndarray:
    """``(p+1)/4, (p-3)/4, (p-1)/2`` as a ``(3, N)`` limb array (``p ≡ 3 mod 4`` required)."""
    p = field.p
    if p % 4 != 3:
        raise ValueError("these square roots need p ≡ 3 (mod 4)")
    return ints_to_limbs([(p + 1) // 4, (p - 3) // 4, (p - 1) // 2], field.n_limbs)


@kernel
def e_pow(
    out: np.ndarray,
    a: np.ndarray,
    e: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    acc: np.ndarray,
) -> None:
    """``out = a^e`` (``e`` plain limbs); ``acc`` a scratch element shaped like ``a``."""
    e_set_one(acc, one)
    for i in range(e.shape[0] * 64 - 1, -1, -1):
        e_sqr(acc, acc, m, s)
        if (e[i >> 6] >> np.uint64(i & 63)) & np.uint64(1):
            e_mul(acc, acc, a, m, s)
    e_copy(out, acc)


@kernel
def e_sqrt(
    out: np.ndarray,
    a: np.ndarray,
    exps: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    tmp: np.ndarray,
) -> bool:
    """``out`` = a square root of ``a``; returns whether ``a`` is a square (``out`` is then
    unspecified otherwise). ``tmp``: three scratch elements shaped like ``a``."""
    if a.shape[0] == 1:
        e_pow(out, a, exps[0], one, m, s, tmp[0])
    else:
        a1, alpha, x0 = tmp[0], tmp[1], tmp[2]
        e_pow(a1, a, exps[1], one, m, s, x0)
        e_sqr(alpha, a1, m, s)
        e_mul(alpha, alpha, a, m, s)
        e_mul(x0, a1, a, m, s)
        # α = -1 exactly when α + 1 = 0
        add(a1[0], alpha[0], one, m)
        if is_zero(a1[0]) and is_zero(alpha[1]):
            e_copy(a1, x0)  # u·(c0 + c1·u) = -c1 + c0·u
            neg(out[0], a1[1], m)
            out[1] = a1[0]
        else:
            a1[1] = alpha[1]
            e_pow(alpha, a1, exps[2], one, m, s, out)
            e_mul(out, alpha, x0, m, s)
    e_sqr(tmp[0], out, m, s)
    return bool(e_equal(tmp[0], a))
