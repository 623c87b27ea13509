"""Prime fields used by zkmargin: the scalar fields of BN254 and BLS12-381.

>>> from zkmargin.field import BN254_FR
>>> BN254_FR.neg(1) == BN254_FR.p - 1
True
"""

from zkmargin.field.ntt import Domain
from zkmargin.field.prime import BLS12_381_FR, BN254_FR, PrimeField, field_by_name, field_by_prime
from zkmargin.field.roots import coset_shift, nqr, root_of_unity, roots_of_unity, two_adicity

__all__ = [
    "BLS12_381_FR",
    "BN254_FR",
    "Domain",
    "PrimeField",
    "coset_shift",
    "field_by_name",
    "field_by_prime",
    "nqr",
    "root_of_unity",
    "roots_of_unity",
    "two_adicity",
]
