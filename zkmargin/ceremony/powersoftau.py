"""Powers of tau (phase 1), snarkjs-compatible: new, contribute, beacon, verify, prepare phase 2.

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
and written as they are computed; the Lagrange sections of ``prepare phase2`` come from one
inverse FFT per power (:mod:`zkmargin.ceremony.group_kernels`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony import encoding
from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.ceremony.chacha import ChaCha, beacon_rng
from zkmargin.ceremony.group_kernels import inverse_fft, scale
from zkmargin.ceremony.keys import (
    CURVE,
    PtauKey,
    PublicKey,
    g1_uncompressed,
    g2_sp,
    g2_uncompressed,
    ptau_key,
    same_ratio,
)
from zkmargin.curve.fast.msm import msm_arrays
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs
from zkmargin.field.fast_ntt import fast_domain
from zkmargin.field.roots import roots_of_unity
from zkmargin.formats import point_arrays
from zkmargin.formats.ptau import (
    ALPHA_TAU_G1,
    BETA_G2,
    BETA_TAU_G1,
    CONTRIBUTIONS,
    FQ,
    HEADER,
    LAGRANGE,
    POINT_SECTIONS,
    SECTION_NAMES,
    TAU_G1,
    TAU_G2,
    Contribution,
    PtauFile,
    PtauWriter,
    encode_contributions,
    g1_bytes,
    g1_point,
    g2_bytes,
    g2_point,
    header_bytes,
    is_g2,
    point_count,
)

CHUNK = 1 << 16
"""Points per chunk when streaming a section."""
MAX_PREPARE_POWER = 27
"""``prepare phase2`` handles powers whose top Lagrange level fits BN254's 2^28 domain."""
FR = Field64.of(CURVE.r)
Log = Callable[[str], None]


class CeremonyFailure(Exception):
    """A ceremony file does not hold what it claims (exit status 1); the message names the
    first check that failed."""


def _quiet(_: str) -> None:
    pass


def _shape(sid: int) -> tuple[int, ...]:
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


def _scalars(first: int, inc: int, start: int, n: int) -> list[int]:
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
    return scale(points.reshape(m, *_shape(sid)), _scalars(first, key.tau, start, m), FQ)


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
    contribs = pf.contributions()
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
        w.section(CONTRIBUTIONS, [encode_contributions([*pf.contributions(), c])])
        w.commit()
    return ContributionResult(response_hash, c.next_challenge)


def contribute(src: str, dst: str, name: str, rng: ChaCha, log: Log = _quiet) -> ContributionResult:
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
    src: str, dst: str, name: str, beacon_hex: str, iterations_exp: int | str, log: Log = _quiet
) -> ContributionResult:
    """Add the beacon contribution: its secrets come from ``2^iterations_exp`` SHA-256
    iterations of the public ``beacon_hex``, so anyone can recompute them."""
    b, exp = parse_beacon(beacon_hex, iterations_exp)
    return _contribute(src, dst, lambda ch: ptau_key(beacon_rng(b, exp), ch), name, (b, exp), log)


# --- verification ---------------------------------------------------------------------------
def _check_on_curve(pf: PtauFile, sid: int) -> None:
    b1 = FQ.to_mont([CURVE.b])[0]
    b2 = FQ.to_mont(CURVE.b2)
    n = pf.section(sid)[1] // (128 if is_g2(sid) else 64)
    for start in range(0, n, CHUNK):
        pts = pf.points(sid, start, min(CHUNK, n - start))
        bad = point_arrays.first_not_reduced(pts.reshape(-1, 4), FQ.m)
        if bad < 0:
            bad = (
                point_arrays.first_off_g2(pts, b2, FQ.m)
                if is_g2(sid)
                else point_arrays.first_off_g1(pts, b1, FQ.m)
            )
        if bad >= 0:
            raise InputError(
                pf.path, f"section {sid} ({SECTION_NAMES[sid]})", f"point #{start + bad} is invalid"
            )


def _random_limbs(n: int) -> np.ndarray:
    out = np.zeros((n, 4), dtype=np.uint64)
    out[:, 0] = np.frombuffer(secrets.token_bytes(8 * n), dtype="<u8")
    return out


def _add(group: str, a, b):
    return CURVE.g1_add(a, b) if group == "g1" else CURVE.g2_add(a, b)


def _msm(group: str, pts: np.ndarray, scalars: np.ndarray):
    return msm_arrays(CURVE.name, group, np.ascontiguousarray(pts), scalars)


def _powers_ratio(pf: PtauFile, sid: int, hasher) -> tuple:
    """Random combinations ``(Σ r_i P_i, Σ r_i P_(i+1))`` of a section; hashes its points."""
    group = "g2" if is_g2(sid) else "g1"
    n = point_count(sid, pf.power)
    r1 = r2 = None
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        pts = pf.points(sid, start, m)
        hasher.update(encoding.uncompressed(pts, FQ))
        k = min(m, n - 1 - start)
        if k > 0:
            r = _random_limbs(k)
            r1 = _add(group, r1, _msm(group, pts[:k], r))
            r2 = _add(group, r2, _msm(group, pf.points(sid, start + 1, k), r))
    return r1, r2


def _point(pf: PtauFile, sid: int, i: int):
    raw = pf.points(sid, i, 1).tobytes()
    return g2_point(raw) if is_g2(sid) else g1_point(raw)


@dataclass(frozen=True)
class Origin:
    """What a new file's first contribution follows: the generators and the first challenge."""

    tau_g1: object
    tau_g2: object
    alpha_g1: object
    beta_g1: object
    beta_g2: object
    next_challenge: bytes


def check_contribution(cur: Contribution, prev: Contribution | Origin, index: int) -> None:
    """Contribution #``index``'s proofs of knowledge and its link to ``prev``
    (:func:`previous`); raises :class:`CeremonyFailure`."""
    label = f"contribution #{index}" + (f" ({cur.name})" if cur.name else "")
    ch = prev.next_challenge
    if cur.type == 1:
        if cur.beacon_hash is None or cur.iterations_exp is None:
            raise CeremonyFailure(f"{label}: beacon without its hash or iterations")
        expected = ptau_key(beacon_rng(cur.beacon_hash, cur.iterations_exp), ch)
        if expected.public != cur.keys:
            raise CeremonyFailure(f"{label}: the beacon's key is not derived from its beacon")
    sp = [g2_sp(i, ch, k.g1_s, k.g1_sx) for i, k in enumerate(cur.keys)]
    for name, k, g2 in zip(("tau", "alpha", "beta"), cur.keys, sp, strict=True):
        if not same_ratio(CURVE, k.g1_s, k.g1_sx, g2, k.g2_spx):
            raise CeremonyFailure(f"{label}: invalid proof of knowledge of {name}")
    tau, alpha, beta = cur.keys
    checks = (
        (prev.tau_g1, cur.tau_g1, sp[0], tau.g2_spx, "tau·G1 does not follow the previous one"),
        (tau.g1_s, tau.g1_sx, prev.tau_g2, cur.tau_g2, "tau·G2 does not follow the previous one"),
        (prev.alpha_g1, cur.alpha_g1, sp[1], alpha.g2_spx, "alpha·G1 does not follow"),
        (prev.beta_g1, cur.beta_g1, sp[2], beta.g2_spx, "beta·G1 does not follow"),
        (beta.g1_s, beta.g1_sx, prev.beta_g2, cur.beta_g2, "beta·G2 does not follow"),
    )
    for a1, b1, a2, b2, what in checks:
        if not same_ratio(CURVE, a1, b1, a2, b2):
            raise CeremonyFailure(f"{label}: {what}")


def response_hash(c: Contribution) -> bytes:
    """The response hash of a contribution, from its partial hash and public key."""
    return Blake2b.resume(c.partial_hash).update(public_key_bytes(c.keys)).digest()


def previous(contribs: list[Contribution], power: int) -> Contribution | Origin:
    """What the next contribution must follow: the last one, or a new file's generators."""
    if contribs:
        return contribs[-1]
    return Origin(CURVE.g1, CURVE.g2, CURVE.g1, CURVE.g1, CURVE.g2, first_challenge_hash(power))


def check_powers(pf: PtauFile, last: Contribution, label: str = "") -> None:
    """The points of ``pf`` are successive powers starting where ``last`` says, and hash to its
    next challenge; raises :class:`CeremonyFailure` (its message names ``label`` or the file)."""
    path = label or pf.path
    nxt = hashlib.blake2b(response_hash(last), digest_size=64)
    r1, r2 = _powers_ratio(pf, TAU_G1, nxt)
    if not same_ratio(CURVE, r1, r2, CURVE.g2, last.tau_g2):
        raise CeremonyFailure(f"{path}: tauG1 section: the points are not successive powers")
    if _point(pf, TAU_G1, 0) != CURVE.g1 or _point(pf, TAU_G1, 1) != last.tau_g1:
        raise CeremonyFailure(f"{path}: tauG1 section: does not start with G1, tau·G1")
    r1, r2 = _powers_ratio(pf, TAU_G2, nxt)
    if not same_ratio(CURVE, CURVE.g1, last.tau_g1, r1, r2):
        raise CeremonyFailure(f"{path}: tauG2 section: the points are not successive powers")
    if _point(pf, TAU_G2, 0) != CURVE.g2 or _point(pf, TAU_G2, 1) != last.tau_g2:
        raise CeremonyFailure(f"{path}: tauG2 section: does not start with G2, tau·G2")
    for sid, first, what in (
        (ALPHA_TAU_G1, last.alpha_g1, "alpha"),
        (BETA_TAU_G1, last.beta_g1, "beta"),
    ):
        r1, r2 = _powers_ratio(pf, sid, nxt)
        if not same_ratio(CURVE, r1, r2, CURVE.g2, last.tau_g2):
            raise CeremonyFailure(f"{path}: {what}TauG1 section: not successive powers")
        if _point(pf, sid, 0) != first:
            raise CeremonyFailure(f"{path}: {what}TauG1 section: does not start with {what}·G1")
    if _point(pf, BETA_G2, 0) != last.beta_g2:
        raise CeremonyFailure(f"{path}: betaG2 section does not match the last contribution")
    nxt.update(encoding.uncompressed(pf.points(BETA_G2), FQ))
    if pf.power == pf.ceremony_power and nxt.digest() != last.next_challenge:
        raise CeremonyFailure(
            f"{path}: the points do not hash to the last contribution's next challenge"
        )


def verify(path: str, log: Log = _quiet) -> list[Contribution]:
    """Check a ptau file: every contribution's proofs and its link to the previous one, the
    last one's link to the points (random linear combinations), the challenge chain, and the
    Lagrange sections when present. Raises :class:`CeremonyFailure` naming the first failure."""
    pf = PtauFile(path)
    contribs = pf.contributions()
    if not contribs:
        raise CeremonyFailure(f"{path}: no contributions: the file cannot be used in production")
    for sid in (*POINT_SECTIONS, *(s for s in LAGRANGE.values() if s in pf.sections)):
        _check_on_curve(pf, sid)
    for i, cur in enumerate(contribs):
        check_contribution(cur, previous(contribs[:i], pf.ceremony_power), i + 1)
    check_powers(pf, contribs[-1])
    log(f"powers: 2^{pf.power}; {len(contribs)} contribution(s) verified")
    if pf.has_lagrange():
        for sid in LAGRANGE:
            _verify_lagrange(pf, sid)
        log("Lagrange sections verified")
    else:
        log("no phase-2 sections (run prepare phase2 before a circuit setup)")
    return contribs


def _verify_lagrange(pf: PtauFile, sid: int) -> None:
    group = "g2" if is_g2(sid) else "g1"
    lag = LAGRANGE[sid]
    top = pf.power + 1 if sid == TAU_G1 else pf.power
    for p in range(top + 1):
        n = 1 << p
        r = _random_limbs(n)
        if p == pf.power + 1:
            r[-1] = 0
        k = n - 1 if p == pf.power + 1 else n
        res_tau = _msm(group, pf.points(sid, 0, k), r[:k])
        values = [int(v) for v in r[:, 0]]
        evals = fast_domain(CURVE.fr, n).ntt(values) if n > 1 else values
        res_lag = _msm(group, pf.lagrange(lag, p), ints_to_limbs(evals, 4))
        if res_tau != res_lag:
            raise CeremonyFailure(
                f"{pf.path}: section {lag} ({SECTION_NAMES[lag]}): level 2^{p} does not match "
                f"the powers"
            )


# --- phase 2 preparation ----------------------------------------------------------------------
def _copy(pf: PtauFile, sid: int) -> Iterator[bytes]:
    off, length = pf.section(sid)
    step = 1 << 26
    for start in range(0, length, step):
        yield pf.map[off + start : off + min(length, start + step)]


def lagrange_level(pf: PtauFile, sid: int, p: int) -> np.ndarray:
    """The ``2^p`` Lagrange points of the first ``2^p`` powers of section ``sid``."""
    n = 1 << p
    shape = _shape(sid)
    pts = np.zeros((n, *shape), dtype=np.uint64)
    avail = min(n, point_count(sid, pf.power))  # tauG1's top level lacks its last power
    pts[:avail] = pf.points(sid, 0, avail).reshape(avail, *shape)
    r = CURVE.r
    w_inv = pow(roots_of_unity(CURVE.fr)[p], -1, r)
    tw = _scalars(1, w_inv, 0, max(1, n // 2))
    out = inverse_fft(pts, tw, pow(n, -1, r), FQ)
    return out.reshape(n, *((2, 2, 4) if is_g2(sid) else (2, 4)))


def prepare_phase2(src: str, dst: str, log: Log = _quiet) -> None:
    """Copy sections 1–7 and add the Lagrange sections 12–15 (snarkjs's, byte for byte)."""
    pf = PtauFile(src)
    if pf.power > MAX_PREPARE_POWER:
        raise InputError(src, "section 1 (header)", f"power {pf.power} > {MAX_PREPARE_POWER}")

    def levels(sid: int) -> Iterator[np.ndarray]:
        top = pf.power + 1 if sid == TAU_G1 else pf.power
        for p in range(top + 1):
            yield lagrange_level(pf, sid, p)
            log(f"{SECTION_NAMES[LAGRANGE[sid]]}: 2^{p}")

    with PtauWriter(dst, 11) as w:
        w.section(HEADER, [header_bytes(pf.power)])  # snarkjs writes power twice
        for sid in (*POINT_SECTIONS, CONTRIBUTIONS):
            w.section(sid, _copy(pf, sid))
        for sid, lag in LAGRANGE.items():
            w.section(lag, levels(sid))
        w.commit()
