"""The integer type the NTT and curve kernels compute with: gmpy2's ``mpz`` if installed.

The kernels are duck-typed, so the same code runs on ``int`` when gmpy2 is absent.  GMP's
256/384-bit multiplication and reduction make point additions and NTTs faster than on CPython
ints (``bench/msm.py`` prints both).  Values are converted at
the kernel boundary: public points and NTT results are always plain ints.

>>> int(big(5) * big(7) % big(6))
5
"""

from __future__ import annotations

from typing import Any

try:
    from gmpy2 import mpz as _mpz
except ImportError:  # optional accelerator: plain ints are correct, just slower
    _mpz = None

HAVE_GMPY2 = _mpz is not None


def big(x: int) -> Any:
    """``x`` as the kernels' integer type."""
    return _mpz(x) if _mpz is not None else x
