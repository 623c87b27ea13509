"""Curve points as snarkjs stores them (``.zkey`` and ``.ptau`` sections): the curves' constants
and the byte encoding of affine points, both ways.

Encodings (facts from snarkjs ``zkey_utils.js`` and ffjavascript):

* base-field coordinates are little-endian in **Montgomery form**, ``x·R mod q`` with
  ``R = 2^(8·n8q)`` (``G1.toRprLEM`` copies ffjavascript's internal form); G2 coordinates are
  ``x.c0, x.c1, y.c0, y.c1``;
* the point at infinity is stored as all-zero coordinates (wasmcurves' ``isZeroAffine``): ``(0, 0)``
  lies on neither curve, so this is unambiguous.

>>> p = CURVES["bn128"]
>>> mont = (1 << 256) % p.q
>>> data = (mont).to_bytes(32, "little") + (2 * mont % p.q).to_bytes(32, "little")
>>> decode_g1_points(data + bytes(64), "bn128")
[(1, 2), None]
"""

from __future__ import annotations

from dataclasses import dataclass

from zkmargin.formats.binfile import Cursor, field_bytes

G1 = tuple[int, int] | None
"""Affine G1 point ``(x, y)`` with plain integer coordinates; ``None`` is the point at infinity."""
G2 = tuple[tuple[int, int], tuple[int, int]] | None
"""Affine G2 point ``((x.c0, x.c1), (y.c0, y.c1))``; ``None`` is the point at infinity."""


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


class PointCodec:
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
    ``.ptau`` sections); ``len(data)`` must be a multiple of the point size."""
    codec = PointCodec(CURVES[curve])
    cur = Cursor(data, source, "G1 points")
    size = 2 * codec.n8q
    if len(data) % size:
        raise cur.fail(f"size {len(data)} bytes is not a multiple of {size}")
    return codec.g1s(cur, len(data) // size, "G1 points", validate)


def curve_for_q(q: int) -> CurveParams | None:
    """The curve whose base-field prime is ``q``, if it is one of :data:`CURVES`."""
    return next((c for c in CURVES.values() if c.q == q), None)
