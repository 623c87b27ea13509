"""Contribution keys and their proofs of knowledge, in snarkjs's form.

A contributor with secret ``x`` publishes ``(s, x·s)`` in G1 for a random ``s`` and ``x·sp`` in
G2, where ``sp`` is hashed from the transcript and the G1 pair; ``e(s, x·sp) = e(x·s, sp)``
proves knowledge of ``x`` bound to that transcript ("same ratio"). Powers of tau have three
such keys (tau, alpha, beta; personalisation bytes 0, 1, 2, ``sp`` from
``BLAKE2b(pers ‖ challenge ‖ s ‖ x·s)``); phase 2 has one (delta; ``sp`` from the transcript
hash itself).

Secrets are plain field values: snarkjs draws them with ``Fr.fromRng`` and multiplies with
``timesFr``, i.e. by the value :func:`~zkmargin.ceremony.chacha.field_from_rng` returns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from zkmargin.ceremony.chacha import ChaCha, field_from_rng, g1_from_rng, hash_to_g2
from zkmargin.curve import BN254, G1, G2, Curve

CURVE = BN254
"""The curve ceremonies run on here (snarkjs's ``bn128``)."""
N8 = 32
"""Bytes per base-field coordinate."""


def g1_uncompressed(p: G1) -> bytes:
    """ffjavascript's uncompressed G1 encoding: ``x ‖ y`` big-endian; infinity all zero."""
    if p is None:
        return bytes(2 * N8)
    return p[0].to_bytes(N8, "big") + p[1].to_bytes(N8, "big")


def g2_uncompressed(p: G2) -> bytes:
    """Uncompressed G2: ``x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0`` big-endian; infinity all zero."""
    if p is None:
        return bytes(4 * N8)
    (x0, x1), (y0, y1) = p
    return b"".join(v.to_bytes(N8, "big") for v in (x1, x0, y1, y0))


def g2_sp(personalization: int, challenge: bytes, s: G1, sx: G1) -> G2:
    """The G2 half of a powers-of-tau proof of knowledge."""
    h = hashlib.blake2b(
        bytes([personalization]) + challenge + g1_uncompressed(s) + g1_uncompressed(sx),
        digest_size=64,
    )
    return hash_to_g2(h.digest())


def same_ratio(curve: Curve, a1: G1, b1: G1, a2: G2, b2: G2) -> bool:
    """``b1 = x·a1`` and ``b2 = x·a2`` for one ``x``: ``e(a1, b2) = e(b1, a2)``, none infinite."""
    if a1 is None or b1 is None or a2 is None or b2 is None:
        return False
    from zkmargin.curve.fast.pairing import engine_for

    return engine_for(curve).product_is_one([(a1, b2), (curve.g1_neg(b1), a2)])


@dataclass(frozen=True)
class PublicKey:
    """One secret's public part: ``g1_s``, ``g1_sx`` and ``g2_spx`` (``g2_sp`` is recomputed)."""

    g1_s: G1
    g1_sx: G1
    g2_spx: G2


@dataclass(frozen=True)
class PtauKey:
    """A powers-of-tau contribution's secrets (plain values) and public keys."""

    tau: int
    alpha: int
    beta: int
    public: tuple[PublicKey, PublicKey, PublicKey]


def ptau_key(rng: ChaCha, challenge: bytes, curve: Curve = CURVE) -> PtauKey:
    """snarkjs's ``createPTauKey``: three secrets, then each one's public key in turn."""
    secrets_ = [field_from_rng(rng, curve.r) for _ in range(3)]
    public = []
    for pers, x in enumerate(secrets_):
        s = g1_from_rng(rng, curve)
        sx = curve.g1_mul(s, x)
        public.append(PublicKey(s, sx, curve.g2_mul(g2_sp(pers, challenge, s, sx), x)))
    return PtauKey(*secrets_, tuple(public))  # type: ignore[arg-type]


def delta_key(
    rng: ChaCha, transcript_head: bytes, curve: Curve = CURVE
) -> tuple[int, G1, G1, bytes, G2]:
    """A phase-2 contribution's secret and ``(g1_s, g1_sx, transcript, g2_spx)``.

    ``transcript_head`` is what the transcript hash starts with (circuit hash and earlier
    contributions); the transcript is its BLAKE2b-512 with ``g1_s ‖ g1_sx`` appended.
    """
    x = field_from_rng(rng, curve.r)
    s = g1_from_rng(rng, curve)
    sx = curve.g1_mul(s, x)
    transcript = hashlib.blake2b(
        transcript_head + g1_uncompressed(s) + g1_uncompressed(sx), digest_size=64
    ).digest()
    return x, s, sx, transcript, curve.g2_mul(hash_to_g2(transcript), x)
