"""Fast pairings on BN254 and BLS12-381: F_p6/F_p12 towers, optimal ate Miller loop, final
exponentiation, as numba kernels on the 64-bit field layer (:mod:`zkmargin.field.fast`).

>>> from zkmargin.curve import BLS12_381 as C
>>> e = FastPairing.of(C)
>>> e.pairing(C.g1_mul(C.g1, 2), C.g2) == e.pairing(C.g1, C.g2_mul(C.g2, 2))
True
"""

from zkmargin.curve.fast.pairing.engine import FastPairing, Gt, PreparedG2
from zkmargin.curve.fast.pairing.params import PairingParams, params_for

__all__ = ["FastPairing", "Gt", "PairingParams", "PreparedG2", "params_for"]
