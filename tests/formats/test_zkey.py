"""Groth16 `.zkey` files: snarkjs's keys read and rewritten byte for byte, their encodings checked
against independent facts (generators, the r1cs coefficients, pairings), our keys accepted by
snarkjs, and malformed files refused with one clear error."""

from __future__ import annotations

import dataclasses
import json
import struct
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from py_ecc import bls12_381, bn128, optimized_bls12_381, optimized_bn128
from snarkjs_pipeline import export_verification_key, groth16_prove, groth16_verify

from zkmargin.errors import InputError
from zkmargin.formats import ZKey, read_r1cs, read_zkey, write_zkey
from zkmargin.formats.binfile import BinFile, encode_binfile, read_binfile
from zkmargin.formats.point_codec import CURVES, decode_g1_points

CURVE_NAMES = ["bn128", "bls12381"]
REFERENCE = {"bn128": (bn128, optimized_bn128), "bls12381": (bls12_381, optimized_bls12_381)}


def _g1(curve: str, point: object) -> tuple[int, int]:
    x, y = point
    return int(x), int(y)


def _g2(curve: str, point: object) -> tuple[tuple[int, int], tuple[int, int]]:
    x, y = point
    return (int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1]))


@cache
def _pool(curve: str) -> tuple[list, list]:
    """A few valid G1 and G2 points (k·G for small k) computed by py_ecc, plus infinity."""
    _, opt = REFERENCE[curve]
    g1 = [None] + [_g1(curve, opt.normalize(opt.multiply(opt.G1, k))) for k in (1, 2, 3, 5, 7)]
    g2 = [None] + [_g2(curve, opt.normalize(opt.multiply(opt.G2, k))) for k in (1, 2, 3)]
    return g1, g2


@st.composite
def zkeys(draw: st.DrawFn) -> ZKey:
    curve = draw(st.sampled_from(CURVE_NAMES))
    g1s, g2s = _pool(curve)
    g1, g2 = st.sampled_from(g1s), st.sampled_from(g2s)
    n_public = draw(st.integers(0, 3))
    n_vars = n_public + 1 + draw(st.integers(0, 4))
    domain = 2 ** draw(st.integers(0, 4))
    r = CURVES[curve].r
    coeff = st.tuples(
        st.integers(0, 1),
        st.integers(0, domain - 1),
        st.integers(0, n_vars - 1),
        st.sampled_from([0, 1, r - 1]) | st.integers(0, r - 1),
    )
    return ZKey(
        curve=curve,
        n_vars=n_vars,
        n_public=n_public,
        domain_size=domain,
        alpha1=draw(g1),
        beta1=draw(g1),
        beta2=draw(g2),
        gamma2=draw(g2),
        delta1=draw(g1),
        delta2=draw(g2),
        ic=draw(st.lists(g1, min_size=n_public + 1, max_size=n_public + 1)),
        coeffs=draw(st.lists(coeff, max_size=6)),
        a=draw(st.lists(g1, min_size=n_vars, max_size=n_vars)),
        b1=draw(st.lists(g1, min_size=n_vars, max_size=n_vars)),
        b2=draw(st.lists(g2, min_size=n_vars, max_size=n_vars)),
        c=[None] * (n_public + 1)
        + draw(st.lists(g1, min_size=n_vars - n_public - 1, max_size=n_vars - n_public - 1)),
        h=draw(st.lists(g1, min_size=domain, max_size=domain)),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zk=zkeys())
def test_write_read_round_trip(tmp_path: Path, zk: ZKey) -> None:
    write_zkey(tmp_path / "k.zkey", zk)
    back = read_zkey(tmp_path / "k.zkey")
    assert back.section_order == [1, 2, 4, 3, 9, 8, 5, 6, 7]  # snarkjs setup order, no ceremony
    assert dataclasses.replace(back, section_order=[]) == zk


def test_encodings_montgomery_and_infinity(tmp_path: Path) -> None:
    g1s, g2s = _pool("bn128")
    params = CURVES["bn128"]
    zk = ZKey("bn128", 1, 0, 1, g1s[1], None, g2s[1], None, g1s[1], g2s[1],
              ic=[None], coeffs=[(1, 0, 0, 5)], a=[g1s[2]], b1=[None], b2=[None], c=[None], h=[None])  # fmt: skip
    write_zkey(tmp_path / "k.zkey", zk)
    bf = read_binfile(tmp_path / "k.zkey", "zkey", 1)
    mont = (1 << 256) % params.q
    x, y = g1s[2]
    assert bf.section(5) == (x * mont % params.q).to_bytes(32, "little") + (
        y * mont % params.q
    ).to_bytes(32, "little")
    assert bf.section(6) == bytes(64)  # infinity: all-zero coordinates
    r_r = (1 << 256) % params.r
    assert bf.section(4) == struct.pack("<IIII", 1, 1, 0, 0) + (5 * r_r * r_r % params.r).to_bytes(
        32, "little"
    )


@pytest.mark.interop
@pytest.mark.parametrize("curve", CURVE_NAMES)
def test_snarkjs_zkeys_round_trip_byte_for_byte(
    request: pytest.FixtureRequest, tmp_path: Path, curve: str
) -> None:
    keys = request.getfixturevalue(f"{curve}_keys")
    for source, order in (
        (keys.zkey_setup, [1, 2, 4, 3, 9, 8, 5, 6, 7, 10]),
        (keys.zkey, list(range(1, 11))),
    ):
        zk = read_zkey(source)
        assert zk.section_order == order
        assert list(zk.raw_sections) == [10]
        write_zkey(tmp_path / "copy.zkey", zk)
        assert (tmp_path / "copy.zkey").read_bytes() == source.read_bytes()


@pytest.mark.interop
@pytest.mark.parametrize("curve", CURVE_NAMES)
def test_snarkjs_zkey_content(request: pytest.FixtureRequest, curve: str) -> None:
    keys = request.getfixturevalue(f"{curve}_keys")
    ref, _ = REFERENCE[curve]
    r1cs = read_r1cs(keys.circuit.build.r1cs)
    setup, final = read_zkey(keys.zkey_setup), read_zkey(keys.zkey)
    g1, g2 = _g1(curve, ref.G1), _g2(curve, ref.G2)
    assert setup.curve == curve
    # groth16 setup puts γ = δ = 1: the generators, as py_ecc knows them (checks Montgomery
    # decoding and the (c0, c1) order of G2 coordinates)
    assert (setup.gamma2, setup.delta1, setup.delta2) == (g2, g1, g2)
    assert final.gamma2 == g2 and final.delta1 != g1
    assert (final.alpha1, final.beta1, final.beta2) == (setup.alpha1, setup.beta1, setup.beta2)
    # shapes
    assert (setup.n_vars, setup.n_public) == (r1cs.n_wires, r1cs.n_public)
    assert setup.domain_size >= r1cs.n_constraints + r1cs.n_public + 1
    assert setup.domain_size // 2 < r1cs.n_constraints + r1cs.n_public + 1
    assert setup.c[: setup.n_public + 1] == [None] * (setup.n_public + 1)
    assert all(p is not None for p in setup.c[setup.n_public + 1 :])
    assert len(setup.h) == setup.domain_size
    # coefficients are plain field elements: the A and B terms of each constraint in order,
    # then one A entry of 1 per public wire (stored as v·R², read back as v)
    expected = [
        (m, i, wire, coeff)
        for i, con in enumerate(r1cs.constraints)
        for m, terms in ((0, con.a), (1, con.b))
        for wire, coeff in terms.items()
    ] + [(0, r1cs.n_constraints + s, s, 1) for s in range(r1cs.n_public + 1)]
    assert setup.coeffs == expected == final.coeffs
    assert any(v == r1cs.prime - 1 for *_, v in expected)  # the sample has −1 coefficients


@pytest.mark.interop
def test_contributed_delta_is_consistent_in_g1_and_g2(bn128_keys) -> None:
    """e(δ₁, g₂) = e(g₁, δ₂): the same δ decoded from a G1 and a G2 encoding."""
    zk = read_zkey(bn128_keys.zkey)
    opt = optimized_bn128

    def p1(pt):
        return (opt.FQ(pt[0]), opt.FQ(pt[1]), opt.FQ.one())

    def p2(pt):
        return (opt.FQ2(list(pt[0])), opt.FQ2(list(pt[1])), opt.FQ2.one())

    g1 = p1(_g1("bn128", bn128.G1))
    g2 = p2(_g2("bn128", bn128.G2))
    assert opt.pairing(p2(zk.delta2), g1) == opt.pairing(g2, p1(zk.delta1))


def _root_of_unity(r: int, order: int) -> int:
    """ffjavascript's primitive ``order``-th root: the smallest quadratic non-residue ``g``
    (searching from 2), raised to the odd part ``t`` of ``r - 1``, then squared down."""
    s = ((r - 1) & -(r - 1)).bit_length() - 1
    t = (r - 1) >> s
    nqr = next(a for a in range(2, 100) if pow(a, (r - 1) // 2, r) == r - 1)
    return pow(nqr, t << (s - order.bit_length() + 1), r)


@pytest.mark.interop
def test_h_points_are_the_odd_lagrange_points_of_the_double_domain(bn128_keys) -> None:
    """With n = domain size, ω the 2n-th root and δ = 1 (the setup key), H[i] = [L_{2i+1}(τ)]₁.
    Then Σᵢ ω^{(2i+1)j} H[i] = [(τ^j − τ^{j+n}) / 2]₁ for j < n; checked for j = 0, 1 against the
    τ powers of the ptau file (section 2), so the H content and ffjavascript's ω are pinned."""
    opt = optimized_bn128
    zk = read_zkey(bn128_keys.zkey_setup)
    n, r = zk.domain_size, CURVES["bn128"].r
    tau = decode_g1_points(read_binfile(bn128_keys.ptau, "ptau", 1).section(2), "bn128")
    assert tau[0] == _g1("bn128", bn128.G1)
    omega = _root_of_unity(r, 2 * n)
    assert pow(omega, n, r) == r - 1  # primitive 2n-th root
    half = pow(2, -1, r)

    def jac(pt):
        return (opt.FQ(pt[0]), opt.FQ(pt[1]), opt.FQ.one())

    def msm(points, scalars):
        acc = opt.Z1
        for pt, k in zip(points, scalars, strict=True):
            if pt is not None and k:
                acc = opt.add(acc, opt.multiply(jac(pt), k))
        return opt.normalize(acc)

    for j in (0, 1):
        lhs = msm(zk.h, [pow(omega, (2 * i + 1) * j, r) for i in range(n)])
        rhs = msm([tau[j], tau[j + n]], [half, r - half])
        assert lhs == rhs


@pytest.mark.interop
def test_snarkjs_proves_with_a_key_we_wrote(bn128_keys, tmp_path: Path) -> None:
    """A key rebuilt from scratch (no ceremony section, default section order) still makes
    proofs that verify under the original key: A, B1, B2, C, H, IC and coefficients all written
    as snarkjs reads them."""
    zk = read_zkey(bn128_keys.zkey)
    ours = tmp_path / "ours.zkey"
    write_zkey(ours, dataclasses.replace(zk, raw_sections={}, section_order=[]))
    vk = export_verification_key(bn128_keys.zkey, tmp_path / "vk.json")
    assert json.loads(export_verification_key(ours, tmp_path / "vk_ours.json").read_text()) == (
        json.loads(vk.read_text())
    )
    proof, public = groth16_prove(ours, bn128_keys.circuit.wtns, tmp_path)
    assert groth16_verify(vk, public, proof)


# --- malformed files ----------------------------------------------------------------------------


def _sample(curve: str = "bn128") -> ZKey:
    g1s, g2s = _pool(curve)
    return ZKey(curve, 3, 1, 4, g1s[1], g1s[2], g2s[1], g2s[2], g1s[3], g2s[3],
                ic=[g1s[1], g1s[2]], coeffs=[(0, 0, 2, 1), (1, 0, 1, 3)],
                a=g1s[1:4], b1=g1s[2:5], b2=g2s[1:4], c=[None, None, g1s[4]], h=g1s[1:5])  # fmt: skip


def _sections(tmp_path: Path) -> list[tuple[int, bytes]]:
    write_zkey(tmp_path / "good.zkey", _sample())
    return read_binfile(tmp_path / "good.zkey", "zkey", 1).sections


def _patched(sections: list[tuple[int, bytes]], sid: int, edit) -> list[tuple[int, bytes]]:
    return [(s, edit(p) if s == sid else p) for s, p in sections]


def _flip(offset: int, value: bytes):
    return lambda p: p[:offset] + value + p[offset + len(value) :]


Q = CURVES["bn128"].q
MONT = (1 << 256) % Q
# section 2 layout: n8q, q, n8r, r, nVars, nPublic, domainSize, domainSize at offset 80, points from 84
MALFORMED = {
    "plonk key": (1, lambda p: struct.pack("<I", 2), r"section 1 \(header\): protocol 2 is not Groth16"),
    "unknown curve": (
        2,
        _flip(4, (2**255 - 19).to_bytes(32, "little")),
        r"section 2 \(Groth16 header\): base-field prime \d+ not supported",
    ),
    "domain not a power of two": (2, _flip(80, struct.pack("<I", 6)), r"domainSize 6 is not a power of two"),
    "alpha off the curve": (
        2,
        _flip(84, (5 * MONT % Q).to_bytes(32, "little")),
        r"alpha1/beta1: point #0 is not on the G1 curve",
    ),
    "coordinate not reduced": (
        2,
        _flip(84, (Q + 1).to_bytes(32, "little")),
        r"alpha1/beta1: coordinate #0 is not below the base-field prime q",
    ),
    "B2 point off the curve": (7, _flip(0, (MONT + 1).to_bytes(32, "little")), r"section 7 \(B2\): B2: point #0 is not on the G2 curve"),
    "A section too short": (5, lambda p: p[:-64], r"section 5 \(A\): size 128 bytes, expected 192 for 3 points"),
    "H section too long": (9, lambda p: p + bytes(64), r"section 9 \(H\): size 320 bytes, expected 256"),
    "coefficient signal out of range": (
        4,
        _flip(4 + 8, struct.pack("<I", 3)),
        r"section 4 \(coefficients\): entry #0 \(matrix 0, constraint 0, signal 3\) is out of range",
    ),
    "coefficient count wrong": (4, _flip(0, struct.pack("<I", 3)), r"section 4 \(coefficients\): size 92 bytes, expected 136"),
    "header too long": (2, lambda p: p + b"\0", r"section 2 \(Groth16 header\): size mismatch"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_one_clear_error(tmp_path: Path, case: str) -> None:
    sid, edit, message = MALFORMED[case]
    path = tmp_path / "bad.zkey"
    sections = _patched(_sections(tmp_path), sid, edit)
    path.write_bytes(b"".join(encode_binfile(BinFile("zkey", 1, sections))))
    with pytest.raises(InputError, match=message) as err:
        read_zkey(path)
    assert str(err.value).startswith(f"{path}: ")
    assert "\n" not in str(err.value)


def test_missing_and_repeated_sections(tmp_path: Path) -> None:
    sections = _sections(tmp_path)
    path = tmp_path / "bad.zkey"
    path.write_bytes(
        b"".join(encode_binfile(BinFile("zkey", 1, [s for s in sections if s[0] != 9])))
    )
    with pytest.raises(InputError, match=r"section 9 \(H\): missing"):
        read_zkey(path)
    path.write_bytes(
        b"".join(encode_binfile(BinFile("zkey", 1, [*sections, (10, b"x"), (10, b"y")])))
    )
    with pytest.raises(InputError, match=r"section 10: appears more than once"):
        read_zkey(path)


def test_validation_can_be_skipped(tmp_path: Path) -> None:
    edit = _flip(84, (5 * MONT % Q).to_bytes(32, "little"))
    path = tmp_path / "off.zkey"
    path.write_bytes(
        b"".join(encode_binfile(BinFile("zkey", 1, _patched(_sections(tmp_path), 2, edit))))
    )
    assert read_zkey(path, validate=False).alpha1[0] == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(curve="secp256k1"), "unknown curve"),
        (dict(h=[None]), r"zkey.h has 1 entries, expected 4"),
        (dict(c=[None]), r"zkey.c has 1 entries, expected 3"),
        (dict(section_order=[1, 2, 3]), r"section_order \[1, 2, 3\] must list each"),
        (dict(coeffs=[(2, 0, 0, 1)]), r"zkey.coeffs\[0\] = \(2, 0, 0, 1\) is out of range"),
        (dict(coeffs=[(0, 4, 0, 1)]), r"zkey.coeffs\[0\] .* out of range"),
        (dict(coeffs=[(0, 0, 0, -1)]), r"zkey.coeffs\[0\] .* out of range"),
    ],
)
def test_write_refuses_inconsistent_keys(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_zkey(tmp_path / "k.zkey", dataclasses.replace(_sample(), **change))
    assert not (tmp_path / "k.zkey").exists()
