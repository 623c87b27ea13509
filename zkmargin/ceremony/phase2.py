"""Groth16 phase 2, snarkjs-compatible: the initial key from an R1CS and a prepared ptau.

The initial key (snarkjs ``zkey_new.js``, byte for byte): ``alpha``, ``beta`` from the ptau,
``gamma = delta = 1``; ``A[s] = Σ a_cs·L_c(τ)``, ``B[s]`` likewise in G1 and G2 from the
circuit's columns and the Lagrange points of the domain (rows ``m + s`` add the public
inputs), ``IC``/``C`` = ``Σ (a_cs·β + b_cs·α + c_cs)·L_c(τ)`` from the beta/alpha/tau Lagrange
sections, ``H`` the odd Lagrange points of the doubled domain. The *circuit hash* is BLAKE2b-512
over the header points and each point section uncompressed, each preceded by its count as a
big-endian u32 — with the H section replaced by the points ``(τ^(n+i) − τ^i)·G1`` (snarkjs
hashes those; for domains above 2^14 its chunked loop takes whole chunks of 2^14, so the count
rounds up to the next multiple: reproduced here).

Contributions are in :mod:`.zkey_contribute`, the check of a whole key in :mod:`.zkey_verify`.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np

from zkmargin.ceremony import encoding
from zkmargin.ceremony.combine import combine
from zkmargin.ceremony.keys import (
    CURVE,
    g1_uncompressed,
    g2_uncompressed,
)
from zkmargin.dsl.r1cs import R1CS
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import ints_to_limbs
from zkmargin.formats.binfile import BinFile, write_binfile
from zkmargin.formats.ptau import (
    ALPHA_TAU_G1,
    BETA_G2,
    BETA_TAU_G1,
    FQ,
    TAU_G1,
    PtauFile,
    g1_bytes,
    g2_bytes,
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
