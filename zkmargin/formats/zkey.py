"""snarkjs ``.zkey`` proving keys, Groth16 only, read and written as :class:`ZKey`.

File layout (magic ``zkey``, version 1; ``groth16 setup`` writes the sections in the order
1, 2, 4, 3, 9, 8, 5, 6, 7, 10, ``zkey contribute`` in the order 1 … 10):

==  ==========  ==============================================================================
id  name        content
==  ==========  ==============================================================================
1   header      protocol u32 (1 = Groth16; PLONK = 2 and FFLONK = 10 are refused)
2   groth       ``n8q`` u32, q, ``n8r`` u32, r, nVars u32, nPublic u32, domainSize u32,
                alpha1, beta1 (G1), beta2, gamma2 (G2), delta1 (G1), delta2 (G2)
3   IC          nPublic + 1 G1 points
4   coeffs      count u32, then per entry matrix u32 (0 = A, 1 = B), constraint u32, signal u32,
                value (``n8r`` bytes)
5   A           nVars G1          6  B1  nVars G1          7  B2  nVars G2
8   C           nVars − nPublic − 1 G1 (the private wires only)
9   H           domainSize G1
10  contribs    ceremony record: circuit hash (64 bytes) and the contributions; kept as raw bytes
==  ==========  ==============================================================================

Encodings (facts from snarkjs ``zkey_utils.js`` / ``zkey_new.js`` and ffjavascript); points
as :mod:`zkmargin.formats.point_codec` describes, and:

* coefficient values are stored as ``v·R² mod r`` with ``R = 2^(8·n8r)``, written in standard
  form (``zkey_new`` multiplies the Montgomery element by ``R²``; ``readZKey`` multiplies by
  ``R⁻²``). Read as a Montgomery element that is ``v·R``, so a Montgomery product with a
  standard-form witness value gives ``v·w`` in Montgomery form — the trick snarkjs's prover uses.
  :class:`ZKey` holds the plain ``v``.
* the coefficient list holds the A and B entries of every constraint in file order, then one
  extra A entry ``(0, n_constraints + i, i, 1)`` per public wire ``i = 0..n_public`` (the rows
  that make public inputs independent); C is not stored (the prover gets it from A·B).

The H section (what the prover multiplies by): with ``n = domain_size`` and ``ω`` the primitive
``2n``-th root of unity as ffjavascript picks it (``Fr.w[log2(2n)]``, a power of the smallest
quadratic non-residue, 5 for BN254), ``H[i] = [L_{2i+1}(τ) / δ]₁`` where ``L_k`` is the
Lagrange basis polynomial of the size-``2n`` domain ``{ω^k}`` (``preparephase2`` stores the
Lagrange points of every power; ``zkey_new`` keeps the odd ones of size ``2n``; each
contribution divides by its δ). Since ``p = A·B − C`` has degree ≤ 2n − 2 and vanishes on the
even points ``ω^{2i}`` (the size-``n`` domain), ``Σᵢ p(ω^{2i+1})·H[i] = [h(τ)·Z(τ)/δ]₁``: the
prover's scalars are ``A(x)·B(x) − C(x)`` evaluated on the odd coset ``ω·⟨ω²⟩``, with no
division by ``Z`` (which is −2 there).

>>> import dataclasses, os, tempfile
>>> g1 = (1, 2)  # BN254's G1 generator
>>> zk = ZKey("bn128", n_vars=1, n_public=0, domain_size=1, alpha1=g1, beta1=g1, beta2=None,
...           gamma2=None, delta1=g1, delta2=None, ic=[g1], coeffs=[(0, 0, 0, 1)], a=[g1],
...           b1=[None], b2=[None], c=[None], h=[None])
>>> path = os.path.join(tempfile.mkdtemp(), "tiny.zkey")
>>> write_zkey(path, zk)
>>> back = read_zkey(path)
>>> back.section_order  # snarkjs's setup order; no ceremony section 10 for a key made here
[1, 2, 4, 3, 9, 8, 5, 6, 7]
>>> dataclasses.replace(back, section_order=[]) == zk
True
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

from zkmargin.errors import InputError
from zkmargin.formats.binfile import BinFile, Cursor, read_binfile, write_binfile
from zkmargin.formats.point_codec import CURVES, G1, G2, PointCodec
from zkmargin.formats.zkey_header import (
    COEFFS,
    DEFAULT_ORDER,
    GROTH16,
    GROTH_HEADER,
    HEADER,
    IC,
    MAGIC,
    POINTS_A,
    POINTS_B1,
    POINTS_B2,
    POINTS_C,
    POINTS_H,
    VERSION,
    GrothHeader,
    header_fields,
    read_groth_header,
)

_INTERPRETED = frozenset(range(1, 10))


@dataclass(frozen=True)
class ZKey(GrothHeader):
    """A Groth16 proving key as snarkjs stores it (see the module docstring for every encoding).

    Points are affine with plain (non-Montgomery) integer coordinates; ``None`` is infinity.
    ``c[: n_public + 1]`` are ``None`` placeholders (the file stores C for private wires only).
    ``raw_sections`` keeps the bytes of sections not interpreted here (10, the ceremony record,
    and any unknown id) and ``section_order`` the file's section order, so that
    ``write_zkey(read_zkey(f))`` reproduces ``f`` byte for byte. A key built from scratch may leave
    both empty: sections 1–9 are then written in snarkjs's order, without a section 10 (as
    snarkjs's own ``writeZKey`` does).
    """

    ic: list[G1]
    coeffs: list[tuple[int, int, int, int]]
    a: list[G1]
    b1: list[G1]
    b2: list[G2]
    c: list[G1]
    h: list[G1]
    raw_sections: dict[int, bytes] = field(default_factory=dict)
    section_order: list[int] = field(default_factory=list)


def read_zkey(path: str | os.PathLike[str], *, validate: bool = True) -> ZKey:
    """Read a Groth16 ``.zkey`` made by snarkjs (or by :func:`write_zkey`).

    With ``validate`` every point is checked to lie on its curve (subgroup membership is not
    checked here). Raises :class:`~zkmargin.errors.InputError` naming the file and section for
    a malformed file, a non-Groth16 key, or an unsupported curve.
    """
    bf = read_binfile(path, MAGIC, max_version=VERSION)
    name = bf.path
    hd = read_groth_header(bf, validate=validate)
    params, n_vars, n_public, domain_size = hd.params, hd.n_vars, hd.n_public, hd.domain_size
    codec = PointCodec(params)

    def points(sid: int, label: str, count: int, g2: bool = False) -> list:
        sec = Cursor(bf.section(sid, label), name, f"section {sid} ({label})")
        size = count * codec.n8q * (4 if g2 else 2)
        if len(sec.data) != size:
            raise sec.fail(f"size {len(sec.data)} bytes, expected {size} for {count} points")
        if g2:
            return codec.g2s(sec, count, label, validate)
        return codec.g1s(sec, count, label, validate)

    ic = points(IC, "IC", n_public + 1)
    coeffs = _decode_coeffs(bf, codec, params.r, n_vars, domain_size)
    a = points(POINTS_A, "A", n_vars)
    b1 = points(POINTS_B1, "B1", n_vars)
    b2 = points(POINTS_B2, "B2", n_vars, g2=True)
    c = [None] * (n_public + 1) + points(POINTS_C, "C", n_vars - n_public - 1)
    h = points(POINTS_H, "H", domain_size)
    seen: set[int] = set()
    raw: dict[int, bytes] = {}
    for sid, payload in bf.sections:
        if sid in seen:
            raise InputError(name, f"section {sid}", "appears more than once")
        seen.add(sid)
        if sid not in _INTERPRETED:
            raw[sid] = payload
    return ZKey(
        **header_fields(hd),
        ic=ic,
        coeffs=coeffs,
        a=a,
        b1=b1,
        b2=b2,
        c=c,
        h=h,
        raw_sections=raw,
        section_order=bf.ids(),
    )


_COEFF_HEAD = struct.Struct("<III")


def _decode_coeffs(
    bf: BinFile, codec: PointCodec, r: int, n_vars: int, domain_size: int
) -> list[tuple[int, int, int, int]]:
    cur = Cursor(bf.section(COEFFS, "coefficients"), bf.path, "section 4 (coefficients)")
    n = cur.u32("count")
    step = 12 + codec.n8r
    if len(cur.data) != 4 + n * step:
        raise cur.fail(f"size {len(cur.data)} bytes, expected {4 + n * step} for {n} entries")
    data, view, r2_inv = cur.data, cur.view, codec.r2_inv
    unpack = _COEFF_HEAD.unpack_from
    out: list[tuple[int, int, int, int]] = []
    for pos in range(4, 4 + n * step, step):
        m, con, sig = unpack(data, pos)
        stored = int.from_bytes(view[pos + 12 : pos + step], "little")
        if m > 1 or sig >= n_vars or con >= domain_size or stored >= r:
            raise cur.fail(
                f"entry #{(pos - 4) // step} (matrix {m}, constraint {con}, signal {sig}) "
                "is out of range"
            )
        out.append((m, con, sig, stored * r2_inv % r))
    return out


def write_zkey(path: str | os.PathLike[str], zkey: ZKey) -> None:
    """Write ``zkey`` as a snarkjs ``.zkey`` file, atomically (temporary file, then rename).

    ``ValueError`` if a list has the wrong length, a coefficient entry is out of range (matrix
    0 or 1, constraint below the domain size, signal below ``n_vars``, value in ``[0, r)``) or
    the curve is unknown.
    """
    if zkey.curve not in CURVES:
        raise ValueError(f"unknown curve {zkey.curve!r}; expected one of {sorted(CURVES)}")
    params = CURVES[zkey.curve]
    codec = PointCodec(params)
    nv, npub = zkey.n_vars, zkey.n_public
    for label, got, want in (
        ("ic", len(zkey.ic), npub + 1),
        ("a", len(zkey.a), nv),
        ("b1", len(zkey.b1), nv),
        ("b2", len(zkey.b2), nv),
        ("c", len(zkey.c), nv),
        ("h", len(zkey.h), zkey.domain_size),
    ):
        if got != want:
            raise ValueError(f"zkey.{label} has {got} entries, expected {want}")
    r = params.r
    for i, (m, con, sig, v) in enumerate(zkey.coeffs):
        if (
            m not in (0, 1)
            or not 0 <= con < zkey.domain_size
            or not 0 <= sig < nv
            or not 0 <= v < r
        ):
            raise ValueError(f"zkey.coeffs[{i}] = {(m, con, sig, v)} is out of range")
    header = b"".join(
        [
            struct.pack("<I", codec.n8q),
            params.q.to_bytes(codec.n8q, "little"),
            struct.pack("<I", codec.n8r),
            r.to_bytes(codec.n8r, "little"),
            struct.pack("<III", nv, npub, zkey.domain_size),
            codec.enc_g1s([zkey.alpha1, zkey.beta1]),
            codec.enc_g2s([zkey.beta2, zkey.gamma2]),
            codec.enc_g1s([zkey.delta1]),
            codec.enc_g2s([zkey.delta2]),
        ]
    )
    r2, n8r, pack = codec.r2, codec.n8r, _COEFF_HEAD.pack
    coeffs = b"".join(
        [struct.pack("<I", len(zkey.coeffs))]
        + [
            pack(m, con, sig) + (v * r2 % r).to_bytes(n8r, "little")
            for m, con, sig, v in zkey.coeffs
        ]
    )
    payloads = {
        HEADER: struct.pack("<I", GROTH16),
        GROTH_HEADER: header,
        IC: codec.enc_g1s(zkey.ic),
        COEFFS: coeffs,
        POINTS_A: codec.enc_g1s(zkey.a),
        POINTS_B1: codec.enc_g1s(zkey.b1),
        POINTS_B2: codec.enc_g2s(zkey.b2),
        POINTS_C: codec.enc_g1s(zkey.c[npub + 1 :]),
        POINTS_H: codec.enc_g1s(zkey.h),
        **zkey.raw_sections,
    }
    order = zkey.section_order or [s for s in DEFAULT_ORDER if s in payloads]
    if sorted(order) != sorted(payloads):
        raise ValueError(
            f"section_order {order} must list each of the sections {sorted(payloads)} once"
        )
    write_binfile(path, BinFile(MAGIC, VERSION, [(s, payloads[s]) for s in order]))
