"""numba kernels for prime-field arithmetic: 32-bit limbs in ``uint64``, Montgomery form.

Pure reference arithmetic stays in :mod:`zkmargin.field` (Python ints); this package holds the
fast kernels the prover uses and the conversions between the two.

>>> c = converter(97)
>>> c.from_mont(c.to_mont([3, 100]))
[3, 3]
"""

from zkmargin.field.fast.convert import MontConverter, converter
from zkmargin.field.fast.limbs import Modulus, ints_to_limbs, limbs_to_ints

__all__ = ["Modulus", "MontConverter", "converter", "ints_to_limbs", "limbs_to_ints"]
