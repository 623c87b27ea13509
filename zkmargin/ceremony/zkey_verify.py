"""Verification of a whole phase-2 key: against the circuit and the ptau it claims to come
from (recomputing the initial key, :mod:`.phase2`), and every contribution in its chain
(:mod:`.zkey_contribute`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony import phase2
from zkmargin.ceremony.chacha import beacon_rng, field_from_rng, g1_from_rng
from zkmargin.ceremony.keys import (
    CURVE,
    g1_uncompressed,
    hash_to_g2,
    same_ratio,
)
from zkmargin.ceremony.phase2 import R
from zkmargin.ceremony.powersoftau import CeremonyFailure
from zkmargin.ceremony.zkey_contribute import (
    DELTA1_AT,
    HEAD_SIZE,
    ZkeyContribution,
    decode_mpc,
    deltas,
    read_zkey,
)
from zkmargin.dsl.r1cs import R1CS
from zkmargin.formats import point_arrays
from zkmargin.formats.ptau import (
    FQ,
)


@dataclass(frozen=True)
class VerifiedKey:
    circuit_hash: bytes
    contributions: list[ZkeyContribution]


def _random_limbs(n: int) -> np.ndarray:
    import secrets

    out = np.zeros((n, 4), dtype=np.uint64)
    out[:, 0] = np.frombuffer(secrets.token_bytes(8 * n), dtype="<u8")
    return out


def _first_invalid_g1(data: bytes) -> int:
    """Index of the first point of a G1 section (Montgomery x, y) with a coordinate >= q or off
    the curve (the point at infinity passes), or -1. The ratio check below is an MSM whose
    formulas never look at the curve's b, so a point of another curve must be refused first."""
    pts = np.frombuffer(data, dtype="<u8").reshape(-1, 2, 4)
    bad = point_arrays.first_not_reduced(pts.reshape(-1, 4), FQ.m)
    if bad >= 0:
        return bad // 2
    return point_arrays.first_off_g1(pts, FQ.to_mont([CURVE.b])[0], FQ.m)


def _section_ratio(init: bytes, final: bytes, d2_final, d2_init) -> bool:
    from zkmargin.curve.fast.msm import msm_arrays

    a = np.frombuffer(init, dtype="<u8").reshape(-1, 2, 4)
    b = np.frombuffer(final, dtype="<u8").reshape(-1, 2, 4)
    if len(a) == 0:
        return True
    r = _random_limbs(len(a))
    return same_ratio(
        CURVE, msm_arrays("bn128", "g1", a, r), msm_arrays("bn128", "g1", b, r), d2_final, d2_init
    )


def verify(r1cs: R1CS, ptau_path: str, zkey_path: str, r1cs_path: str = "r1cs") -> VerifiedKey:
    """Check a key against the circuit and the ptau it claims to come from, and every
    contribution; raises :class:`CeremonyFailure` naming the first failure."""
    bf = read_zkey(zkey_path)
    circuit_hash, contribs = decode_mpc(bf.section(10, "contributions"), zkey_path)
    acc = circuit_hash
    cur = CURVE.g1
    for i, c in enumerate(contribs):
        label = f"contribution #{i + 1}" + (f" ({c.name})" if c.name else "")
        expect = hashlib.blake2b(
            acc + g1_uncompressed(c.g1_s) + g1_uncompressed(c.g1_sx), digest_size=64
        ).digest()
        if expect != c.transcript:
            raise CeremonyFailure(f"{zkey_path}: {label}: inconsistent transcript")
        sp = hash_to_g2(c.transcript)
        if not same_ratio(CURVE, c.g1_s, c.g1_sx, sp, c.g2_spx):
            raise CeremonyFailure(f"{zkey_path}: {label}: invalid proof of knowledge")
        if not same_ratio(CURVE, cur, c.delta_after, sp, c.g2_spx):
            raise CeremonyFailure(f"{zkey_path}: {label}: delta does not follow its public key")
        if c.type == 1:
            if c.beacon_hash is None or c.iterations_exp is None:
                raise CeremonyFailure(f"{zkey_path}: {label}: beacon without its parameters")
            rng = beacon_rng(c.beacon_hash, c.iterations_exp)
            x = field_from_rng(rng, R)
            s = g1_from_rng(rng)
            if s != c.g1_s or CURVE.g1_mul(s, x) != c.g1_sx:
                raise CeremonyFailure(f"{zkey_path}: {label}: the beacon's key is not derived")
        acc += c.public_bytes()
        cur = c.delta_after
    init = phase2.initial_key(r1cs, ptau_path, r1cs_path)
    head, init_head = bf.section(2), init.sections[2]
    if head[:HEAD_SIZE] != init_head[:HEAD_SIZE]:
        raise CeremonyFailure(f"{zkey_path}: different circuit sizes than {r1cs_path}")
    if head[HEAD_SIZE:DELTA1_AT] != init_head[HEAD_SIZE:DELTA1_AT]:
        raise CeremonyFailure(f"{zkey_path}: alpha, beta or gamma differ from the ptau's")
    d1, d2 = deltas(head, zkey_path)
    if d1 != cur:
        raise CeremonyFailure(f"{zkey_path}: delta1 is not the last contribution's")
    if not same_ratio(CURVE, CURVE.g1, cur, CURVE.g2, d2):
        raise CeremonyFailure(f"{zkey_path}: delta2 does not match delta1")
    if circuit_hash != init.circuit_hash:
        raise CeremonyFailure(f"{zkey_path}: circuit hash differs: not this circuit and ptau")
    for sid, label in ((3, "IC"), (4, "coefficients"), (5, "A"), (6, "B1"), (7, "B2")):
        if bf.section(sid) != init.sections[sid]:
            raise CeremonyFailure(f"{zkey_path}: section {sid} ({label}) differs from the setup's")
    for sid, label in ((8, "L"), (9, "H")):
        if len(bf.section(sid)) != len(init.sections[sid]):
            raise CeremonyFailure(f"{zkey_path}: section {sid} ({label}) has the wrong size")
        bad = _first_invalid_g1(bf.section(sid))
        if bad >= 0:
            raise CeremonyFailure(
                f"{zkey_path}: section {sid} ({label}): point #{bad} is not on the curve"
            )
        if not _section_ratio(init.sections[sid], bf.section(sid), d2, CURVE.g2):
            raise CeremonyFailure(
                f"{zkey_path}: section {sid} ({label}) is not the setup's / delta"
            )
    return VerifiedKey(circuit_hash, contribs)
