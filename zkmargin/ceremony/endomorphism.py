"""The untwist-Frobenius-twist endomorphism ``ψ`` of BN254's G2, for 4-dimensional GLV.

G2 lives on the twist ``y² = x³ + b/ξ`` over F_q2 (``ξ = 9 + u``). Mapping a point to the
curve over F_q12 (``(x·w², y·w³)``, ``w⁶ = ξ``), raising both coordinates to the ``q``-th power
and mapping back gives ``ψ(x, y) = (x̄·γx, ȳ·γy)`` with ``x̄`` the conjugate (the ``q``-th power
in F_q2), ``γx = ξ^((q-1)/3)`` and ``γy = ξ^((q-1)/2)``. On G2, the ``q``-eigenspace of the
Frobenius, ``ψ`` is multiplication by ``μ = q mod r``; :func:`eigenvalue` checks that on the
reference curve instead of trusting it. With ``φ`` (:mod:`.glv`) this gives four maps
``1, φ, ψ, ψφ`` for G2's scalar splitting.

The register form (:func:`psi`) serves the kernels; it works on both fields, the Frobenius
being the identity on F_q (so G1's ``γ`` are 1 and ``ψ`` the identity there, which is why G1
splits in two with ``φ`` only).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from numba.extending import overload

from zkmargin.curve import BN254
from zkmargin.curve.points import G2
from zkmargin.field.fast.fp_words import c0, c1, fp2, neg1
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.regs import _is_fp2, f_mul
from zkmargin.field.fast.word import Modulus

CURVE = BN254
Fq2 = tuple[int, int]


def _mul(a: Fq2, b: Fq2) -> Fq2:
    q = CURVE.q
    return (a[0] * b[0] - a[1] * b[1]) % q, (a[0] * b[1] + a[1] * b[0]) % q


def _pow(a: Fq2, e: int) -> Fq2:
    out = (1, 0)
    while e:
        if e & 1:
            out = _mul(out, a)
        a = _mul(a, a)
        e >>= 1
    return out


def _inv(a: Fq2) -> Fq2:
    q = CURVE.q
    n = pow(a[0] * a[0] + a[1] * a[1], -1, q)
    return a[0] * n % q, -a[1] * n % q


def _conj(a: Fq2) -> Fq2:
    return a[0], -a[1] % CURVE.q


XI = _mul((CURVE.b, 0), _inv(CURVE.b2))
"""The twist's non-residue ``ξ``: G2's curve constant is ``b/ξ``."""
GAMMA_X = _pow(XI, (CURVE.q - 1) // 3)
GAMMA_Y = _pow(XI, (CURVE.q - 1) // 2)


def psi_point(p: G2) -> G2:
    """``ψ(p)`` on the reference curve's G2 points (``None``: infinity)."""
    if p is None:
        return None
    x, y = p
    return _mul(_conj(x), GAMMA_X), _mul(_conj(y), GAMMA_Y)


@cache
def eigenvalue() -> int:
    """``μ`` with ``ψ(P) = μ·P`` on G2, checked on the generator."""
    mu = CURVE.q % CURVE.r
    assert CURVE.g2_eq(psi_point(CURVE.g2), CURVE.g2_mul(CURVE.g2, mu)), "ψ is not μ on G2"
    return mu


def frobenius(a: Any, m: Modulus) -> Any:
    """``a^q``: the conjugate in F_q2, ``a`` itself in F_q."""
    raise NotImplementedError("numba only")


@overload(frobenius, strict=False)
def _ol_frobenius(a: Any, m: Any) -> Any:  # numba: any argument types
    if _is_fp2(a):
        return lambda a, m: fp2(c0(a), neg1(c1(a), m))
    return lambda a, m: a


@kernel(inline=True)
def psi(x: Any, y: Any, gx: Any, gy: Any, m: Modulus) -> tuple[Any, Any]:
    """``ψ`` of the affine point ``(x, y)`` in register form; 2 multiplications."""
    return f_mul(frobenius(x, m), gx, m), f_mul(frobenius(y, m), gy, m)
