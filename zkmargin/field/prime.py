"""Prime field arithmetic on plain Python integers (the reference representation)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrimeField:
    """The field of integers modulo the prime ``p``; elements are ints in ``[0, p)``.

    ``name`` is the curve name snarkjs uses for the field's curve (``bn128``, ``bls12381``).
    """

    name: str
    p: int

    def neg(self, x: int) -> int:
        return (-x) % self.p

    def inv(self, x: int) -> int:
        if x % self.p == 0:
            raise ZeroDivisionError("0 has no inverse in the field")
        return pow(x, -1, self.p)

    def to_signed(self, x: int) -> int:
        """The representative of ``x`` in ``(-p/2, p/2]``: how a 'negative' element reads."""
        x %= self.p
        return x - self.p if x > self.p // 2 else x


BN254_FR = PrimeField(
    "bn128", 21888242871839275222246405745257275088548364400416034343698204186575808495617
)
BLS12_381_FR = PrimeField(
    "bls12381", 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
)

_BY_NAME = {
    "bn128": BN254_FR,
    "bn254": BN254_FR,
    "bls12381": BLS12_381_FR,
    "bls12-381": BLS12_381_FR,
}


def field_by_name(name: str) -> PrimeField:
    """The scalar field for a curve name (``bn128``/``bn254`` or ``bls12381``/``bls12-381``)."""
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        raise ValueError(f"unknown curve {name!r}; expected one of {sorted(_BY_NAME)}") from None


def field_by_prime(p: int) -> PrimeField:
    """The known field with modulus ``p``."""
    for f in (BN254_FR, BLS12_381_FR):
        if f.p == p:
            return f
    raise ValueError(f"unsupported prime {p}")
