"""Fast pairings on BN254 and BLS12-381: F_p6/F_p12 towers, optimal ate Miller loop, final
exponentiation, as numba kernels on the 64-bit field layer (:mod:`zkmargin.field.fast`), and
arkworks for BLS12-381 when installed (:func:`engine_for` picks).

>>> from zkmargin.curve import BLS12_381 as C
>>> e = FastPairing.of(C)
>>> e.pairing(C.g1_mul(C.g1, 2), C.g2) == e.pairing(C.g1, C.g2_mul(C.g2, 2))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zkmargin.curve.fast.pairing import arkworks
from zkmargin.curve.fast.pairing.arkworks import ArkworksPairing
from zkmargin.curve.fast.pairing.engine import FastPairing, Gt, PreparedG2
from zkmargin.curve.fast.pairing.params import PairingParams, params_for

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


def engine_for(curve: Curve, native: bool = True) -> FastPairing | ArkworksPairing:
    """The fastest pairing available for ``curve``: arkworks on BLS12-381 when installed and
    ``native``, else the numba kernels."""
    if native and arkworks.AVAILABLE and curve.name == "bls12381":
        return ArkworksPairing()
    return FastPairing.of(curve)


__all__ = [
    "ArkworksPairing",
    "FastPairing",
    "Gt",
    "PairingParams",
    "PreparedG2",
    "engine_for",
    "params_for",
]
