"""G2 subgroup checks for whole sections: random linear combinations, sound despite the
cofactor's small primes.

A point read from a file is on the twist ``E'(F_q2)``, a group of order ``r·h`` with
``gcd(r, h) = 1``, so ``E' = G2 ⊕ H`` (``|H| = h``) and each point is ``P_i = G_i + T_i``.
All ``T_i`` are zero iff ``Q = Σ ρ_i·P_i ∈ G2`` for every choice of ``ρ``; for random ``ρ``
the test can only be fooled by chance. Fix every ``ρ_i`` but one, ``ρ_j``, whose ``T_j`` has
order ``d > 1``: ``Q ∈ G2`` needs ``ρ_j·T_j`` to be one given point of ``⟨T_j⟩``, i.e. ``ρ_j``
in one residue class mod ``d``, which holds for at most ``⌈2^b/d⌉`` of the ``2^b`` values of
a ``b``-bit ``ρ_j``: probability ``≤ 1/d + 2^-b ≤ 1/ℓ + 2^-b``, ``ℓ`` the smallest prime
factor of ``h``. A single combination is therefore weak when ``h`` has a small prime — BN254's
G2 cofactor ``2q − r`` has ``ℓ = 10069`` (then ``5864401``, ``1875725156269`` and a 178-bit
prime), so one round errs with probability at least about ``2^-13.3`` whatever ``b``.
Rounds with independent ``ρ`` multiply: with ``b = 16`` a round errs with probability
``≤ 1/10069 + 2^-16 ≈ 2^-13.1`` and 10 rounds bound the error by ``2^-130``, at the cost of
10 multi-scalar multiplications with 16-bit scalars (one or two Pippenger windows each) — far
less than the per-point test (a 127-bit multiplication per point) they replace. Wider ``ρ``
would not save rounds (the ``1/ℓ`` term dominates) and costs more windows. When a
combination fails, the per-point test names the first point outside G2.
"""

from __future__ import annotations

import math
import secrets
from functools import cache

import numpy as np

from zkmargin.ceremony.keys import CURVE
from zkmargin.curve.fast.msm import msm_arrays
from zkmargin.curve.fast.pairing.subgroup import G2Membership

SECURITY_BITS = 128
"""The soundness error of a batch check is at most ``2^-SECURITY_BITS``."""
RHO_BITS = 16
BATCH_FROM = 256
"""Fewer points than this are checked one by one (a few multiplications either way)."""
_TRIAL_LIMIT = 1 << 20


@cache
def smallest_cofactor_prime() -> int:
    """The smallest prime factor of G2's cofactor, or :data:`_TRIAL_LIMIT` when none is
    below it (a lower bound is all the error bound needs)."""
    h = G2Membership.of(CURVE).cofactor
    for f in range(2, _TRIAL_LIMIT):
        if h % f == 0:
            return f
    return _TRIAL_LIMIT


@cache
def rounds() -> int:
    """Independent combinations needed for :data:`SECURITY_BITS`."""
    per_round = 1 / smallest_cofactor_prime() + 2.0**-RHO_BITS
    return math.ceil(SECURITY_BITS / -math.log2(per_round))


def first_outside_g2(points: np.ndarray) -> int:
    """Index of the first point of an ``(n, 2, 2, 4)`` Montgomery array of twist points (all
    zeros: infinity) outside G2, or -1 (module docstring: wrong with probability at most
    ``2^-SECURITY_BITS`` when the batch test passes)."""
    check = G2Membership.of(CURVE)
    n = len(points)
    if n < BATCH_FROM:
        return check.first_outside(points)
    pts = np.ascontiguousarray(points)
    for _ in range(rounds()):
        rho = np.zeros((n, 4), dtype=np.uint64)
        rho[:, 0] = np.frombuffer(secrets.token_bytes(2 * n), dtype="<u2")
        if not check(msm_arrays(CURVE.name, "g2", pts, rho)):
            return check.first_outside(points)
    return -1
