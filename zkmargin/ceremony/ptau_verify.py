"""Checking a ptau file (``powersoftau verify``): every contribution's proofs of knowledge and
its link to the previous one, the last one's link to the points (random linear combinations),
the challenge chain, and the Lagrange sections when present. ``import response`` checks a new
contribution with the same functions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony import encoding
from zkmargin.ceremony.blake2b import Blake2b
from zkmargin.ceremony.chacha import beacon_rng
from zkmargin.ceremony.keys import (
    CURVE,
    g2_sp,
    ptau_key,
    same_ratio,
)
from zkmargin.ceremony.powersoftau import (
    CHUNK,
    CeremonyFailure,
    Log,
    first_challenge_hash,
    public_key_bytes,
    quiet,
)
from zkmargin.curve.fast.msm import msm_arrays
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import ints_to_limbs
from zkmargin.field.fast_ntt import fast_domain
from zkmargin.formats import point_arrays
from zkmargin.formats.ptau import (
    ALPHA_TAU_G1,
    BETA_G2,
    BETA_TAU_G1,
    FQ,
    LAGRANGE,
    POINT_SECTIONS,
    SECTION_NAMES,
    TAU_G1,
    TAU_G2,
    PtauFile,
    g1_point,
    g2_point,
    is_g2,
    point_count,
)
from zkmargin.formats.ptau_contributions import Contribution, read_contributions


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


def verify(path: str, log: Log = quiet) -> list[Contribution]:
    """Check a ptau file: every contribution's proofs and its link to the previous one, the
    last one's link to the points (random linear combinations), the challenge chain, and the
    Lagrange sections when present. Raises :class:`CeremonyFailure` naming the first failure."""
    pf = PtauFile(path)
    contribs = read_contributions(pf)
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
