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

_STATE_BITS = 80


class GrainStream:
    """The self-shrinking Grain LFSR stream for one Poseidon instance (stateful)."""

    def __init__(self, field_type: int, sbox: int, n: int, t: int, r_f: int, r_p: int) -> None:
        seed = f"{field_type:02b}{sbox:04b}{n:012b}{t:012b}{r_f:010b}{r_p:010b}" + "1" * 30
        if len(seed) != _STATE_BITS:
            raise ValueError("Grain seed fields out of range")
        # Bit k of the int is position k of the register (position 0 is the oldest bit).
        self._state = sum(int(bit) << k for k, bit in enumerate(seed))
        for _ in range(160):
            self._clock()

    def _clock(self) -> int:
        s = self._state
        new = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & 1
        self._state = (s >> 1) | (new << (_STATE_BITS - 1))
        return new

    def next_bit(self) -> int:
        """The next output bit (pairs whose first bit is 0 are skipped)."""
        while True:
            keep = self._clock()
            bit = self._clock()
            if keep:
                return bit

    def next_int(self, n: int) -> int:
        """An ``n``-bit integer from the next ``n`` output bits, most significant first."""
        value = 0
        for _ in range(n):
            value = (value << 1) | self.next_bit()
        return value

    def next_field_element(self, n: int, p: int) -> int:
        """An ``n``-bit integer below ``p``; values ``>= p`` are rejected and redrawn."""
        while True:
            value = self.next_int(n)
            if value < p:
                return value
