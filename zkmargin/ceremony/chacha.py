"""Deterministic field elements and curve points from a ChaCha stream, as snarkjs derives them.

A ceremony's keys must be reproducible from public data in two places: the G2 point of each
proof of knowledge is hashed from the transcript (``hash_to_g2``), and a beacon's whole key
comes from ``2^n`` SHA-256 iterations of a public value (``beacon_rng``). Anyone verifying a
snarkjs transcript must therefore derive exactly ffjavascript's elements, facts this module
follows:

* the stream is ChaCha20's block function (10 double rounds, 32-bit words) seeded by eight
  big-endian words of a hash, counter in words 12–15; ``next_u64`` is the high word first;
* a field element draws ``⌈bits/64⌉`` 64-bit words (least significant first), masks them to the
  modulus's bit length and retries while ``≥ p``; the value ``v`` is then read as a
  *Montgomery* representation, so the element is ``v·2^(-64·words) mod p``;
* an F_p2 element draws ``c0`` then ``c1``; a point draws ``x`` and a sign bit (the low bit of
  the next word) until ``x³ + b`` is a square, takes the root whose "negative" flag equals the
  bit (``y > (p-1)/2``; over F_p2 decided by ``c1``, or ``c0`` when ``c1 = 0``) and multiplies
  by the cofactor (BN254's G2).

>>> rng = ChaCha([0] * 8)
>>> hex(rng.next_u32())  # RFC 7539's all-zero key, counter 0, first keystream word
'0xade0b876'
"""

from __future__ import annotations

import hashlib
import secrets
import struct

from zkmargin.curve import BN254, Curve
from zkmargin.curve.jacobian import multiply
from zkmargin.curve.points import g2_from_jacobian, g2_to_internal
from zkmargin.field.bigint import big

_MASK = 0xFFFFFFFF
_SIGMA = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _MASK


def _quarter(st: list[int], a: int, b: int, c: int, d: int) -> None:
    st[a] = (st[a] + st[b]) & _MASK
    st[d] = _rotl(st[d] ^ st[a], 16)
    st[c] = (st[c] + st[d]) & _MASK
    st[b] = _rotl(st[b] ^ st[c], 12)
    st[a] = (st[a] + st[b]) & _MASK
    st[d] = _rotl(st[d] ^ st[a], 8)
    st[c] = (st[c] + st[d]) & _MASK
    st[b] = _rotl(st[b] ^ st[c], 7)


class ChaCha:
    """ffjavascript's ``ChaCha`` random stream (32-bit words)."""

    def __init__(self, seed: list[int]) -> None:
        if len(seed) != 8:
            raise ValueError("a ChaCha seed is eight 32-bit words")
        self.state = [*_SIGMA, *(w & _MASK for w in seed), 0, 0, 0, 0]
        self.buf: list[int] = []
        self.idx = 16

    @staticmethod
    def from_hash(digest: bytes) -> ChaCha:
        """Seeded by the first 32 bytes of ``digest`` as big-endian words."""
        return ChaCha(list(struct.unpack(">8I", digest[:32])))

    def _block(self) -> None:
        x = list(self.state)
        for _ in range(10):
            _quarter(x, 0, 4, 8, 12)
            _quarter(x, 1, 5, 9, 13)
            _quarter(x, 2, 6, 10, 14)
            _quarter(x, 3, 7, 11, 15)
            _quarter(x, 0, 5, 10, 15)
            _quarter(x, 1, 6, 11, 12)
            _quarter(x, 2, 7, 8, 13)
            _quarter(x, 3, 4, 9, 14)
        self.buf = [(a + b) & _MASK for a, b in zip(x, self.state, strict=True)]
        self.idx = 0
        for k in range(12, 16):  # the 128-bit counter
            self.state[k] = (self.state[k] + 1) & _MASK
            if self.state[k]:
                break

    def next_u32(self) -> int:
        if self.idx == 16:
            self._block()
        self.idx += 1
        return self.buf[self.idx - 1]

    def next_u64(self) -> int:
        return self.next_u32() << 32 | self.next_u32()

    def next_bool(self) -> bool:
        return bool(self.next_u32() & 1)


def field_from_rng(rng: ChaCha, p: int) -> int:
    """ffjavascript's ``F.fromRng`` as a plain value (see the module docstring)."""
    words = (p.bit_length() - 1) // 64 + 1
    mask = (1 << p.bit_length()) - 1
    while True:
        v = 0
        for i in range(words):
            v += rng.next_u64() << (64 * i)
        v &= mask
        if v < p:
            return v * pow(1 << (64 * words), -1, p) % p


def _negative(v: int, p: int) -> bool:
    return v > (p - 1) // 2


def _fq2_mul(a: tuple[int, int], b: tuple[int, int], q: int) -> tuple[int, int]:
    return ((a[0] * b[0] - a[1] * b[1]) % q, (a[0] * b[1] + a[1] * b[0]) % q)


def _fq2_pow(a: tuple[int, int], e: int, q: int) -> tuple[int, int]:
    out = (1, 0)
    while e:
        if e & 1:
            out = _fq2_mul(out, a, q)
        a = _fq2_mul(a, a, q)
        e >>= 1
    return out


def fq2_sqrt(a: tuple[int, int], q: int) -> tuple[int, int] | None:
    """A square root in F_q[u]/(u²+1) for ``q ≡ 3 (mod 4)``, or None if ``a`` is not a square
    (Adj and Rodríguez-Henríquez, algorithm 9)."""
    if a == (0, 0):
        return (0, 0)
    a1 = _fq2_pow(a, (q - 3) // 4, q)
    alpha = _fq2_mul(_fq2_mul(a1, a1, q), a, q)
    x0 = _fq2_mul(a1, a, q)
    if alpha == (q - 1, 0):
        root = (-x0[1] % q, x0[0])  # u·x0
    else:
        b = _fq2_pow(((1 + alpha[0]) % q, alpha[1]), (q - 1) // 2, q)
        root = _fq2_mul(b, x0, q)
    return root if _fq2_mul(root, root, q) == (a[0] % q, a[1] % q) else None


_BN254_G2_COFACTOR = 0x30644E72E131A029B85045B68181585E06CEECDA572A2489345F2299C0F9FA8D


def g1_from_rng(rng: ChaCha, curve: Curve = BN254) -> tuple[int, int]:
    """ffjavascript's ``G1.fromRng`` (BN254: cofactor 1)."""
    q = curve.q
    while True:
        x = field_from_rng(rng, q)
        greatest = rng.next_bool()
        rhs = (x * x * x + curve.b) % q
        if pow(rhs, (q - 1) // 2, q) in (0, 1):
            break
    y = pow(rhs, (q + 1) // 4, q)
    if greatest != _negative(y, q):
        y = -y % q
    return (x, y)


def g2_from_rng(rng: ChaCha, curve: Curve = BN254) -> tuple[tuple[int, int], tuple[int, int]]:
    """ffjavascript's ``G2.fromRng``: a point on the twist times the G2 cofactor."""
    q = curve.q
    b2 = curve.b2
    while True:
        x = (field_from_rng(rng, q), field_from_rng(rng, q))
        greatest = rng.next_bool()
        x3 = _fq2_mul(_fq2_mul(x, x, q), x, q)
        y = fq2_sqrt(((x3[0] + b2[0]) % q, (x3[1] + b2[1]) % q), q)
        if y is not None:
            break
    sign_part = y[1] if y[1] else y[0]
    if greatest != _negative(sign_part, q):
        y = (-y[0] % q, -y[1] % q)
    # the cofactor exceeds r: multiply without reducing it (Curve.g2_mul reduces mod r)
    return g2_from_jacobian(multiply(g2_to_internal((x, y)), _BN254_G2_COFACTOR, big(q)), q)


def hash_to_g2(digest: bytes, curve: Curve = BN254):
    """snarkjs's ``hashToG2``: a G2 point from a ChaCha stream seeded by ``digest``."""
    return g2_from_rng(ChaCha.from_hash(digest), curve)


def beacon_rng(beacon: bytes, iterations_exp: int) -> ChaCha:
    """The stream of a beacon: ``2^iterations_exp`` SHA-256 iterations of ``beacon``."""
    h = beacon
    for _ in range(1 << iterations_exp):
        h = hashlib.sha256(h).digest()
    return ChaCha.from_hash(h)


def entropy_rng(entropy: str) -> ChaCha:
    """A contributor's stream: BLAKE2b-512 of 64 bytes from the OS and the typed entropy."""
    h = hashlib.blake2b(secrets.token_bytes(64) + entropy.encode("utf-8"), digest_size=64)
    return ChaCha.from_hash(h.digest())
