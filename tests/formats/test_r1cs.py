"""`.r1cs` files: round trips, circom's files read and rewritten byte for byte, snarkjs reading
ours, and malformed files each refused with one clear error."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop import tool
from snarkjs_pipeline import wtns_check

from zkmargin.dsl.r1cs import R1CS, Constraint, UnsatisfiedConstraint, check
from zkmargin.errors import InputError
from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField
from zkmargin.formats import (
    R1csLayout,
    read_r1cs,
    read_r1cs_with_layout,
    read_wtns,
    write_r1cs,
    write_wtns,
)
from zkmargin.formats.binfile import BinFile, encode_binfile, read_binfile

FIELDS = [BN254_FR, BLS12_381_FR]


@st.composite
def coefficients(draw: st.DrawFn, p: int) -> int:
    return draw(st.sampled_from([1, 2, p - 1, p - 2]) | st.integers(1, p - 1))


@st.composite
def systems(draw: st.DrawFn, fld: PrimeField | None = None) -> R1CS:
    """A random constraint system (not necessarily satisfiable) in iden3 wire order."""
    fld = fld or draw(st.sampled_from(FIELDS))
    n_out, n_in, n_prv = (draw(st.integers(0, 3)) for _ in range(3))
    n_wires = 1 + n_out + n_in + n_prv + draw(st.integers(0, 6))
    wires = st.integers(0, n_wires - 1)
    terms = st.dictionaries(wires, coefficients(fld.p), max_size=4)
    cons = draw(st.lists(st.tuples(terms, terms, terms), max_size=8))
    labels = draw(st.just([]) | st.lists(st.integers(0, 2**40), min_size=n_wires, max_size=n_wires))
    return R1CS(
        fld,
        n_pub_out=n_out,
        n_pub_in=n_in,
        n_prv_in=n_prv,
        n_wires=n_wires,
        constraints=[Constraint(a, b, c, f"#{i}") for i, (a, b, c) in enumerate(cons)],
        wire_labels=labels,
    )


def _normalised(cs: R1CS) -> R1CS:
    """What reading gives back: identity labels stored as the empty list."""
    if cs.wire_labels == list(range(cs.n_wires)):
        cs.wire_labels = []
    return cs


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cs=systems())
def test_write_read_round_trip(tmp_path: Path, cs: R1CS) -> None:
    path = tmp_path / "x.r1cs"
    write_r1cs(path, cs)
    back, layout = read_r1cs_with_layout(path)
    assert back == _normalised(cs)
    assert layout == R1csLayout(max(cs.labels(), default=-1) + 1, [1, 2, 3])
    # and reading then writing is byte-identical
    again = tmp_path / "again.r1cs"
    write_r1cs(again, back, layout)
    assert again.read_bytes() == path.read_bytes()


def test_constraint_names_are_indices(tmp_path: Path) -> None:
    cs = R1CS(BN254_FR, 1, 0, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square/mul")] * 2)
    write_r1cs(tmp_path / "s.r1cs", cs)
    assert [c.name for c in read_r1cs(tmp_path / "s.r1cs").constraints] == ["#0", "#1"]


def test_coefficients_are_standard_form_little_endian(tmp_path: Path) -> None:
    p = BN254_FR.p
    cs = R1CS(BN254_FR, 0, 1, 0, 2, [Constraint({1: 1}, {0: p - 1}, {1: 2})])
    write_r1cs(tmp_path / "c.r1cs", cs)
    body = read_binfile(tmp_path / "c.r1cs", "r1cs", 1).section(2)
    assert body == b"".join(
        [
            struct.pack("<II", 1, 1), (1).to_bytes(32, "little"),
            struct.pack("<II", 1, 0), (p - 1).to_bytes(32, "little"),
            struct.pack("<II", 1, 1), (2).to_bytes(32, "little"),
        ]
    )  # fmt: skip


def test_layout_keeps_circom_section_order_and_label_count(tmp_path: Path) -> None:
    cs = R1CS(BN254_FR, 0, 1, 0, 2, [Constraint({1: 1}, {1: 1}, {1: 1})], wire_labels=[0, 5])
    write_r1cs(tmp_path / "x.r1cs", cs, R1csLayout(n_labels=9, section_order=[2, 1, 3]))
    back, layout = read_r1cs_with_layout(tmp_path / "x.r1cs")
    assert layout == R1csLayout(9, [2, 1, 3])
    assert back.wire_labels == [0, 5]


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        (Constraint({3: 1}, {}, {}), "wire outside"),
        (Constraint({1: BN254_FR.p}, {}, {}), "coefficient outside"),
        (Constraint({}, {1: -1}, {}), "coefficient outside"),
    ],
)
def test_write_refuses_out_of_range(tmp_path: Path, constraint: Constraint, message: str) -> None:
    cs = R1CS(BN254_FR, 0, 1, 0, 3, [Constraint({}, {}, {}), constraint])
    with pytest.raises(ValueError, match=rf"constraint #1 .*{message}"):
        write_r1cs(tmp_path / "x.r1cs", cs)
    assert not list(tmp_path.iterdir()), "a failed write leaves no file behind"


# --- malformed files ----------------------------------------------------------------------------


def _valid_sections() -> list[tuple[int, bytes]]:
    return [
        (1, _header(BN254_FR.p, n_wires=3, n_labels=3, m=1)),
        (2, _lc({2: 1}) + _lc({2: 1}) + _lc({1: 1})),
        (3, struct.pack("<3Q", 0, 1, 2)),
    ]


def _header(p: int, n_wires: int, n_labels: int, m: int, n8: int = 32) -> bytes:
    return (
        struct.pack("<I", n8)
        + p.to_bytes(n8, "little")
        + struct.pack("<IIIIQI", n_wires, 0, 1, 1, n_labels, m)
    )


def _lc(terms: dict[int, int]) -> bytes:
    return struct.pack("<I", len(terms)) + b"".join(
        struct.pack("<I", w) + c.to_bytes(32, "little") for w, c in terms.items()
    )


def _file(tmp_path: Path, sections: list[tuple[int, bytes]], magic: str = "r1cs") -> Path:
    path = tmp_path / "bad.r1cs"
    path.write_bytes(b"".join(encode_binfile(BinFile(magic, 1, sections))))
    return path


def test_hand_built_file_reads(tmp_path: Path) -> None:
    cs = read_r1cs(_file(tmp_path, _valid_sections()))
    check(cs, [1, 9, 3])
    with pytest.raises(UnsatisfiedConstraint, match="#0"):
        check(cs, [1, 9, 4])


def _replace(sid: int, payload: bytes) -> list[tuple[int, bytes]]:
    return [(s, payload if s == sid else p) for s, p in _valid_sections()]


MALFORMED = {
    "wrong magic": (lambda: _valid_sections(), "wtns", r"magic: expected 'r1cs', found b'wtns'"),
    "custom gates": (
        lambda: [*_valid_sections(), (4, b"\0" * 4), (5, b"\0" * 4)],
        "r1cs",
        r"section 4: custom gates are not supported",
    ),
    "unsupported prime": (
        lambda: _replace(1, _header(2**255 - 19, 3, 3, 1)),
        "r1cs",
        r"section 1 \(header\): prime 5789\d+ not supported",
    ),
    "wrong field size": (
        lambda: _replace(1, _header(BN254_FR.p, 3, 3, 1, n8=40)),
        "r1cs",
        r"section 1 \(header\): field size 40 bytes, expected 32",
    ),
    "header too long": (
        lambda: _replace(1, _header(BN254_FR.p, 3, 3, 1) + b"\0"),
        "r1cs",
        r"section 1 \(header\): size mismatch",
    ),
    "header too short": (
        lambda: _replace(1, _header(BN254_FR.p, 3, 3, 1)[:-2]),
        "r1cs",
        r"section 1 \(header\): truncated: mConstraints",
    ),
    "too few wires": (
        lambda: _replace(1, _header(BN254_FR.p, 2, 3, 1)),
        "r1cs",
        r"2 wires cannot hold",
    ),
    "constraints truncated": (
        lambda: _replace(2, (_lc({2: 1}) + _lc({2: 1}) + _lc({1: 1}))[:-5]),
        "r1cs",
        r"section 2 \(constraints\): truncated in constraint #0 \(C, 1 terms\)",
    ),
    "constraints too long": (
        lambda: _replace(2, _lc({2: 1}) + _lc({2: 1}) + _lc({1: 1}) + b"\0\0\0\0"),
        "r1cs",
        r"section 2 \(constraints\): size mismatch",
    ),
    "wire out of range": (
        lambda: _replace(2, _lc({7: 1}) + _lc({2: 1}) + _lc({1: 1})),
        "r1cs",
        r"constraint #0 \(A\) uses a wire >= 3",
    ),
    "wire out of range in C": (
        lambda: _replace(2, _lc({2: 1}) + _lc({2: 1}) + _lc({1: 1, 3: 1})),
        "r1cs",
        r"constraint #0 \(C\) uses a wire >= 3",
    ),
    "coefficient not reduced": (
        lambda: _replace(2, _lc({2: BN254_FR.p}) + _lc({2: 1}) + _lc({1: 1})),
        "r1cs",
        r"constraint #0 \(A\) has a coefficient >= p",
    ),
    "repeated wire": (
        lambda: _replace(
            2,
            struct.pack("<I", 2)
            + (struct.pack("<I", 2) + (1).to_bytes(32, "little")) * 2
            + _lc({2: 1})
            + _lc({1: 1}),
        ),
        "r1cs",
        r"constraint #0 \(A\) repeats a wire",
    ),
    "wire map size": (
        lambda: _replace(3, struct.pack("<2Q", 0, 1)),
        "r1cs",
        r"section 3 \(wire map\): size 16 bytes, expected 24",
    ),
    "missing map": (lambda: _valid_sections()[:2], "r1cs", r"section 3 \(wire map\): missing"),
    "duplicated header": (
        lambda: [_valid_sections()[0], *_valid_sections()],
        "r1cs",
        r"section 1 \(header\): appears 2 times",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_one_clear_error(tmp_path: Path, case: str) -> None:
    sections, magic, message = MALFORMED[case]
    path = _file(tmp_path, sections(), magic)
    with pytest.raises(InputError, match=message) as err:
        read_r1cs(path)
    assert str(err.value).startswith(f"{path}: ")
    assert "\n" not in str(err.value)


def test_truncated_file(tmp_path: Path) -> None:
    good = _file(tmp_path, _valid_sections()).read_bytes()
    for cut in (3, 11, 20, len(good) - 1):
        path = tmp_path / f"cut{cut}.r1cs"
        path.write_bytes(good[:cut])
        with pytest.raises(InputError, match=r"truncated|runs past the end"):
            read_r1cs(path)


# --- interop with circom and snarkjs -------------------------------------------------------------


def _snarkjs_info(path: Path) -> dict[str, str]:
    proc = subprocess.run(
        [tool("snarkjs"), "r1cs", "info", str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    info = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition("snarkJS")[2].partition(":")[2].partition(":")
        if value:
            info[key.strip()] = value.strip()
    return info


@pytest.mark.interop
@pytest.mark.parametrize("fld", FIELDS, ids=lambda f: f.name)
def test_snarkjs_reads_our_r1cs(tmp_path: Path, fld: PrimeField) -> None:
    cs = R1CS(
        fld, 1, 2, 1, 6,
        [Constraint({2: 1}, {3: 1}, {5: 1}), Constraint({5: 1}, {4: fld.p - 1}, {1: 1})],
        wire_labels=[0, 1, 2, 3, 4, 10],
    )  # fmt: skip
    write_r1cs(tmp_path / "ours.r1cs", cs)
    info = _snarkjs_info(tmp_path / "ours.r1cs")
    assert info == {
        "Curve": {"bn128": "bn-128", "bls12381": "bls12-381"}[fld.name],
        "# of Wires": "6",
        "# of Constraints": "2",
        "# of Private Inputs": "1",
        "# of Public Inputs": "2",
        "# of Labels": "11",
        "# of Outputs": "1",
    }


@pytest.mark.interop
@pytest.mark.parametrize("fld", FIELDS, ids=lambda f: f.name)
def test_snarkjs_wtns_check_on_our_files(tmp_path: Path, fld: PrimeField) -> None:
    # out = x * y with x public, y private; plus (x + 1) * (p - 1) = t
    p = fld.p
    cs = R1CS(
        fld, 1, 1, 1, 5,
        [Constraint({2: 1}, {3: 1}, {1: 1}), Constraint({2: 1, 0: 1}, {0: p - 1}, {4: 1})],
    )  # fmt: skip
    good = [1, 42, 6, 7, (-7) % p]
    check(cs, good)
    write_r1cs(tmp_path / "c.r1cs", cs)
    write_wtns(tmp_path / "good.wtns", good, p)
    assert wtns_check(tmp_path / "c.r1cs", tmp_path / "good.wtns")
    for i, forged in enumerate([[1, 43, 6, 7, (-7) % p], [1, 42, 6, 7, 7]]):
        with pytest.raises(UnsatisfiedConstraint, match=f"#{i}"):
            check(read_r1cs(tmp_path / "c.r1cs"), forged)
    # snarkjs refuses the forged output (one run: each snarkjs start costs seconds)
    write_wtns(tmp_path / "bad.wtns", [1, 43, 6, 7, (-7) % p], p)
    assert not wtns_check(tmp_path / "c.r1cs", tmp_path / "bad.wtns")


@pytest.mark.interop
@pytest.mark.parametrize("curve", ["bn128", "bls12381"])
def test_circom_r1cs_and_snarkjs_witness(
    request: pytest.FixtureRequest, tmp_path: Path, curve: str
) -> None:
    circuit = request.getfixturevalue(f"{curve}_circuit")
    cs, layout = read_r1cs_with_layout(circuit.build.r1cs)
    prime, witness = read_wtns(circuit.wtns)
    assert cs.field.name == curve and prime == cs.prime
    assert layout.section_order == [2, 1, 3]  # circom writes constraints before the header
    assert layout.n_labels > cs.n_wires  # circom counts the signals it optimised away
    assert (cs.n_pub_out, cs.n_pub_in, cs.n_prv_in) == (2, 2, 1)
    check(cs, witness)
    # outputs first, then public inputs: lt = (3 < 1000), prod = 3·1000·207; a, b
    assert witness[1:5] == [1, 3 * 1000 * 207, 3, 1000]
    # re-writing both reproduces circom's and snarkjs's bytes exactly
    write_r1cs(tmp_path / "again.r1cs", cs, layout)
    write_wtns(tmp_path / "again.wtns", witness, prime)
    assert (tmp_path / "again.r1cs").read_bytes() == circuit.build.r1cs.read_bytes()
    assert (tmp_path / "again.wtns").read_bytes() == circuit.wtns.read_bytes()
    # a forged private wire fails both our check and snarkjs's
    forged = list(witness)
    forged[-1] = (forged[-1] + 1) % prime
    with pytest.raises(UnsatisfiedConstraint):
        check(cs, forged)
    write_wtns(tmp_path / "forged.wtns", forged, prime)
    assert not wtns_check(circuit.build.r1cs, tmp_path / "forged.wtns")
