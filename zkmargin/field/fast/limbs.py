"""Python-side layout of field elements for the numba kernels: 32-bit limbs in ``uint64``.

An element of ``F_p`` is ``N = ceil(bits(p) / 32)`` limbs, least significant first, each
held in a ``uint64`` so a limb product plus two limbs fits in one machine word (the kernels'
Montgomery multiplication relies on that).  Arrays of ``n`` elements have shape ``(n, N)``.

>>> m = Modulus.of(97)
>>> m.n_limbs, int(m.limbs[0])
(1, 97)
>>> limbs_to_ints(ints_to_limbs([5, 96], 1))
[5, 96]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

LIMB_BITS = 32


def n_limbs_for(p: int) -> int:
    """How many 32-bit limbs hold values below ``p``."""
    return max(1, (p.bit_length() + LIMB_BITS - 1) // LIMB_BITS)


def ints_to_limbs(values: Sequence[int], n_limbs: int) -> np.ndarray:
    """Non-negative ints below ``2^(32·n_limbs)`` as a ``(len(values), n_limbs)`` uint64 array."""
    width = 4 * n_limbs
    raw = b"".join(v.to_bytes(width, "little") for v in values)
    return np.frombuffer(raw, dtype="<u4").reshape(len(values), n_limbs).astype(np.uint64)


def limbs_to_ints(arr: np.ndarray) -> list[int]:
    """The inverse of :func:`ints_to_limbs` for any array whose last axis holds the limbs."""
    n_limbs = arr.shape[-1]
    width = 4 * n_limbs
    raw = np.ascontiguousarray(arr, dtype="<u4").tobytes()
    return [int.from_bytes(raw[i : i + width], "little") for i in range(0, len(raw), width)]


@dataclass(frozen=True, eq=False)
class Modulus:
    """An odd prime ``p`` with its Montgomery constants for ``R = 2^(32·N)``.

    ``limbs`` is ``p``; ``inv`` is ``-p^-1 mod 2^32``; ``r2`` is ``R^2 mod p`` (multiplying by
    it enters Montgomery form); ``one`` is ``R mod p`` (the Montgomery form of 1).
    """

    p: int
    n_limbs: int
    limbs: np.ndarray
    inv: np.uint64
    r2: np.ndarray
    one: np.ndarray

    @classmethod
    def of(cls, p: int) -> Modulus:
        if p < 3 or p % 2 == 0:
            raise ValueError("Montgomery arithmetic needs an odd modulus > 2")
        n = n_limbs_for(p)
        r = 1 << (LIMB_BITS * n)
        return cls(
            p=p,
            n_limbs=n,
            limbs=ints_to_limbs([p], n)[0],
            inv=np.uint64((-pow(p, -1, 1 << LIMB_BITS)) % (1 << LIMB_BITS)),
            r2=ints_to_limbs([r * r % p], n)[0],
            one=ints_to_limbs([r % p], n)[0],
        )

    @property
    def r_inv(self) -> int:
        """``R^-1 mod p``: leaving Montgomery form on plain ints."""
        return pow(1 << (LIMB_BITS * self.n_limbs), -1, self.p)
