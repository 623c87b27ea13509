"""The Grain LFSR bit stream that the Poseidon paper uses to derive its parameters.

Facts taken from the paper's reference parameter script (``generate_parameters_grain.sage``):

* an 80-bit shift register, seeded MSB-first with: field type (2 bits; 1 = GF(p)), S-box type
  (4 bits; 0 = x^alpha), field size n (12 bits), width t (12 bits), R_F (10 bits), R_P (10 bits),
  then thirty 1-bits;
* feedback ``b[i+80] = b[i+62] ^ b[i+51] ^ b[i+38] ^ b[i+23] ^ b[i+13] ^ b[i]``;
* the first 160 clocked bits are discarded;
* afterwards bits are drawn in pairs: if the first bit of a pair is 1 the second is output,
  otherwise the pair is dropped (self-shrinking);
* an n-bit integer is read from n output bits, most significant bit first.

>>> stream = GrainStream(field_type=1, sbox=0, n=254, t=3, r_f=8, r_p=57)
>>> stream.next_int(8) < 256
True
"""

from __future__ import annotations

from itertools import compress

_STATE_BITS = 80
# The newest tap (62) is 18 positions from the register's end, so 18 new bits depend only on
# bits already in the register: clock 18 at a time with integer shifts.
_BLOCK = 80 - 62
_BLOCK_MASK = (1 << _BLOCK) - 1
_BLOCKS_PER_REFILL = 1024
_ZERO_ONE = bytes.maketrans(b"01", b"\x00\x01")


class GrainStream:
    """The self-shrinking Grain LFSR stream for one Poseidon instance (stateful)."""

    def __init__(self, field_type: int, sbox: int, n: int, t: int, r_f: int, r_p: int) -> None:
        seed = f"{field_type:02b}{sbox:04b}{n:012b}{t:012b}{r_f:010b}{r_p:010b}" + "1" * 30
        if len(seed) != _STATE_BITS:
            raise ValueError("Grain seed fields out of range")
        # Bit k of the int is position k of the register (position 0 is the oldest bit).
        self._state = sum(int(bit) << k for k, bit in enumerate(seed))
        warmup = self._raw(-(-160 // _BLOCK))
        self._pending = warmup[160:]  # the first 160 bits are discarded; keep the rest (even)
        self._out = ""  # output bits not yet consumed
        self._pos = 0

    def _raw(self, n_blocks: int) -> str:
        """The next ``18·n_blocks`` register bits, oldest first, as a '0'/'1' string."""
        s = self._state
        chunks = []
        for _ in range(n_blocks):
            new = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & _BLOCK_MASK
            s = (s >> _BLOCK) | (new << (_STATE_BITS - _BLOCK))
            chunks.append(format(new, f"0{_BLOCK}b")[::-1])  # bit 0 is clocked first
        self._state = s
        return "".join(chunks)

    def _refill(self) -> None:
        # every chunk has an even length, so pairs stay aligned across refills
        raw = self._pending + self._raw(_BLOCKS_PER_REFILL)
        self._pending = ""
        keep = raw[0::2].encode().translate(_ZERO_ONE)
        kept = "".join(compress(raw[1::2], keep))
        self._out = self._out[self._pos :] + kept
        self._pos = 0

    def next_bit(self) -> int:
        """The next output bit (pairs whose first bit is 0 are skipped)."""
        return self.next_int(1)

    def next_int(self, n: int) -> int:
        """An ``n``-bit integer from the next ``n`` output bits, most significant first."""
        while len(self._out) - self._pos < n:
            self._refill()
        bits = self._out[self._pos : self._pos + n]
        self._pos += n
        return int(bits, 2) if n else 0

    def next_field_element(self, n: int, p: int) -> int:
        """An ``n``-bit integer below ``p``; values ``>= p`` are rejected and redrawn."""
        while True:
            value = self.next_int(n)
            if value < p:
                return value
