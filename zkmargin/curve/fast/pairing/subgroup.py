"""G2 membership by the endomorphism ``ψ`` (untwist, Frobenius, twist): ``ψ(Q) = [λ]Q``.

On the order-``r`` subgroup ``ψ`` acts as multiplication by ``λ ≡ q (mod r)``: ``λ = 6x²``
on BN254 and ``λ = x`` on BLS12-381 (Scott, "A note on group membership tests for G1, G2 and
GT on BLS pairing-friendly curves", 2021).  The test is sound when no other point of the twist
satisfies it: ``ψ`` satisfies ``ψ² - tψ + q = 0``, so a point ``Q`` of order ``n`` passing it
has ``λ² - tλ + q ≡ 0 (mod n)``, and the tests check that this number shares no factor with
the twist's cofactor (:attr:`G2Membership.cofactor`).  A scalar multiplication by a 64- or
127-bit ``λ`` instead of the 254-bit ``r``, on the numba Jacobian kernels.

In twist coordinates ``ψ(x, y) = (x̄·cx, ȳ·cy)`` with ``(cx, cy) = (γ₁₂, γ₁₃)`` on a ``D``-type
twist and their inverses on an ``M``-type one (:attr:`.params.PairingParams.gamma`).

>>> from zkmargin.curve import BN254
>>> check = G2Membership.of(BN254)
>>> check(BN254.g2_mul(BN254.g2, 5)), check(None)
(True, True)
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from numba import prange

from zkmargin.curve.fast.jacobian import WS_ROWS, jac_add_affine, jac_double
from zkmargin.curve.fast.pairing.fp6 import conj2
from zkmargin.curve.fast.pairing.params import PairingParams, fp2_inv, fp2_mul, params_for
from zkmargin.curve.points import G2, FiniteG2
from zkmargin.field.fast.fp2 import equal2, is_zero2, mul2, neg2, scratch2, sqr2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64
from zkmargin.field.fast.word import Modulus

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


@kernel
def psi_equals_multiple(
    q: np.ndarray,
    bits: np.ndarray,
    negative: bool,
    cx: np.ndarray,
    cy: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> bool:
    """Whether ``ψ(q) = [±bits]q`` for a finite affine twist point ``q`` (``(2, 2, N)``)."""
    n = q.shape[2]
    acc = np.zeros((3, 2, n), dtype=np.uint64)
    acc[0] = q[0]
    acc[1] = q[1]
    acc[2, 0] = one
    for i in range(1, len(bits)):
        jac_double(acc, acc, m, s, ws)
        if bits[i]:
            jac_add_affine(acc, acc, q[0], q[1], one, m, s, ws)
    if is_zero2(acc[2]):
        return False  # ψ(q) is finite
    px = np.empty((2, n), dtype=np.uint64)
    py = np.empty((2, n), dtype=np.uint64)
    z2 = np.empty((2, n), dtype=np.uint64)
    t = np.empty((2, n), dtype=np.uint64)
    conj2(px, q[0], m)
    mul2(px, px, cx, m, s)
    conj2(py, q[1], m)
    mul2(py, py, cy, m, s)
    if negative:
        neg2(py, py, m)
    sqr2(z2, acc[2], m, s)  # compare (X, Y, Z) with (px·Z², py·Z³)
    mul2(t, px, z2, m, s)
    if not equal2(t, acc[0]):
        return False
    mul2(z2, z2, acc[2], m, s)
    mul2(t, py, z2, m, s)
    return bool(equal2(t, acc[1]))


@kernel(parallel=True)
def _members(
    points: np.ndarray,
    bits: np.ndarray,
    negative: bool,
    cx: np.ndarray,
    cy: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    ok: np.ndarray,
) -> None:
    """``ok[i]``: whether the affine twist point ``points[i]`` (all zeros: infinity) is in G2."""
    n, _, _, nl = points.shape
    block = 64
    for b in prange((n + block - 1) // block):
        s = np.zeros((4, nl + 2), dtype=np.uint64)
        ws = np.zeros((WS_ROWS, 2, nl), dtype=np.uint64)
        for i in range(b * block, min(n, (b + 1) * block)):
            if is_zero2(points[i, 0]) and is_zero2(points[i, 1]):
                ok[i] = True
            else:
                ok[i] = psi_equals_multiple(points[i], bits, negative, cx, cy, one, m, s, ws)


class G2Membership:
    """``check(Q)``: whether a point already known to be on the twist is in G2 (make it with
    :meth:`of`; the point at infinity is)."""

    def __init__(self, params: PairingParams) -> None:
        self.params = p = params
        self.field = Field64.of(p.q)
        self.multiplier = 6 * p.x * p.x if p.family == "bn" else p.x
        cx, cy = p.gamma[1][2], p.gamma[1][3]
        if p.mtype:
            cx, cy = fp2_inv(cx, p.q), fp2_inv(cy, p.q)
        self.psi_constants = (cx, cy)
        self._cx, self._cy = self.field.to_mont(list(cx)), self.field.to_mont(list(cy))
        self._bits = np.array([int(c) for c in bin(abs(self.multiplier))[2:]], dtype=np.int64)
        self._scratch = scratch2(self.field)
        self._ws = np.zeros((WS_ROWS, 2, self.field.n_limbs), dtype=np.uint64)

    @staticmethod
    @cache
    def of(curve: Curve) -> G2Membership:
        """The (shared) check for ``curve``'s G2."""
        return G2Membership(params_for(curve))

    @property
    def cofactor(self) -> int:
        """``#E'(F_q2) / r``: ``2q - r`` (BN), ``(x⁸ - 4x⁷ + 5x⁶ - 4x⁴ + 6x³ - 4x² - 4x + 13)/9``
        (BLS12)."""
        p, x = self.params, self.params.x
        if p.family == "bn":
            return 2 * p.q - p.r
        return (x**8 - 4 * x**7 + 5 * x**6 - 4 * x**4 + 6 * x**3 - 4 * x**2 - 4 * x + 13) // 9

    def psi(self, point: FiniteG2) -> FiniteG2:
        """``ψ(point)`` on ints (for tests and documentation)."""
        (x0, x1), (y0, y1) = point
        q, (cx, cy) = self.params.q, self.psi_constants
        return fp2_mul((x0, -x1 % q), cx, q), fp2_mul((y0, -y1 % q), cy, q)

    def first_outside(self, points: np.ndarray) -> int:
        """Index of the first point of an ``(n, 2, 2, N)`` Montgomery array of twist points
        (all zeros: infinity) that is not in G2, or -1."""
        f = self.field
        ok = np.zeros(len(points), dtype=np.bool_)
        pts = np.ascontiguousarray(points)
        _members(pts, self._bits, self.multiplier < 0, self._cx, self._cy, f.one, f.m, ok)
        return -1 if ok.all() else int(np.argmin(ok))

    def __call__(self, point: G2) -> bool:
        if point is None:
            return True
        (x0, x1), (y0, y1) = point
        q = self.field.to_mont([x0, x1, y0, y1]).reshape(2, 2, -1)
        return bool(
            psi_equals_multiple(
                q,
                self._bits,
                self.multiplier < 0,
                self._cx,
                self._cy,
                self.field.one,
                self.field.m,
                self._scratch,
                self._ws,
            )
        )


def g2_in_subgroup(curve: Curve, point: G2) -> bool:
    """Whether ``point`` (on ``curve``'s twist, or ``None``) is in the order-``r`` subgroup."""
    return G2Membership.of(curve)(point)
