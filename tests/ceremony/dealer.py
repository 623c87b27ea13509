"""A prepared ptau whose secrets the test knows, built without the group FFT.

The contribution is a real one — the key of a seeded stream (whose secrets are its first three
field elements), with its proofs of knowledge, response and next-challenge hashes — but its
points are computed from τ, α, β directly as fixed-base multiples of the generators (``τ^i``,
then ``L_i(τ)`` for the Lagrange sections) instead of by scaling every point of a new file and
by ``prepare phase2``. That makes a power-12 file (what a margin circuit needs) in seconds, and
gives an independent oracle for both ``contribute`` and ``prepare phase2``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from zkmargin.ceremony import encoding
from zkmargin.ceremony import powersoftau as pt
from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.ceremony.chacha import ChaCha, field_from_rng
from zkmargin.ceremony.keys import ptau_key
from zkmargin.ceremony.prepare import copy_section
from zkmargin.curve import BN254
from zkmargin.curve.fast.fixed_base import multiples_arrays
from zkmargin.field.roots import roots_of_unity
from zkmargin.formats.ptau import FQ, HEADER, LAGRANGE, TAU_G1, PtauFile, is_g2, point_count
from zkmargin.formats.ptau_contributions import encode_contributions
from zkmargin.formats.ptau_writer import PtauWriter, header_bytes
from zkmargin.groth16.setup import lagrange_at

SEED = [20261203, 1, 2, 3, 4, 5, 6, 7]


def secrets() -> tuple[int, int, int]:
    """τ, α, β of :func:`dealer_ptau`'s contribution."""
    rng = ChaCha(SEED)
    return tuple(field_from_rng(rng, BN254.r) for _ in range(3))  # type: ignore[return-value]


def lagrange_scalars(p: int, tau: int, top_missing: bool) -> list[int]:
    """``L_i(τ)`` of the size-``2^p`` domain; with ``top_missing`` the inverse FFT of powers
    whose last one is zero (tauG1's top level)."""
    n, r = 1 << p, BN254.r
    lag = lagrange_at(BN254.fr, n, tau) if n > 1 else [1]
    if not top_missing:
        return lag
    w = roots_of_unity(BN254.fr)[p]
    last = pow(tau, n - 1, r) * pow(n, -1, r) % r
    return [(v - pow(w, i * (n - 1) * (r - 2), r) * last) % r for i, v in enumerate(lag)]


def _powers(power: int) -> dict[int, np.ndarray]:
    """The contributed sections 2–6: ``τ^i``, ``α·τ^i``, ``β·τ^i`` times the generators."""
    tau, alpha, beta = secrets()
    r = BN254.r
    out = {}
    for sid, factor in zip(pt.POINT_SECTIONS, (1, 1, alpha, beta, beta), strict=True):
        scalars = [factor * pow(tau, i, r) % r for i in range(point_count(sid, power))]
        group, base = ("g2", BN254.g2) if is_g2(sid) else ("g1", BN254.g1)
        out[sid] = multiples_arrays("bn128", group, base, scalars)
    return out


def contributed_ptau(path: Path, power: int) -> Path:
    """A ptau of ``power`` with one contribution (secrets: :func:`secrets`), no phase-2
    sections."""
    challenge = pt.first_challenge_hash(power)
    key = ptau_key(ChaCha(SEED), challenge)
    assert (key.tau, key.alpha, key.beta) == secrets()
    points = _powers(power)
    response = Blake2b().update(challenge)
    for sid in pt.POINT_SECTIONS:
        shape = (-1, 2, 2, 4) if is_g2(sid) else (-1, 2, 1, 4)
        response.update(encoding.compressed(points[sid].reshape(shape), FQ))
    partial = response.partial()
    response_hash = response.update(pt.public_key_bytes(key.public)).digest()
    with PtauWriter(path, 7) as w:
        w.section(HEADER, [header_bytes(power)])
        for sid in pt.POINT_SECTIONS:
            w.section(sid, [points[sid]])
        firsts = {sid: points[sid][i] for sid, i in pt.FIRSTS.items()}
        c = pt.record(firsts, key.public, partial, pt.next_challenge(w, response_hash), "dealer")
        w.section(pt.CONTRIBUTIONS, [encode_contributions([c])])
        w.commit()
    return path


def dealer_ptau(directory: Path, power: int) -> Path:
    """A contributed (``dealer1.ptau``) and prepared (``dealer.ptau``) ptau of ``power`` in
    ``directory`` (secrets: :func:`secrets`)."""
    src = PtauFile(contributed_ptau(directory / "dealer1.ptau", power))
    tau, alpha, beta = secrets()
    out = directory / "dealer.ptau"
    r = BN254.r
    with PtauWriter(out, 11) as w:
        w.section(HEADER, [header_bytes(power)])
        for sid in (*pt.POINT_SECTIONS, pt.CONTRIBUTIONS):
            w.section(sid, copy_section(src, sid))
        for sid, lag in LAGRANGE.items():
            factor = {pt.ALPHA_TAU_G1: alpha, pt.BETA_TAU_G1: beta}.get(sid, 1)
            top = power + 1 if sid == TAU_G1 else power
            group, base = ("g2", BN254.g2) if lag == 13 else ("g1", BN254.g1)
            scalars = [
                v * factor % r
                for p in range(top + 1)
                for v in lagrange_scalars(p, tau, sid == TAU_G1 and p == power + 1)
            ]
            w.section(lag, [multiples_arrays("bn128", group, base, scalars)])
        w.commit()
    return out
