"""BLS12-381 pairings on ``py_arkworks_bls12381`` (arkworks, native), when it is installed.

The same interface as :class:`~.engine.FastPairing` for what the verifier needs
(:meth:`prepare`, :meth:`precompute`, :meth:`product_is_one`); measured faster than the numba
kernels on BLS12-381 (``bench/verify.py``), so :func:`~zkmargin.curve.fast.pairing.engine_for`
picks it there.  Points enter without arkworks's own checks: the verifier has validated them.

>>> from zkmargin.curve import BLS12_381 as C
>>> if AVAILABLE:
...     e = ArkworksPairing()
...     assert e.product_is_one([(C.g1, C.g2), (C.g1_neg(C.g1), e.prepare(C.g2))])
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zkmargin.curve.points import G1, G2, FiniteG1, FiniteG2

_ark: Any  # the optional native module (untyped), or None
try:
    _ark = importlib.import_module("py_arkworks_bls12381")
except ImportError:  # optional: the numba kernels cover BLS12-381 too
    _ark = None

AVAILABLE = _ark is not None
_W = 48  # bytes per base-field coordinate


@dataclass(frozen=True)
class ArkG2:
    """A G2 point converted once to arkworks's type."""

    point: G2
    native: Any


def _g1(p: FiniteG1) -> Any:
    return _ark.G1Point.from_xy_bytes_unchecked_be(
        p[0].to_bytes(_W, "big") + p[1].to_bytes(_W, "big")
    )


def _g2(q: FiniteG2 | ArkG2) -> Any:
    if isinstance(q, ArkG2):
        return q.native
    (x0, x1), (y0, y1) = q
    raw = b"".join(c.to_bytes(_W, "big") for c in (x0, x1, y0, y1))
    return _ark.G2Point.from_xy_bytes_unchecked_be(raw)


class ArkworksPairing:
    """``prod e(P_i, Q_i) == 1`` on arkworks (BLS12-381 only)."""

    name = "arkworks"

    def prepare(self, q: FiniteG2) -> ArkG2:
        """``q`` converted once (arkworks prepares its lines itself, per call)."""
        return ArkG2(q, _g2(q))

    def precompute(self, pairs: Sequence[tuple[G1, G2 | ArkG2]]) -> Any:
        """``prod e(P_i, Q_i)`` as an arkworks ``GT``, to multiply into later checks."""
        return _ark.GT.multi_pairing(*self._split(pairs))

    def product_is_one(self, pairs: Sequence[tuple[G1, G2 | ArkG2]], fixed: Any = None) -> bool:
        """Whether ``prod e(P_i, Q_i)`` (times ``fixed`` from :meth:`precompute`) is 1."""
        value = _ark.GT.multi_pairing(*self._split(pairs))
        if fixed is not None:
            value = value * fixed
        return bool(value == _ark.GT.one())

    @staticmethod
    def _split(pairs: Sequence[tuple[G1, G2 | ArkG2]]) -> tuple[list[Any], list[Any]]:
        ps: list[Any] = []
        qs: list[Any] = []
        for p, q in pairs:
            if p is not None and q is not None:
                ps.append(_g1(p))
                qs.append(_g2(q))
        return ps, qs
