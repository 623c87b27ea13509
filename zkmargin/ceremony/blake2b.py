"""BLAKE2b-512 whose running state can be saved and resumed, in snarkjs's "partial hash" form.

A powers-of-tau contribution records the state of the hash of its response *before* the
contributor's public key is appended (216 bytes), so that anyone can recompute the response
hash from the key alone. ``hashlib`` does not expose its state, so this is BLAKE2b's
compression function as a numba kernel (it hashes the whole response, hundreds of MB at large
powers). The saved form follows the JavaScript hasher snarkjs uses: the pending block (128
bytes, the last block is never compressed before the input ends), the chaining value ``h``
(eight little-endian u64), then u64 ``length − pos`` and u64 ``pos`` (bytes compressed, bytes
pending), 8 bytes of zeros.

>>> import hashlib
>>> h = Blake2b().update(b"abc" * 100)
>>> h.hexdigest() == hashlib.blake2b(b"abc" * 100).hexdigest()
True
>>> Blake2b.resume(h.partial()).hexdigest() == h.hexdigest()
True
"""

from __future__ import annotations

import struct

import numpy as np

from zkmargin.field.fast.jit import kernel

_IV = np.array(
    [
        0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
        0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179,
    ],
    dtype=np.uint64,
)  # fmt: skip
_SIGMA = np.array(
    [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
        [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
        [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
        [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
        [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    ],
    dtype=np.int64,
)
PARTIAL_SIZE = 216


@kernel
def _rotr(x, n):
    return (x >> np.uint64(n)) | (x << np.uint64(64 - n))


@kernel
def _compress(h, block, counter, last, iv, sigma):
    """One compression of the 16 message words ``block`` into ``h``."""
    v = np.empty(16, dtype=np.uint64)
    for i in range(8):
        v[i] = h[i]
        v[i + 8] = iv[i]
    v[12] ^= np.uint64(counter)
    if last:
        v[14] = ~v[14]
    for r in range(12):
        s = sigma[r % 10]
        for g in range(8):
            if g < 4:
                a, b, c, d = g, g + 4, g + 8, g + 12
            else:
                a = g - 4
                b = 4 + (g - 3) % 4
                c = 8 + (g - 2) % 4
                d = 12 + (g - 1) % 4
            x = block[s[2 * g]]
            y = block[s[2 * g + 1]]
            v[a] = v[a] + v[b] + x
            v[d] = _rotr(v[d] ^ v[a], 32)
            v[c] = v[c] + v[d]
            v[b] = _rotr(v[b] ^ v[c], 24)
            v[a] = v[a] + v[b] + y
            v[d] = _rotr(v[d] ^ v[a], 16)
            v[c] = v[c] + v[d]
            v[b] = _rotr(v[b] ^ v[c], 63)
    for i in range(8):
        h[i] ^= v[i] ^ v[i + 8]


@kernel
def _update(h, buf, state, data, iv, sigma):
    """Absorb ``data`` (uint8); ``state = [pos, length]``; the last block stays pending.

    Like the JavaScript hasher, whole blocks of ``data`` met with an empty buffer are
    compressed straight from the input, so the buffer keeps older bytes past ``pos``: they
    never reach the digest, but they are part of a saved partial hash."""
    pos, length = state[0], state[1]
    words = buf.view(np.uint64)
    block = np.empty(128, dtype=np.uint8)
    i = 0
    n = data.shape[0]
    while i < n:
        if pos == 128:
            _compress(h, words, length, False, iv, sigma)
            pos = 0
        take = min(128 - pos, n - i)
        if take == 128 and i + 128 < n:
            while i + 128 < n:
                block[:] = data[i : i + 128]
                length += 128
                _compress(h, block.view(np.uint64), length, False, iv, sigma)
                i += 128
            continue
        buf[pos : pos + take] = data[i : i + take]
        pos += take
        length += take
        i += take
    state[0], state[1] = pos, length


class Blake2b:
    """BLAKE2b with a 64-byte digest, no key; :meth:`partial` / :meth:`resume` save the state."""

    def __init__(self) -> None:
        self.h = _IV.copy()
        self.h[0] ^= np.uint64(0x01010000 ^ 64)
        self.buf = np.zeros(128, dtype=np.uint8)
        self.state = np.zeros(2, dtype=np.int64)  # pos, length

    def update(self, data: bytes | np.ndarray) -> Blake2b:
        arr = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes | bytearray) else data
        _update(self.h, self.buf, self.state, arr.reshape(-1).view(np.uint8), _IV, _SIGMA)
        return self

    def digest(self) -> bytes:
        h = self.h.copy()
        block = self.buf.copy()
        block[int(self.state[0]) :] = 0
        _compress(h, block.view(np.uint64), int(self.state[1]), True, _IV, _SIGMA)
        return h.astype("<u8").tobytes()

    def hexdigest(self) -> str:
        return self.digest().hex()

    def partial(self) -> bytes:
        pos, length = int(self.state[0]), int(self.state[1])
        return (
            self.buf.tobytes()
            + self.h.astype("<u8").tobytes()
            + struct.pack("<QQ", length - pos, pos)
            + bytes(8)
        )

    @staticmethod
    def resume(partial: bytes) -> Blake2b:
        if len(partial) != PARTIAL_SIZE:
            raise ValueError(f"a partial hash is {PARTIAL_SIZE} bytes, got {len(partial)}")
        out = Blake2b()
        out.buf[:] = np.frombuffer(partial[:128], dtype=np.uint8)
        out.h[:] = np.frombuffer(partial[128:192], dtype="<u8")
        done, pos = struct.unpack_from("<QQ", partial, 192)
        out.state[:] = (pos, done + pos)
        return out
