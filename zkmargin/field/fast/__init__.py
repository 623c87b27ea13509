"""numba kernels for prime-field arithmetic: 64-bit limbs, Montgomery form.

Pure reference arithmetic stays in :mod:`zkmargin.field` (Python ints); this package holds the
fast kernels the prover uses (:mod:`.mont64` for F_p, :mod:`.fp2` for F_p2, :mod:`.ext` for
either) and the conversions between the two.

>>> f = Field64.of(97)
>>> f.from_mont(f.to_mont([3, 100]))
[3, 3]
"""

from zkmargin.field.fast.mont64 import Field64, ints_to_limbs, limbs_to_ints

__all__ = ["Field64", "ints_to_limbs", "limbs_to_ints"]
