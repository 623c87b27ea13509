"""Field elements held in registers: F_p on 4 limbs and F_p2 = F_p[u]/(u² + 1) over it, as
numba tuples of words instead of array rows.

An F_p element is a tuple of 4 little-endian ``uint64`` limbs in Montgomery form, fully reduced
(so zero is all-zero limbs); an F_p2 element ``c0 + c1·u`` the 8 limbs of ``c0`` then ``c1``
(flat: numba's parallel loops take flat tuples, not nested ones). The functions take and
return values: nothing is stored, so a chain of them (a point doubling, an addition) stays in
registers, where the array kernels of :mod:`.mont64` and :mod:`.fp2` load and store every limb
through memory (slower: ``docs/decisions.md``). ``m`` is :attr:`~.mont64.Field64.m` for a
4-limb modulus ``p < 2^254`` (BN254's base and scalar fields; the bounds are in
:mod:`.fp_words`).

The ``f_*`` names serve both fields: each is an ``overload`` that picks the F_p or F_p2 body
(:mod:`.fp_words`) from its argument's type, so curve formulas are written once for G1 and G2.
Kernels choose the field by the *zero* they are given (:func:`zero_of`), and move values to
and from ``(D, 4)`` array rows with :func:`f_load` and :func:`f_store`.

>>> import numpy as np
>>> from zkmargin.field.fast.jit import kernel
>>> from zkmargin.field.fast.mont64 import Field64
>>> f = Field64.of(21888242871839275222246405745257275088696311299362095617320045796345208583)
>>> @kernel
... def square(row, zero, m):
...     f_store(row, f_mul(f_load(row, zero), f_load(row, zero), m))
>>> a = f.to_mont([1, 2]).copy()  # 1 + 2u as a (2, 4) row
>>> square(a, zero_of(2), f.m)
>>> [x - f.p if x > f.p // 2 else x for x in f.from_mont(a)]  # (1 + 2u)² = -3 + 4u
[-3, 4]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import types
from numba.extending import overload

from zkmargin.field.fast.fp_words import (
    Fp,
    Z,
    add1,
    c0,
    c1,
    fp2,
    inv1,
    inv2,
    mul1,
    mul2,
    neg1,
    sqr2,
    sub1,
)
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus


def zero_of(d: int) -> Any:
    """The zero of F_p (``d = 1``) or F_p2 (``d = 2``) as the kernels take it."""
    return (Z,) * (4 * d)


def one_of(one: np.ndarray, d: int) -> Any:
    """The one of F_p or F_p2 from F_p's one in Montgomery form (:attr:`~.mont64.Field64.one`)."""
    return tuple(np.uint64(w) for w in one) + (Z,) * (4 * d - 4)


def fp_of(row: np.ndarray) -> Fp:
    """An F_p element's 4 limbs as the kernels take it."""
    w = [np.uint64(x) for x in row]
    return (w[0], w[1], w[2], w[3])


def _is_fp2(a: Any) -> bool:
    return isinstance(a, types.UniTuple) and a.count == 8


def f_mul(a: Any, b: Any, m: Modulus) -> Any:
    """``a·b`` (F_p or F_p2)."""
    raise NotImplementedError("numba only")


def f_sqr(a: Any, m: Modulus) -> Any:
    """``a²``."""
    raise NotImplementedError("numba only")


def f_add(a: Any, b: Any, m: Modulus) -> Any:
    """``a + b``."""
    raise NotImplementedError("numba only")


def f_sub(a: Any, b: Any, m: Modulus) -> Any:
    """``a - b``."""
    raise NotImplementedError("numba only")


def f_neg(a: Any, m: Modulus) -> Any:
    """``-a``."""
    raise NotImplementedError("numba only")


def f_scale(a: Any, k: Fp, m: Modulus) -> Any:
    """``a·k`` for ``k`` in F_p."""
    raise NotImplementedError("numba only")


def f_inv(a: Any, pm2: np.ndarray, one: Any, m: Modulus) -> Any:
    """``a^-1`` (0 -> 0); ``one``: the field's 1, ``pm2``: :attr:`~.mont64.Field64.p_minus_2`."""
    raise NotImplementedError("numba only")


def f_is_zero(a: Any) -> bool:
    """Whether ``a == 0``."""
    raise NotImplementedError("numba only")


def f_load(row: np.ndarray, zero: Any) -> Any:
    """The element in the ``(D, 4)`` row (``zero`` says which field)."""
    raise NotImplementedError("numba only")


def f_store(row: np.ndarray, a: Any) -> None:
    """Write ``a`` into the ``(D, 4)`` row."""
    raise NotImplementedError("numba only")


@overload(f_mul, strict=False)
def _ol_mul(a: Any, b: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, b, m: mul2(a, b, m)
    return lambda a, b, m: mul1(a, b, m)


@overload(f_sqr, strict=False)
def _ol_sqr(a: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, m: sqr2(a, m)
    return lambda a, m: mul1(a, a, m)


@overload(f_scale, strict=False)
def _ol_scale(a: Any, k: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, k, m: fp2(mul1(c0(a), k, m), mul1(c1(a), k, m))
    return lambda a, k, m: mul1(a, k, m)


@overload(f_inv, strict=False)
def _ol_inv(a: Any, pm2: Any, one: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, pm2, one, m: inv2(a, pm2, c0(one), m)
    return lambda a, pm2, one, m: inv1(a, pm2, one, m)


@overload(f_add, strict=False)
def _ol_add(a: Any, b: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, b, m: fp2(add1(c0(a), c0(b), m), add1(c1(a), c1(b), m))
    return lambda a, b, m: add1(a, b, m)


@overload(f_sub, strict=False)
def _ol_sub(a: Any, b: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, b, m: fp2(sub1(c0(a), c0(b), m), sub1(c1(a), c1(b), m))
    return lambda a, b, m: sub1(a, b, m)


@overload(f_neg, strict=False)
def _ol_neg(a: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, m: fp2(neg1(c0(a), m), neg1(c1(a), m))
    return lambda a, m: neg1(a, m)


@overload(f_is_zero, strict=False)
def _ol_is_zero(a: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a: (a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) == Z
    return lambda a: (a[0] | a[1] | a[2] | a[3]) == Z


@overload(f_load, strict=False)
def _ol_load(row: Any, zero: Any) -> Any:  # numba: any argument types
    if _is_fp2(zero):
        return lambda row, zero: (
            row[0, 0],
            row[0, 1],
            row[0, 2],
            row[0, 3],
            row[1, 0],
            row[1, 1],
            row[1, 2],
            row[1, 3],
        )
    return lambda row, zero: (row[0, 0], row[0, 1], row[0, 2], row[0, 3])


@kernel(inline=True)
def _store1(out: np.ndarray, a: Fp) -> None:
    out[0] = a[0]
    out[1] = a[1]
    out[2] = a[2]
    out[3] = a[3]


@overload(f_store, strict=False)
def _ol_store(row: Any, a: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):

        def store2(row: np.ndarray, a: Any) -> None:
            _store1(row[0], c0(a))
            _store1(row[1], c1(a))

        return store2
    return lambda row, a: _store1(row[0], a)
