"""The head of a snarkjs ``.zkey``: the file's constants (magic, version, section ids) and
sections 1 and 2 (protocol; curve, sizes and the fixed points), read by both the reference
reader (:mod:`zkmargin.formats.zkey`) and the array reader (:mod:`zkmargin.formats.zkey_arrays`).
The file layout is in :mod:`zkmargin.formats.zkey`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from zkmargin.formats.binfile import BinFile, Cursor
from zkmargin.formats.point_codec import CURVES, G1, G2, CurveParams, PointCodec, curve_for_q

MAGIC = "zkey"
VERSION = 1
GROTH16 = 1
HEADER, GROTH_HEADER, IC, COEFFS, POINTS_A, POINTS_B1, POINTS_B2, POINTS_C, POINTS_H = range(1, 10)
DEFAULT_ORDER = (1, 2, 4, 3, 9, 8, 5, 6, 7, 10)
"""Section order of ``snarkjs groth16 setup``."""


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
    params = curve_for_q(q)
    if params is None:
        raise cur.fail(f"base-field prime {q} not supported (bn128 or bls12381)")
    codec = PointCodec(params)
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
