"""Groth16 phase 2, snarkjs-compatible: the initial key from an R1CS and a prepared ptau, delta
contributions and beacons, and the verification of the whole chain.

The initial key (snarkjs ``zkey_new.js``, byte for byte): ``alpha``, ``beta`` from the ptau,
``gamma = delta = 1``; ``A[s] = Σ a_cs·L_c(τ)``, ``B[s]`` likewise in G1 and G2 from the
circuit's columns and the Lagrange points of the domain (rows ``m + s`` add the public
inputs), ``IC``/``C`` = ``Σ (a_cs·β + b_cs·α + c_cs)·L_c(τ)`` from the beta/alpha/tau Lagrange
sections, ``H`` the odd Lagrange points of the doubled domain. The *circuit hash* is BLAKE2b-512
over the header points and each point section uncompressed, each preceded by its count as a
big-endian u32 — with the H section replaced by the points ``(τ^(n+i) − τ^i)·G1`` (snarkjs
hashes those; for domains above 2^14 its chunked loop takes whole chunks of 2^14, so the count
rounds up to the next multiple: reproduced here).

A contribution multiplies delta by its secret ``d`` and the L (C) and H sections by ``1/d``;
section 10 records, per contribution, the new ``delta1``, its proof of knowledge and the
transcript hash it is bound to (:func:`~zkmargin.ceremony.keys.delta_key`).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony import encoding
from zkmargin.ceremony.chacha import ChaCha, beacon_rng, field_from_rng, g1_from_rng
from zkmargin.ceremony.combine import combine
from zkmargin.ceremony.keys import (
    CURVE,
    delta_key,
    g1_uncompressed,
    g2_uncompressed,
    hash_to_g2,
    same_ratio,
)
from zkmargin.ceremony.powersoftau import CeremonyFailure, parse_beacon
from zkmargin.ceremony.scalar_mul import scale
from zkmargin.dsl.r1cs import R1CS
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import ints_to_limbs
from zkmargin.formats import point_arrays
from zkmargin.formats.binfile import BinFile, read_binfile, write_binfile
from zkmargin.formats.ptau import (
    ALPHA_TAU_G1,
    BETA_G2,
    BETA_TAU_G1,
    FQ,
    G1_BYTES,
    G2_BYTES,
    TAU_G1,
    PtauFile,
    decode_params,
    encode_params,
    g1_bytes,
    g1_point,
    g2_bytes,
    g2_point,
)
from zkmargin.formats.zkey import DEFAULT_ORDER, GROTH16
from zkmargin.groth16.setup import domain_size_for

R = CURVE.r
R_Q = CURVE.q
R_MONT = (1 << 256) % R
HASH_CHUNK = 1 << 14


def _u32be(n: int) -> bytes:
    return struct.pack(">I", n)


def _g1s(arr: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(arr).reshape(-1, 2, 1, 4)


def _terms(columns: list[list[tuple[int, int]]]):
    """CSR arrays for :func:`combine` from per-output ``[(point index, coefficient)]``."""
    starts = np.zeros(len(columns) + 1, dtype=np.int64)
    cols, vals, neg = [], [], []
    for k, col in enumerate(columns):
        for idx, v in col:
            v %= R
            cols.append(idx)
            neg.append(v > R // 2)
            vals.append(R - v if v > R // 2 else v)
        starts[k + 1] = len(cols)
    return (
        starts,
        np.array(cols, dtype=np.int64),
        ints_to_limbs(vals, 4) if vals else np.zeros((0, 4), dtype=np.uint64),
        np.array(neg, dtype=np.bool_),
    )


def _combine(points: np.ndarray, columns) -> np.ndarray:
    starts, cols, vals, neg = _terms(columns)
    return combine(points, starts, cols, vals, neg, FQ.one, FQ.p_minus_2, FQ.m)


@dataclass
class InitialKey:
    """The sections of a new key (``sections``: id -> bytes) and its circuit hash."""

    sections: dict[int, bytes]
    circuit_hash: bytes


def initial_key(r1cs: R1CS, ptau_path: str, r1cs_path: str = "r1cs") -> InitialKey:
    """snarkjs's ``groth16 setup R1CS PTAU``: the phase-2 start of ``r1cs``."""
    pf = PtauFile(ptau_path)
    if r1cs.prime != R:
        raise InputError(r1cs_path, "prime", "the circuit is not over bn128's scalar field")
    m, npub, nvars = r1cs.n_constraints, r1cs.n_public, r1cs.n_wires
    n = domain_size_for(m, npub)
    power = n.bit_length() - 1
    if power > pf.power:
        raise InputError(
            ptau_path, "power", f"2^{pf.power} is too small: the circuit needs 2^{power}"
        )
    if not pf.has_lagrange():
        raise InputError(ptau_path, "section 12", "missing: run powersoftau prepare phase2 first")
    lag = {sid: pf.lagrange(12 + sid - TAU_G1, power) for sid in (2, 3, 4, 5)}
    tau1, tau2, alpha1, beta1 = lag[2], lag[3], lag[ALPHA_TAU_G1], lag[BETA_TAU_G1]
    # Per signal: (matrix, point index, coefficient) terms in the circuit's order.
    a_col: list[list] = [[] for _ in range(nvars)]
    b_col: list[list] = [[] for _ in range(nvars)]
    ic_col: list[list] = [[] for _ in range(nvars)]  # onto stacked (tau | beta | alpha) points
    coeffs = []
    for c, con in enumerate(r1cs.constraints):
        for s, v in con.a.items():
            a_col[s].append((c, v))
            ic_col[s].append((n + c, v))
            coeffs.append((0, c, s, v))
        for s, v in con.b.items():
            b_col[s].append((c, v))
            ic_col[s].append((2 * n + c, v))
            coeffs.append((1, c, s, v))
        for s, v in con.c.items():
            ic_col[s].append((c, v))
    for s in range(npub + 1):
        a_col[s].append((m + s, 1))
        ic_col[s].append((n + m + s, 1))
        coeffs.append((0, m + s, s, 1))
    stacked = np.concatenate([_g1s(tau1), _g1s(beta1), _g1s(alpha1)])
    ic_all = _combine(stacked, ic_col)
    a = _combine(_g1s(tau1), a_col)
    b1 = _combine(_g1s(tau1), b_col)
    b2 = _combine(np.ascontiguousarray(tau2), b_col)
    h = np.ascontiguousarray(pf.lagrange(12, power + 1)[1::2])

    sec: dict[int, bytes] = {1: struct.pack("<I", GROTH16)}
    g2gen, g1gen = g2_bytes(CURVE.g2), g1_bytes(CURVE.g1)
    alpha_b = pf.points(ALPHA_TAU_G1, 0, 1).tobytes()
    beta_b = pf.points(BETA_TAU_G1, 0, 1).tobytes()
    beta2_b = pf.points(BETA_G2, 0, 1).tobytes()
    sec[2] = b"".join(
        [
            struct.pack("<I", 32), R_Q.to_bytes(32, "little"), struct.pack("<I", 32),
            R.to_bytes(32, "little"), struct.pack("<III", nvars, npub, n),
            alpha_b, beta_b, beta2_b, g2gen, g1gen, g2gen,
        ]
    )  # fmt: skip
    r2 = R_MONT * R_MONT % R
    sec[4] = struct.pack("<I", len(coeffs)) + b"".join(
        struct.pack("<III", mt, c, s) + (v % R * r2 % R).to_bytes(32, "little")
        for mt, c, s, v in coeffs
    )
    sec[3] = ic_all[: npub + 1].tobytes()
    sec[9] = h.tobytes()
    sec[8] = ic_all[npub + 1 :].tobytes()
    sec[5], sec[6], sec[7] = a.tobytes(), b1.tobytes(), b2.tobytes()

    hasher = hashlib.blake2b(digest_size=64)
    for raw in (alpha_b, beta_b):
        hasher.update(encoding.uncompressed(np.frombuffer(raw, "<u8").reshape(1, 2, 4), FQ))
    hasher.update(encoding.uncompressed(np.frombuffer(beta2_b, "<u8").reshape(1, 2, 2, 4), FQ))
    hasher.update(g2_uncompressed(CURVE.g2) + g1_uncompressed(CURVE.g1) + g2_uncompressed(CURVE.g2))
    hasher.update(_u32be(npub + 1) + encoding.uncompressed(ic_all[: npub + 1], FQ))
    count = n - 1 if n - 1 <= HASH_CHUNK else -(-(n - 1) // HASH_CHUNK) * HASH_CHUNK
    hasher.update(_u32be(n - 1))
    diffs = np.concatenate([_g1s(pf.points(TAU_G1, 0, count)), _g1s(pf.points(TAU_G1, n, count))])
    hasher.update(
        encoding.uncompressed(
            _combine(diffs, [[(count + i, 1), (i, -1)] for i in range(count)]), FQ
        )
    )
    for arr in (ic_all[npub + 1 :], a, b1, b2):
        hasher.update(_u32be(len(arr)) + encoding.uncompressed(arr, FQ))
    circuit_hash = hasher.digest()
    sec[10] = circuit_hash + struct.pack("<I", 0)
    return InitialKey(sec, circuit_hash)


def write_sections(path: str, sections: dict[int, bytes], order=DEFAULT_ORDER) -> None:
    write_binfile(path, BinFile("zkey", 1, [(s, sections[s]) for s in order]))


# --- contributions --------------------------------------------------------------------------
@dataclass(frozen=True)
class ZkeyContribution:
    delta_after: object
    g1_s: object
    g1_sx: object
    g2_spx: object
    transcript: bytes
    type: int = 0
    name: str = ""
    iterations_exp: int | None = None
    beacon_hash: bytes | None = None

    def public_bytes(self) -> bytes:
        """What ``hashPubKey`` hashes: the points uncompressed, then the transcript."""
        return (
            g1_uncompressed(self.delta_after) + g1_uncompressed(self.g1_s)
            + g1_uncompressed(self.g1_sx) + g2_uncompressed(self.g2_spx) + self.transcript
        )  # fmt: skip

    def hash(self) -> bytes:
        return hashlib.blake2b(self.public_bytes(), digest_size=64).digest()

    def encode(self) -> bytes:
        params = encode_params(self.name, self.type, self.iterations_exp, self.beacon_hash)
        return b"".join(
            [
                g1_bytes(self.delta_after), g1_bytes(self.g1_s), g1_bytes(self.g1_sx),
                g2_bytes(self.g2_spx), self.transcript, struct.pack("<II", self.type, len(params)),
                params,
            ]
        )  # fmt: skip


def decode_mpc(data: bytes, path: str) -> tuple[bytes, list[ZkeyContribution]]:
    where = "section 10 (contributions)"
    if len(data) < 68:
        raise InputError(path, where, "truncated")
    circuit_hash = data[:64]
    (n,) = struct.unpack_from("<I", data, 64)
    pos, out = 68, []
    for i in range(n):
        label = f"{where}: contribution #{i + 1}"
        fixed = 3 * G1_BYTES + G2_BYTES + 64 + 8
        if pos + fixed > len(data):
            raise InputError(path, label, "truncated")
        b = data[pos:]
        pts = [g1_point(b[k * 64 : (k + 1) * 64], f"{label}: G1 point", path) for k in range(3)]
        g2 = g2_point(b[192:320], f"{label}: G2 point", path)
        transcript = bytes(b[320:384])
        type_, plen = struct.unpack_from("<II", b, 384)
        if pos + fixed + plen > len(data):
            raise InputError(path, label, "parameter block runs past the section")
        name, exp, beacon = decode_params(bytes(b[392 : 392 + plen]), path, label)
        out.append(ZkeyContribution(*pts, g2, transcript, type_, name, exp, beacon))
        pos += fixed + plen
    if pos != len(data):
        raise InputError(path, where, f"{len(data) - pos} bytes after the last contribution")
    return circuit_hash, out


def encode_mpc(circuit_hash: bytes, contribs: list[ZkeyContribution]) -> bytes:
    return circuit_hash + struct.pack("<I", len(contribs)) + b"".join(c.encode() for c in contribs)


def _read_zkey(path: str) -> BinFile:
    bf = read_binfile(path, "zkey", max_version=1)
    if struct.unpack("<I", bf.section(1, "header"))[0] != GROTH16:
        raise InputError(path, "section 1 (header)", "not a Groth16 key")
    head = bf.section(2, "groth header")
    if len(head) != 4 + 32 + 4 + 32 + 12 + 3 * G1_BYTES + 3 * G2_BYTES or head[
        4:36
    ] != R_Q.to_bytes(32, "little"):
        raise InputError(path, "section 2 (groth header)", "not a bn128 key of the expected size")
    return bf


_SIZES = 4 + 32 + 4 + 32 + 12  # primes and nVars, nPublic, domainSize in section 2
_DELTA1 = _SIZES + 2 * G1_BYTES + 2 * G2_BYTES  # offset of delta1


def _deltas(head: bytes, path: str):
    d1 = g1_point(head[_DELTA1 : _DELTA1 + G1_BYTES], "delta1", path)
    d2 = g2_point(head[_DELTA1 + G1_BYTES :], "delta2", path)
    return d1, d2


def _contribute(src: str, dst: str, derive, name: str, beacon: tuple[bytes, int] | None) -> bytes:
    bf = _read_zkey(src)
    circuit_hash, contribs = decode_mpc(bf.section(10, "contributions"), src)
    head_hash = circuit_hash + b"".join(c.public_bytes() for c in contribs)
    x, s, sx, transcript, g2_spx = delta_key(derive(), head_hash)
    head = bf.section(2)
    d1, d2 = _deltas(head, src)
    new_d1, new_d2 = CURVE.g1_mul(d1, x), CURVE.g2_mul(d2, x)
    c = ZkeyContribution(
        new_d1, s, sx, g2_spx, transcript, 1 if beacon else 0, name,
        beacon[1] if beacon else None, beacon[0] if beacon else None,
    )  # fmt: skip
    inv = [pow(x, -1, R)]
    sections = {sid: payload for sid, payload in bf.sections}
    sections[2] = head[:_DELTA1] + g1_bytes(new_d1) + g2_bytes(new_d2)
    for sid in (8, 9):
        pts = np.frombuffer(sections[sid], dtype="<u8").reshape(-1, 2, 1, 4)
        sections[sid] = scale(pts, inv, FQ).tobytes()
    sections[10] = encode_mpc(circuit_hash, [*contribs, c])
    write_sections(dst, sections, order=range(1, 11))
    return c.hash()


def contribute(src: str, dst: str, name: str, rng: ChaCha) -> bytes:
    """Add a delta contribution drawn from ``rng``; returns its contribution hash."""
    return _contribute(src, dst, lambda: rng, name, None)


def beacon(src: str, dst: str, name: str, beacon_hex: str, iterations_exp: int | str) -> bytes:
    """Add the beacon contribution (its secret from ``2^iterations_exp`` SHA-256 iterations)."""
    b, exp = parse_beacon(beacon_hex, iterations_exp)
    return _contribute(src, dst, lambda: beacon_rng(b, exp), name, (b, exp))


# --- verification ---------------------------------------------------------------------------
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
    bf = _read_zkey(zkey_path)
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
    init = initial_key(r1cs, ptau_path, r1cs_path)
    head, init_head = bf.section(2), init.sections[2]
    if head[:_SIZES] != init_head[:_SIZES]:
        raise CeremonyFailure(f"{zkey_path}: different circuit sizes than {r1cs_path}")
    if head[_SIZES:_DELTA1] != init_head[_SIZES:_DELTA1]:
        raise CeremonyFailure(f"{zkey_path}: alpha, beta or gamma differ from the ptau's")
    d1, d2 = _deltas(head, zkey_path)
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
