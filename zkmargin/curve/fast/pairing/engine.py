"""The pairing on public points: :class:`FastPairing` for one curve, built on the kernels.

>>> from zkmargin.curve import BN254
>>> e = FastPairing.of(BN254)
>>> p6 = BN254.g1_mul(BN254.g1, 6)
>>> e.product_is_one([(p6, BN254.g2), (BN254.g1_neg(BN254.g1), BN254.g2_mul(BN254.g2, 6))])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from zkmargin.curve.fast.pairing import final_exp, fp12, miller
from zkmargin.curve.fast.pairing.params import PairingParams, params_for
from zkmargin.curve.points import G1, G2, FiniteG2
from zkmargin.field.fast.fp2 import scratch2
from zkmargin.field.fast.mont64 import Field64

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve

Gt = list[list[list[int]]]
"""An F_p12 value as snarkjs writes it: ``[[[c0, c1] for v⁰, v¹, v²] for w⁰, w¹]``."""


@dataclass(frozen=True)
class PreparedG2:
    """A G2 point's Miller-loop line coefficients, computed once (:meth:`FastPairing.prepare`)
    and reused by every pairing with that point: a verifying key's ``gamma`` and ``delta``."""

    point: G2
    lines: np.ndarray


class FastPairing:
    """The optimal ate pairing of one curve on the numba kernels (make it with :meth:`of`).

    Its values are py_ecc's raised to :attr:`.PairingParams.hard_multiple` (and inverted on
    BLS12-381, whose loop parameter is negative), which is exactly snarkjs's pairing.  Points
    must be finite, on the curve and in the order-``r`` subgroups: callers validate first;
    infinities are skipped as ``e(O, Q) = e(P, O) = 1``.
    """

    name = "numba"

    def __init__(self, params: PairingParams) -> None:
        self.params = params
        self.field = f = Field64.of(params.q)
        self._steps = miller.schedule(params)
        self._gamma = np.stack([self._fp2_rows(row) for row in params.gamma])
        self._b3 = self._fp2(tuple(3 * c for c in params.b_twist))
        self._xbits = np.array([int(c) for c in bin(abs(params.x))[2:]], dtype=np.int64)
        self._scratch = scratch2(f)
        self._ws = fp12.workspace(f)

    @staticmethod
    @cache
    def of(curve: Curve) -> FastPairing:
        """The (shared) pairing for ``curve``."""
        return FastPairing(params_for(curve))

    # --- conversions --------------------------------------------------------------------
    def _fp2(self, c: Sequence[int]) -> np.ndarray:
        return self.field.to_mont(list(c))

    def _fp2_rows(self, values: Sequence[Sequence[int]]) -> np.ndarray:
        return self.field.to_mont([c for v in values for c in v]).reshape(len(values), 2, -1)

    def to_ints(self, f: np.ndarray) -> Gt:
        """An F_p12 array as nested ints in snarkjs's layout (see :data:`Gt`)."""
        flat = self.field.from_mont(f)
        return [[flat[6 * j + 2 * i : 6 * j + 2 * i + 2] for i in range(3)] for j in range(2)]

    def one(self) -> np.ndarray:
        """The F_p12 one."""
        out = np.zeros((2, 3, 2, self.field.n_limbs), dtype=np.uint64)
        fp12.set_one12(out, self.field.one)
        return out

    # --- the pairing --------------------------------------------------------------------
    def prepare(self, q: FiniteG2) -> PreparedG2:
        """``q``'s line coefficients (``q`` finite and in G2)."""
        (x0, x1), (y0, y1) = q
        point = self.field.to_mont([x0, x1, y0, y1]).reshape(2, 2, -1)
        lines = np.empty((len(self._steps), 3, 2, self.field.n_limbs), dtype=np.uint64)
        miller.g2_lines(
            lines,
            point,
            self._steps,
            self.params.family == "bn",
            self._b3,
            self._gamma,
            self.field.one,
            self.field.m,
            self._scratch,
            self._ws,
        )
        return PreparedG2(((x0, x1), (y0, y1)), lines)

    def miller_loop(self, pairs: Sequence[tuple[G1, G2 | PreparedG2]]) -> np.ndarray:
        """The product of the pairs' Miller values (one shared loop), before the final
        exponentiation; G2 points may be given prepared."""
        kept = [(p, q) for p, q in pairs if p is not None and q is not None]
        f = np.empty((2, 3, 2, self.field.n_limbs), dtype=np.uint64)
        if not kept:
            fp12.set_one12(f, self.field.one)
            return f
        lines = np.stack(
            [(q if isinstance(q, PreparedG2) else self.prepare(q)).lines for _, q in kept]
        )
        ps = self.field.to_mont([c for p, _ in kept for c in p]).reshape(len(kept), 2, -1)
        miller.miller_loop(
            f,
            lines,
            ps,
            self._steps,
            self.params.mtype,
            self.params.conjugate_end,
            self.params.k,
            self.field.one,
            self.field.m,
            self._scratch,
            self._ws,
        )
        return f

    def final_exponentiation(self, f: np.ndarray) -> np.ndarray:
        """``f^(m·(q¹² - 1)/r)`` with ``m`` = :attr:`.PairingParams.hard_multiple`."""
        out = np.empty_like(f)
        final_exp.final_exponentiation(
            out,
            f,
            self._xbits,
            self.params.x < 0,
            self.params.family == "bn",
            self._gamma,
            self.params.k,
            self.field.one,
            self.field.p_minus_2,
            self.field.m,
            self._scratch,
            self._ws,
        )
        return out

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``a·b`` in F_p12."""
        out = np.empty_like(a)
        fp12.mul12(out, a, b, self.params.k, self.field.m, self._scratch, self._ws)
        return out

    def pairing(self, p: G1, q: G2) -> Gt:
        """``e(p, q)`` in snarkjs's layout (see :data:`Gt`)."""
        return self.to_ints(self.final_exponentiation(self.miller_loop([(p, q)])))

    def precompute(self, pairs: Sequence[tuple[G1, G2 | PreparedG2]]) -> np.ndarray:
        """The pairs' Miller value, to multiply into later checks (a key's ``e(alpha, beta)``)."""
        return self.miller_loop(pairs)

    def product_is_one(
        self, pairs: Sequence[tuple[G1, G2 | PreparedG2]], fixed: np.ndarray | None = None
    ) -> bool:
        """Whether ``prod e(P_i, Q_i)`` (times ``fixed`` from :meth:`precompute`) is 1: one
        multi-Miller loop and one final exponentiation."""
        f = self.miller_loop(pairs)
        if fixed is not None:
            f = self.mul(f, fixed)
        return bool(fp12.is_one12(self.final_exponentiation(f), self.field.one))
