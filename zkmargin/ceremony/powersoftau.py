"""Powers of tau (phase 1), snarkjs-compatible: new, contribute, beacon (checking a file:
:mod:`zkmargin.ceremony.ptau_verify`; its phase-2 sections: :mod:`zkmargin.ceremony.prepare`).

Each contribution multiplies the i-th power in every section by ``x^i`` (and alpha/beta
sections by the contributor's alpha/beta), records its public keys with proofs of knowledge
(:mod:`zkmargin.ceremony.keys`) and chains the hashes snarkjs defines (facts from snarkjs
``powersoftau_contribute.js``):

* the *challenge* of a file is BLAKE2b-512 over the previous response hash and every point of
  sections 2–6 uncompressed (the first challenge: over the empty hash's digest and the
  generator-filled sections of a new file);
* the *response* hash is BLAKE2b-512 over the challenge, the new points compressed, then the
  public key uncompressed; the state before the key is stored (the partial hash) and the
  file's last contribution records the next challenge.

Points are scaled chunk by chunk from a memory map (:class:`~zkmargin.formats.ptau.PtauFile`)
and written as they are computed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony import encoding
from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.ceremony.chacha import ChaCha, beacon_rng
from zkmargin.ceremony.keys import (
    CURVE,
    PtauKey,
    PublicKey,
    g1_uncompressed,
    g2_uncompressed,
    ptau_key,
)
from zkmargin.ceremony.scalar_mul import scale
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import Field64
from zkmargin.formats.ptau import (
    ALPHA_TAU_G1,
    BETA_G2,
    BETA_TAU_G1,
    CONTRIBUTIONS,
    FQ,
    HEADER,
    POINT_SECTIONS,
    SECTION_NAMES,
    TAU_G1,
    TAU_G2,
    PtauFile,
    g1_bytes,
    g1_point,
    g2_bytes,
    g2_point,
    is_g2,
    point_count,
)
from zkmargin.formats.ptau_contributions import (
    Contribution,
    encode_contributions,
    read_contributions,
)
from zkmargin.formats.ptau_writer import PtauWriter, header_bytes

CHUNK = 1 << 16
"""Points per chunk when streaming a section."""
MAX_PREPARE_POWER = 27
"""``prepare phase2`` handles powers whose top Lagrange level fits BN254's 2^28 domain."""
FR = Field64.of(CURVE.r)
Log = Callable[[str], None]


class CeremonyFailure(Exception):
    """A ceremony file does not hold what it claims (exit status 1); the message names the
    first check that failed."""


def quiet(_: str) -> None:
    pass


def point_shape(sid: int) -> tuple[int, ...]:
    return (2, 2, 4) if is_g2(sid) else (2, 1, 4)


def first_challenge_hash(power: int) -> bytes:
    """The challenge of a new file of ``power`` (snarkjs ``calculateFirstChallengeHash``)."""
    h = hashlib.blake2b(hashlib.blake2b(b"", digest_size=64).digest(), digest_size=64)
    g1, g2 = g1_uncompressed(CURVE.g1), g2_uncompressed(CURVE.g2)
    for block, count in ((g1, (1 << (power + 1)) - 1), (g2, 1 << power), (g1, 1 << power)):
        _repeat(h, block, count)
    _repeat(h, g1, 1 << power)
    h.update(g2)
    return h.digest()


def _repeat(h, block: bytes, count: int) -> None:
    big = block * 4096
    for _ in range(count // 4096):
        h.update(big)
    h.update(block * (count % 4096))


def new(power: int, out: str) -> bytes:
    """Write a new accumulator of ``power`` (every power is the generator); returns the first
    challenge hash."""
    if not 1 <= power <= 28:
        raise InputError("POWER", "", f"must be between 1 and 28, got {power}")
    g1, g2 = g1_bytes(CURVE.g1), g2_bytes(CURVE.g2)

    def repeated(block: bytes, count: int) -> Iterator[bytes]:
        for start in range(0, count, CHUNK):
            yield block * min(CHUNK, count - start)

    with PtauWriter(out, 7) as w:
        w.section(HEADER, [header_bytes(power)])
        for sid in POINT_SECTIONS:
            w.section(sid, repeated(g2 if is_g2(sid) else g1, point_count(sid, power)))
        w.section(CONTRIBUTIONS, [encode_contributions([])])
        w.commit()
    return first_challenge_hash(power)


@dataclass(frozen=True)
class ContributionResult:
    response_hash: bytes
    next_challenge: bytes


def power_scalars(first: int, inc: int, start: int, n: int) -> list[int]:
    r = CURVE.r
    k = first * pow(inc, start, r) % r
    out = []
    for _ in range(n):
        out.append(k)
        k = k * inc % r
    return out


def public_key_bytes(key: tuple[PublicKey, PublicKey, PublicKey]) -> bytes:
    """The public key as the response hash reads it (and a response file holds it)."""
    return b"".join(g1_uncompressed(k.g1_s) + g1_uncompressed(k.g1_sx) for k in key) + b"".join(
        g2_uncompressed(k.g2_spx) for k in key
    )


def apply_key(points: np.ndarray, sid: int, start: int, key: PtauKey) -> np.ndarray:
    """Points ``start ..`` of section ``sid`` multiplied by the contribution: the i-th power by
    ``τ^i``, alpha/beta sections also by α/β."""
    first = {ALPHA_TAU_G1: key.alpha, BETA_TAU_G1: key.beta, BETA_G2: key.beta}.get(sid, 1)
    m = len(points)
    return scale(points.reshape(m, *point_shape(sid)), power_scalars(first, key.tau, start, m), FQ)


FIRSTS = {TAU_G1: 1, TAU_G2: 1, ALPHA_TAU_G1: 0, BETA_TAU_G1: 0, BETA_G2: 0}
"""Which point of each section a contribution records (τ·G1, τ·G2, α·G1, β·G1, β·G2)."""


def record(
    firsts: dict[int, np.ndarray],
    keys: tuple[PublicKey, PublicKey, PublicKey],
    partial: bytes,
    next_challenge: bytes,
    name: str,
    beacon: tuple[bytes, int] | None = None,
) -> Contribution:
    """A contribution's entry from the points of :data:`FIRSTS` (``firsts[sid]``)."""
    return Contribution(
        tau_g1=g1_point(firsts[TAU_G1].tobytes()),
        tau_g2=g2_point(firsts[TAU_G2].tobytes()),
        alpha_g1=g1_point(firsts[ALPHA_TAU_G1].tobytes()),
        beta_g1=g1_point(firsts[BETA_TAU_G1].tobytes()),
        beta_g2=g2_point(firsts[BETA_G2].tobytes()),
        keys=keys,
        partial_hash=partial,
        next_challenge=next_challenge,
        type=1 if beacon else 0,
        name=name,
        iterations_exp=beacon[1] if beacon else None,
        beacon_hash=beacon[0] if beacon else None,
    )


def next_challenge(w: PtauWriter, response_hash: bytes) -> bytes:
    """The challenge after a contribution: BLAKE2b-512 of its response hash and the points
    written to ``w``, uncompressed."""
    nxt = hashlib.blake2b(response_hash, digest_size=64)
    for sid in POINT_SECTIONS:
        for pts in w.points(sid, CHUNK):
            nxt.update(encoding.uncompressed(pts, FQ))
    return nxt.digest()


def current_challenge(pf: PtauFile) -> bytes:
    """The challenge the next contribution to ``pf`` answers."""
    if pf.power != pf.ceremony_power:
        raise InputError(pf.path, "section 1 (header)", "reduced file: contribute to the full one")
    contribs = read_contributions(pf)
    return contribs[-1].next_challenge if contribs else first_challenge_hash(pf.power)


def _contribute(
    src: str,
    dst: str,
    make_key: Callable[[bytes], PtauKey],
    name: str,
    beacon: tuple[bytes, int] | None,
    log: Log,
) -> ContributionResult:
    pf = PtauFile(src)
    challenge = current_challenge(pf)
    if pf.has_lagrange():
        log("warning: the input has phase-2 sections; run prepare phase2 again afterwards")
    key = make_key(challenge)
    response = Blake2b().update(challenge)
    firsts: dict[int, np.ndarray] = {}

    def scaled(sid: int) -> Iterator[np.ndarray]:
        n = point_count(sid, pf.power)
        for start in range(0, n, CHUNK):
            out = apply_key(pf.points(sid, start, min(CHUNK, n - start)), sid, start, key)
            response.update(np.frombuffer(encoding.compressed(out, FQ), dtype=np.uint8))
            if start == 0:
                firsts[sid] = out[FIRSTS[sid]]
            yield out
        log(f"{SECTION_NAMES[sid]}: {n} points")

    with PtauWriter(dst, 7) as w:
        w.section(HEADER, [header_bytes(pf.power)])
        for sid in POINT_SECTIONS:
            w.section(sid, scaled(sid))
        partial = response.partial()
        response_hash = response.update(public_key_bytes(key.public)).digest()
        c = record(firsts, key.public, partial, next_challenge(w, response_hash), name, beacon)
        w.section(CONTRIBUTIONS, [encode_contributions([*read_contributions(pf), c])])
        w.commit()
    return ContributionResult(response_hash, c.next_challenge)


def contribute(src: str, dst: str, name: str, rng: ChaCha, log: Log = quiet) -> ContributionResult:
    """Add a contribution with secrets drawn from ``rng``
    (:func:`~zkmargin.ceremony.chacha.entropy_rng`)."""
    return _contribute(src, dst, lambda ch: ptau_key(rng, ch), name, None, log)


def parse_beacon(beacon_hex: str, iterations_exp: int | str) -> tuple[bytes, int]:
    """A beacon's hash and iteration exponent, checked as snarkjs does (exit 2 when bad)."""
    try:
        beacon = bytes.fromhex(beacon_hex.removeprefix("0x"))
    except ValueError:
        beacon = b""
    if not beacon or len(beacon) >= 256:
        raise InputError("HASH", "", "must be 1 to 255 bytes of hexadecimal")
    try:
        exp = int(iterations_exp)
    except ValueError:
        exp = -1
    if not 10 <= exp <= 63:
        raise InputError("ITERATIONS", "", f"must be between 10 and 63, got {iterations_exp}")
    return beacon, exp


def beacon(
    src: str, dst: str, name: str, beacon_hex: str, iterations_exp: int | str, log: Log = quiet
) -> ContributionResult:
    """Add the beacon contribution: its secrets come from ``2^iterations_exp`` SHA-256
    iterations of the public ``beacon_hex``, so anyone can recompute them."""
    b, exp = parse_beacon(beacon_hex, iterations_exp)
    return _contribute(src, dst, lambda ch: ptau_key(beacon_rng(b, exp), ch), name, (b, exp), log)


# --- verification ---------------------------------------------------------------------------
