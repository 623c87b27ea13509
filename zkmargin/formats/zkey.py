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

Encodings (facts from snarkjs ``zkey_utils.js`` / ``zkey_new.js`` and ffjavascript):

* base-field coordinates are little-endian in **Montgomery form**, ``x·R mod q`` with
  ``R = 2^(8·n8q)`` (``G1.toRprLEM`` copies ffjavascript's internal form); G2 coordinates are
  ``x.c0, x.c1, y.c0, y.c1``;
* the point at infinity is stored as all-zero coordinates (wasmcurves' ``isZeroAffine``): ``(0, 0)``
  lies on neither curve, so this is unambiguous;
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
from dataclasses import dataclass, field, fields

from zkmargin.errors import InputError
from zkmargin.formats.binfile import BinFile, Cursor, field_bytes, read_binfile, write_binfile

G1 = tuple[int, int] | None
"""Affine G1 point ``(x, y)`` with plain integer coordinates; ``None`` is the point at infinity."""
G2 = tuple[tuple[int, int], tuple[int, int]] | None
"""Affine G2 point ``((x.c0, x.c1), (y.c0, y.c1))``; ``None`` is the point at infinity."""

MAGIC = "zkey"
VERSION = 1
GROTH16 = 1
HEADER, GROTH_HEADER, IC, COEFFS, POINTS_A, POINTS_B1, POINTS_B2, POINTS_C, POINTS_H = range(1, 10)
CONTRIBUTIONS = 10
DEFAULT_ORDER = (1, 2, 4, 3, 9, 8, 5, 6, 7, 10)
"""Section order of ``snarkjs groth16 setup``."""
_INTERPRETED = frozenset(range(1, 10))


@dataclass(frozen=True)
class CurveParams:
    """The constants a ``.zkey`` reader needs: snarkjs curve name, base prime ``q``, scalar prime
    ``r`` and the curve equations ``y² = x³ + b`` (G1) and ``y² = x³ + b2`` over ``Fq[u]/(u²+1)``."""

    name: str
    q: int
    r: int
    b: int
    b2: tuple[int, int]


def _bn254() -> CurveParams:
    q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
    # b2 = 3 / (9 + u) = 3·(9 − u) / 82
    inv82 = pow(82, -1, q)
    return CurveParams(
        "bn128",
        q,
        21888242871839275222246405745257275088548364400416034343698204186575808495617,
        3,
        (27 * inv82 % q, -3 * inv82 % q),
    )


CURVES: dict[str, CurveParams] = {
    "bn128": _bn254(),
    "bls12381": CurveParams(
        "bls12381",
        0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB,
        0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001,
        4,
        (4, 4),
    ),
}


@dataclass(frozen=True)
class GrothHeader:
    """Sections 1 and 2 of a ``.zkey``: curve, sizes and the fixed points (plain affine).

    The common head of :class:`ZKey` and :class:`~zkmargin.formats.zkey_arrays.ZKeyArrays`
    (both extend it with the large sections).
    """

    curve: str
    n_vars: int
    n_public: int
    domain_size: int
    alpha1: G1
    beta1: G1
    beta2: G2
    gamma2: G2
    delta1: G1
    delta2: G2

    @property
    def params(self) -> CurveParams:
        return CURVES[self.curve]


def header_fields(key: GrothHeader) -> dict[str, object]:
    """The :class:`GrothHeader` fields of ``key`` (a header, :class:`ZKey` or ``ZKeyArrays``),
    as keyword arguments for building another of them."""
    return {f.name: getattr(key, f.name) for f in fields(GrothHeader)}


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


class _Codec:
    """Bulk conversion between Montgomery little-endian bytes and plain points for one curve."""

    def __init__(self, params: CurveParams) -> None:
        self.p = params
        self.q = params.q
        self.n8q = field_bytes(params.q)
        self.n8r = field_bytes(params.r)
        self.mont = (1 << (8 * self.n8q)) % self.q
        self.mont_inv = pow(self.mont, -1, self.q)
        r_r = (1 << (8 * self.n8r)) % params.r
        self.r2 = r_r * r_r % params.r
        self.r2_inv = pow(self.r2, -1, params.r)

    # -- decoding -------------------------------------------------------------------------
    def coords(self, cur: Cursor, count: int, what: str) -> list[int]:
        """``count`` base-field coordinates out of Montgomery form; rejects values ``>= q``."""
        n8, q, rinv = self.n8q, self.q, self.mont_inv
        raw = cur.take(count * n8, what)
        vals = [int.from_bytes(raw[i : i + n8], "little") for i in range(0, count * n8, n8)]
        if vals and max(vals) >= q:
            bad = next(i for i, v in enumerate(vals) if v >= q)
            raise cur.fail(f"{what}: coordinate #{bad} is not below the base-field prime q")
        return [v * rinv % q for v in vals]

    def g1s(self, cur: Cursor, count: int, what: str, validate: bool) -> list[G1]:
        v = self.coords(cur, 2 * count, what)
        xs, ys = v[0::2], v[1::2]
        pts: list[G1] = [None if x == 0 and y == 0 else (x, y) for x, y in zip(xs, ys, strict=True)]
        if validate:
            q, b = self.q, self.p.b
            for i, pt in enumerate(pts):
                if pt is not None and (pt[1] * pt[1] - pt[0] * pt[0] * pt[0] - b) % q:
                    raise cur.fail(f"{what}: point #{i} is not on the G1 curve")
        return pts

    def g2s(self, cur: Cursor, count: int, what: str, validate: bool) -> list[G2]:
        v = self.coords(cur, 4 * count, what)
        pts: list[G2] = []
        for i in range(0, 4 * count, 4):
            x0, x1, y0, y1 = v[i : i + 4]
            pts.append(None if not (x0 or x1 or y0 or y1) else ((x0, x1), (y0, y1)))
        if validate:
            for i, pt in enumerate(pts):
                if pt is not None and not self.on_g2(pt):
                    raise cur.fail(f"{what}: point #{i} is not on the G2 curve")
        return pts

    def on_g2(self, pt: tuple[tuple[int, int], tuple[int, int]]) -> bool:
        q = self.q
        (x0, x1), (y0, y1) = pt
        # Fq2 with u² = −1 for both curves
        xx0, xx1 = (x0 * x0 - x1 * x1) % q, 2 * x0 * x1 % q
        xxx0, xxx1 = (xx0 * x0 - xx1 * x1) % q, (xx0 * x1 + xx1 * x0) % q
        yy0, yy1 = (y0 * y0 - y1 * y1) % q, 2 * y0 * y1 % q
        b0, b1 = self.p.b2
        return (yy0 - xxx0 - b0) % q == 0 and (yy1 - xxx1 - b1) % q == 0

    # -- encoding -------------------------------------------------------------------------
    def enc_coords(self, values: list[int]) -> bytes:
        n8, q, m = self.n8q, self.q, self.mont
        return b"".join((v * m % q).to_bytes(n8, "little") for v in values)

    def enc_g1s(self, pts: list[G1]) -> bytes:
        flat: list[int] = []
        for pt in pts:
            flat.extend((0, 0) if pt is None else pt)
        return self.enc_coords(flat)

    def enc_g2s(self, pts: list[G2]) -> bytes:
        flat: list[int] = []
        for pt in pts:
            if pt is None:
                flat.extend((0, 0, 0, 0))
            else:
                flat.extend((*pt[0], *pt[1]))
        return self.enc_coords(flat)


def decode_g1_points(
    data: bytes, curve: str, *, source: str = "<bytes>", validate: bool = True
) -> list[G1]:
    """G1 points from ffjavascript's affine Montgomery little-endian encoding (as in ``.zkey`` and
    ``.ptau`` sections); ``len(data)`` must be a multiple of the point size.

    >>> p = CURVES["bn128"]
    >>> mont = (1 << 256) % p.q
    >>> data = (mont).to_bytes(32, "little") + (2 * mont % p.q).to_bytes(32, "little")
    >>> decode_g1_points(data + bytes(64), "bn128")
    [(1, 2), None]
    """
    codec = _Codec(CURVES[curve])
    cur = Cursor(data, source, "G1 points")
    size = 2 * codec.n8q
    if len(data) % size:
        raise cur.fail(f"size {len(data)} bytes is not a multiple of {size}")
    return codec.g1s(cur, len(data) // size, "G1 points", validate)


def _curve_for_q(q: int) -> CurveParams | None:
    return next((c for c in CURVES.values() if c.q == q), None)


def read_groth_header(bf: BinFile, *, validate: bool = True) -> GrothHeader:
    """Sections 1 and 2 of a parsed ``.zkey`` container, checked as :func:`read_zkey` does
    (shared with the array reader :mod:`zkmargin.formats.zkey_arrays`)."""
    name = bf.path
    head = Cursor(bf.section(HEADER, "header"), name, "section 1 (header)")
    protocol = head.u32("protocol")
    head.end()
    if protocol != GROTH16:
        raise head.fail(f"protocol {protocol} is not Groth16 (1); only Groth16 keys are supported")

    cur = Cursor(bf.section(GROTH_HEADER, "Groth16 header"), name, "section 2 (Groth16 header)")
    n8q = cur.u32("n8q")
    q = cur.uint(n8q, "q")
    params = _curve_for_q(q)
    if params is None:
        raise cur.fail(f"base-field prime {q} not supported (bn128 or bls12381)")
    codec = _Codec(params)
    if n8q != codec.n8q:
        raise cur.fail(f"n8q = {n8q}, expected {codec.n8q}")
    n8r = cur.u32("n8r")
    if n8r != codec.n8r:
        raise cur.fail(f"n8r = {n8r}, expected {codec.n8r}")
    r = cur.uint(n8r, "r")
    if r != params.r:
        raise cur.fail(f"scalar prime {r} does not match {params.name}")
    n_vars = cur.u32("nVars")
    n_public = cur.u32("nPublic")
    domain_size = cur.u32("domainSize")
    if domain_size == 0 or domain_size & (domain_size - 1):
        raise cur.fail(f"domainSize {domain_size} is not a power of two")
    if n_public + 1 > n_vars:
        raise cur.fail(f"nPublic {n_public} leaves no room in {n_vars} wires")
    alpha1, beta1 = codec.g1s(cur, 2, "alpha1/beta1", validate)
    beta2, gamma2 = codec.g2s(cur, 2, "beta2/gamma2", validate)
    (delta1,) = codec.g1s(cur, 1, "delta1", validate)
    (delta2,) = codec.g2s(cur, 1, "delta2", validate)
    cur.end()
    return GrothHeader(
        params.name, n_vars, n_public, domain_size, alpha1, beta1, beta2, gamma2, delta1, delta2
    )


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
    codec = _Codec(params)

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
    bf: BinFile, codec: _Codec, r: int, n_vars: int, domain_size: int
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
    codec = _Codec(params)
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
