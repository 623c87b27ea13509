"""Montgomery arithmetic mod an odd prime on 64-bit limbs, as numba kernels.

An element is a 1-D ``uint64`` array of ``N`` little-endian limbs (``N = 4`` for BN254's q and
r and BLS12-381's r, ``N = 6`` for BLS12-381's q), usually a row of an ``(n, N)`` array, kept
fully reduced in Montgomery form ``a·2^(64N) mod p``: zero is all-zero limbs and equality is
limb equality.  The modulus travels as ``m`` (:attr:`Field64.m`): a tuple of its ``N`` limbs
then ``-p^-1 mod 2^64``.  A tuple, not an array, because its length is part of its numba type:
each limb count gets its own machine code with the limb loops unrolled (faster than an array
modulus: ``docs/decisions.md``).  Kernels write into ``out``, which may alias an input, and never allocate:
multiplication takes caller-owned scratch ``t`` of ``N + 2`` words (one per thread), so they
run in tight loops and in parallel threads.

Multiplication is CIOS (coarsely integrated operand scanning) on :func:`~.word.mac`; every
modulus here has a spare top bit (``p < 2^(64N-1)``), so one conditional subtraction ends it.

>>> f = Field64.of(2**255 - 19)
>>> a, b = f.to_mont([3, 2**255 - 20])
>>> out = np.zeros(f.n_limbs, dtype=np.uint64)
>>> mul(out, a, b, f.m, f.scratch())
>>> f.from_mont(out)
[57896044618658097711785492504343953926634992332820282019728792003956564819946]
>>> (3 * (2**255 - 20)) % (2**255 - 19)
57896044618658097711785492504343953926634992332820282019728792003956564819946
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from zkmargin.field.fast import unrolled
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus, adc, mac, sbb

ZERO = np.uint64(0)
ONE = np.uint64(1)


@kernel
def geq_modulus(a: np.ndarray, m: Modulus) -> bool:
    """Whether ``a >= p`` (``m`` as in :attr:`Field64.m`)."""
    n = len(m) - 1
    for j in range(n - 1, -1, -1):
        if a[j] != m[j]:
            return bool(a[j] > m[j])
    return True


@kernel
def sub_modulus(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = a - p`` (the caller knows ``a >= p``)."""
    borrow = ZERO
    for j in range(len(m) - 1):
        out[j], borrow = sbb(a[j], m[j], borrow)


@kernel
def mul_loop(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus, t: np.ndarray) -> None:
    """:func:`mul` as limb loops over the scratch ``t`` (any limb count)."""
    n = len(m) - 1
    inv = m[n]
    for j in range(n + 2):
        t[j] = ZERO
    for i in range(n):
        bi = b[i]
        c = ZERO
        for j in range(n):
            t[j], c = mac(a[j], bi, t[j], c)
        t[n], c = adc(t[n], c, ZERO)
        t[n + 1] = c
        k = t[0] * inv
        _, c = mac(k, m[0], t[0], ZERO)
        for j in range(1, n):
            t[j - 1], c = mac(k, m[j], t[j], c)
        t[n - 1], c = adc(t[n], c, ZERO)
        t[n] = t[n + 1] + c
    if t[n] != ZERO or geq_modulus(t, m):
        sub_modulus(out, t, m)
    else:
        for j in range(n):
            out[j] = t[j]


@kernel(inline=True)  # numba-IR inlining: the limb-count branch costs no call
def mul(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus, t: np.ndarray) -> None:
    """``out = a·b·R^-1 mod p`` (Montgomery product); ``t``: ``N + 2`` words of scratch.

    Straight-line code for 4 and 6 limbs (:mod:`.unrolled`, ``t`` unused; faster: ``docs/kernels.md``),
    the limb loops of :func:`mul_loop` otherwise.
    """
    if len(m) == 5:
        unrolled.mul_4(out, a, b, m)
    elif len(m) == 7:
        unrolled.mul_6(out, a, b, m)
    else:
        mul_loop(out, a, b, m, t)


@kernel
def add(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a + b mod p``."""
    n = len(m) - 1
    carry = ZERO
    for j in range(n):
        out[j], carry = adc(a[j], b[j], carry)
    # p < 2^(64N-1): a + b < 2^(64N), no carry out of the top limb
    if geq_modulus(out, m):
        sub_modulus(out, out, m)


@kernel
def sub(out: np.ndarray, a: np.ndarray, b: np.ndarray, m: Modulus) -> None:
    """``out = a - b mod p``."""
    n = len(m) - 1
    borrow = ZERO
    for j in range(n):
        out[j], borrow = sbb(a[j], b[j], borrow)
    if borrow != ZERO:
        carry = ZERO
        for j in range(n):
            out[j], carry = adc(out[j], m[j], carry)


@kernel
def neg(out: np.ndarray, a: np.ndarray, m: Modulus) -> None:
    """``out = -a mod p``."""
    n = len(m) - 1
    if is_zero(a):
        for j in range(n):
            out[j] = ZERO
        return
    borrow = ZERO
    for j in range(n):
        out[j], borrow = sbb(m[j], a[j], borrow)


@kernel
def is_zero(a: np.ndarray) -> bool:
    """Whether ``a`` is zero (in either form)."""
    for j in range(a.shape[0]):  # noqa: SIM110 (numba: explicit loops, no generators)
        if a[j] != ZERO:
            return False
    return True


@kernel
def equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether ``a == b`` (both reduced)."""
    for j in range(a.shape[0]):  # noqa: SIM110 (numba: explicit loops, no generators)
        if a[j] != b[j]:
            return False
    return True


@kernel
def copy(out: np.ndarray, a: np.ndarray) -> None:
    """``out = a``."""
    for j in range(a.shape[0]):
        out[j] = a[j]


@kernel
def power(
    out: np.ndarray,
    a: np.ndarray,
    e: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    t: np.ndarray,
    acc: np.ndarray,
) -> None:
    """``out = a^e`` for an exponent ``e`` given as 64-bit limbs; ``acc``: N words of scratch."""
    copy(acc, one)
    for i in range(e.shape[0] * 64 - 1, -1, -1):
        mul(acc, acc, acc, m, t)
        if (e[i >> 6] >> np.uint64(i & 63)) & ONE:
            mul(acc, acc, a, m, t)
    copy(out, acc)


@kernel
def inverse(
    out: np.ndarray,
    a: np.ndarray,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    t: np.ndarray,
    acc: np.ndarray,
) -> None:
    """``out = a^-1`` by Fermat (``a^(p-2)``, ``pm2`` = :attr:`Field64.p_minus_2`); 0 -> 0."""
    power(out, a, pm2, one, m, t, acc)


@dataclass(frozen=True)
class Field64:
    """Constants and conversions for one modulus (make it with :meth:`of`)."""

    p: int
    n_limbs: int
    m: Modulus
    one: np.ndarray
    r2: np.ndarray
    p_minus_2: np.ndarray

    @staticmethod
    @cache
    def of(p: int) -> Field64:
        """The shared constants for an odd modulus ``p`` with a spare top bit."""
        if p % 2 == 0 or p < 3:
            raise ValueError("the modulus must be an odd prime")
        n = (p.bit_length() + 64) // 64  # at least one spare bit
        inv = (-pow(p, -1, 2**64)) % 2**64
        r = 2 ** (64 * n)
        m = tuple(np.uint64(w) for w in (*_limbs(p, n), inv))
        return Field64(p, n, m, _limbs(r % p, n), _limbs(r * r % p, n), _limbs(p - 2, n))

    @property
    def r(self) -> int:
        """The Montgomery radix ``2^(64N)``."""
        return 1 << (64 * self.n_limbs)

    def scratch(self) -> np.ndarray:
        """Fresh ``t`` for :func:`mul` (one per thread)."""
        return np.zeros(self.n_limbs + 2, dtype=np.uint64)

    def to_mont(self, values: Sequence[int]) -> np.ndarray:
        """Values (any ints, reduced here) as an ``(n, N)`` Montgomery-form array."""
        p, r = self.p, self.r
        return ints_to_limbs([v * r % p for v in values], self.n_limbs)

    def from_mont(self, arr: np.ndarray) -> list[int]:
        """Plain ints from Montgomery-form limbs of shape ``(..., N)``, flattened."""
        p, rinv = self.p, pow(self.r, -1, self.p)
        return [v * rinv % p for v in limbs_to_ints(arr, self.n_limbs)]


def ints_to_limbs(values: Sequence[int], n_limbs: int) -> np.ndarray:
    """Non-negative ints below ``2^(64·n_limbs)`` as an ``(n, n_limbs)`` ``uint64`` array."""
    width = 8 * n_limbs
    raw = b"".join(int(v).to_bytes(width, "little") for v in values)
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64).reshape(len(values), n_limbs)


def limbs_to_ints(arr: np.ndarray, n_limbs: int) -> list[int]:
    """The ints of a ``(..., n_limbs)`` limb array, flattened in row order."""
    raw = np.ascontiguousarray(arr, dtype="<u8").reshape(-1, n_limbs).tobytes()
    width = 8 * n_limbs
    return [int.from_bytes(raw[i : i + width], "little") for i in range(0, len(raw), width)]


def _limbs(x: int, n: int) -> np.ndarray:
    row: np.ndarray = ints_to_limbs([x], n)[0]
    return row
