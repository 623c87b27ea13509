"""Each curve's pairing constants, derived from its parameter ``x`` and checked on the spot.

Both curves are built from one integer ``x``: BN254 has ``q = 36x⁴ + 36x³ + 24x² + 6x + 1``,
``r = 36x⁴ + 36x³ + 18x² + 6x + 1`` and the optimal ate loop ``6x + 2``; BLS12-381 has
``r = x⁴ - x² + 1``, ``q = (x - 1)² r / 3 + x`` and the loop ``x`` (negative).  The tower is
``F_p2 = F_p[u]/(u² + 1)``, ``F_p6 = F_p2[v]/(v³ - ξ)``, ``F_p12 = F_p6[w]/(w² - v)`` with
``ξ = k + u`` (the tower snarkjs uses), so ``w⁶ = ξ``.  The twist is ``D``-type when its
``b' = b/ξ`` (BN254) and ``M``-type when ``b' = b·ξ`` (BLS12-381); :func:`params_for` checks
all of it against the curve's own ``q``, ``r``, ``b`` and ``b'`` and refuses a mismatch.

>>> from zkmargin.curve import BN254
>>> p = params_for(BN254)
>>> p.loop == 6 * p.x + 2, p.mtype, p.k
(True, False, 9)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve

Fp2 = tuple[int, int]

# curve name -> (x, k in ξ = k + u, family)
_FAMILY = {
    "bn128": (4965661367192848881, 9, "bn"),
    "bls12381": (-0xD201000000010000, 1, "bls12"),
}


def fp2_mul(a: Fp2, b: Fp2, q: int) -> Fp2:
    """``a·b`` in ``F_q[u]/(u² + 1)`` on int pairs."""
    return ((a[0] * b[0] - a[1] * b[1]) % q, (a[0] * b[1] + a[1] * b[0]) % q)


def fp2_pow(a: Fp2, e: int, q: int) -> Fp2:
    """``a^e`` (``e >= 0``) in ``F_q2`` on int pairs."""
    acc = (1, 0)
    for bit in bin(e)[2:]:
        acc = fp2_mul(acc, acc, q)
        if bit == "1":
            acc = fp2_mul(acc, a, q)
    return acc


def fp2_inv(a: Fp2, q: int) -> Fp2:
    """``a⁻¹`` in ``F_q2`` on int pairs."""
    d = pow((a[0] * a[0] + a[1] * a[1]) % q, -1, q)
    return (a[0] * d % q, -a[1] * d % q)


@dataclass(frozen=True)
class PairingParams:
    """One curve's constants for the optimal ate pairing (see the module docstring)."""

    name: str
    q: int
    r: int
    x: int
    k: int
    family: str
    mtype: bool
    b_twist: Fp2
    gamma: tuple[tuple[Fp2, ...], ...]
    """``gamma[n][j] = ξ^(j(qⁿ - 1)/6)`` for ``n = 0..3``, ``j = 0..5``: ``(wʲ)^(qⁿ) =
    gamma[n][j]·wʲ``, what the Frobenius maps multiply by."""

    @property
    def loop(self) -> int:
        """The Miller loop's count: ``6x + 2`` (BN) or ``|x|`` (BLS12, conjugated after)."""
        return 6 * self.x + 2 if self.family == "bn" else abs(self.x)

    @property
    def loop_bits(self) -> list[int]:
        """The loop count's bits after the leading one, most significant first."""
        return [int(c) for c in bin(self.loop)[3:]]

    @property
    def conjugate_end(self) -> bool:
        """Whether the Miller value is conjugated at the end (a negative loop parameter)."""
        return self.family == "bls12" and self.x < 0

    @property
    def hard_exponent(self) -> int:
        """The power of ``Φ₁₂(q)/r`` the final exponentiation's hard part raises to, as a
        polynomial in ``q`` with coefficients in ``x`` (what the addition chain computes)."""
        x, q = self.x, self.q
        if self.family == "bn":
            lam = (
                1 + 6 * x + 12 * x**2 + 12 * x**3,
                4 * x + 6 * x**2 + 12 * x**3,
                6 * x + 6 * x**2 + 12 * x**3,
                -1 + 4 * x + 6 * x**2 + 12 * x**3,
            )
            return sum(c * q**i for i, c in enumerate(lam))
        return (x - 1) ** 2 * (x + q) * (x * x + q * q - 1) + 3

    @property
    def hard_multiple(self) -> int:
        """``m`` with hard part ``= m·Φ₁₂(q)/r``: ``2x(6x² + 3x + 1)`` (BN), ``3`` (BLS12)."""
        x = self.x
        return 2 * x * (6 * x * x + 3 * x + 1) if self.family == "bn" else 3


def _check_family(name: str, x: int, family: str, q: int, r: int) -> None:
    if family == "bn":
        ok = (
            q == 36 * x**4 + 36 * x**3 + 24 * x**2 + 6 * x + 1
            and r == 36 * x**4 + 36 * x**3 + 18 * x**2 + 6 * x + 1
        )
    else:
        ok = r == x**4 - x**2 + 1 and q == (x - 1) ** 2 * r // 3 + x
    if not ok:
        raise ValueError(f"{name}: q and r are not the {family} family's polynomials in x")


@cache
def _params(name: str, q: int, r: int, b: int, b2: Fp2) -> PairingParams:
    if name not in _FAMILY:
        raise ValueError(f"no pairing parameters for {name!r}")
    x, k, family = _FAMILY[name]
    _check_family(name, x, family, q, r)
    xi = (k, 1)
    if b2 == fp2_mul((b, 0), fp2_inv(xi, q), q):
        mtype = False
    elif b2 == fp2_mul((b, 0), xi, q):
        mtype = True
    else:
        raise ValueError(f"{name}: the twist's b' is neither b/ξ nor b·ξ")
    gamma = tuple(tuple(fp2_pow(xi, j * (q**n - 1) // 6, q) for j in range(6)) for n in range(4))
    return PairingParams(name, q, r, x, k, family, mtype, b2, gamma)


def params_for(curve: Curve) -> PairingParams:
    """The checked pairing constants of a :class:`~zkmargin.curve.Curve` (cached)."""
    return _params(curve.name, curve.q, curve.r, curve.b, tuple(curve.b2))
