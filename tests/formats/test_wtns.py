"""`.wtns` files: round trips, snarkjs's layout, malformed files refused with one clear error."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zkmargin.errors import InputError
from zkmargin.field import BLS12_381_FR, BN254_FR
from zkmargin.formats import read_wtns, write_wtns
from zkmargin.formats.binfile import BinFile, encode_binfile, read_binfile

P = BN254_FR.p


@st.composite
def witnesses(draw: st.DrawFn) -> tuple[int, list[int]]:
    p = draw(st.sampled_from([BN254_FR.p, BLS12_381_FR.p]))
    value = st.sampled_from([0, 1, p - 1, 2**64 - 1, 2**64]) | st.integers(0, p - 1)
    return p, [1, *draw(st.lists(value, max_size=30))]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=witnesses())
def test_round_trip(tmp_path: Path, case: tuple[int, list[int]]) -> None:
    prime, values = case
    write_wtns(tmp_path / "w.wtns", values, prime)
    assert read_wtns(tmp_path / "w.wtns") == (prime, values)


def test_layout_is_snarkjs_version_2(tmp_path: Path) -> None:
    write_wtns(tmp_path / "w.wtns", [1, P - 1], P)
    bf = read_binfile(tmp_path / "w.wtns", "wtns", 2)
    assert (bf.version, bf.ids()) == (2, [1, 2])
    assert bf.section(1) == struct.pack("<I", 32) + P.to_bytes(32, "little") + struct.pack("<I", 2)
    assert bf.section(2) == (1).to_bytes(32, "little") + (P - 1).to_bytes(32, "little")


def test_write_refuses_unreduced_values(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"#1 .* outside \[0, p\)"):
        write_wtns(tmp_path / "w.wtns", [1, P], P)
    with pytest.raises(ValueError, match=r"#2 .* outside"):
        write_wtns(tmp_path / "w.wtns", [1, 0, -1], P)
    assert not (tmp_path / "w.wtns").exists()


def _file(
    tmp_path: Path, header: bytes, values: bytes, magic: str = "wtns", version: int = 2
) -> Path:
    path = tmp_path / "bad.wtns"
    path.write_bytes(b"".join(encode_binfile(BinFile(magic, version, [(1, header), (2, values)]))))
    return path


def _header(p: int = P, n: int = 2, n8: int = 32) -> bytes:
    return struct.pack("<I", n8) + p.to_bytes(n8, "little") + struct.pack("<I", n)


def _values(*vs: int) -> bytes:
    return b"".join(v.to_bytes(32, "little") for v in vs)


MALFORMED = {
    "wrong magic": (
        dict(header=_header(), values=_values(1, 2), magic="zkey"),
        r"magic: expected 'wtns'",
    ),
    "version 3": (
        dict(header=_header(), values=_values(1, 2), version=3),
        r"version: 3 not supported",
    ),
    "unsupported prime": (
        dict(header=_header(p=2**255 - 19), values=_values(1, 2)),
        r"section 1 \(header\): prime \d+ not supported",
    ),
    "header truncated": (
        dict(header=_header()[:-1], values=_values(1, 2)),
        r"section 1 \(header\): truncated",
    ),
    "too few values": (
        dict(header=_header(n=3), values=_values(1, 2)),
        r"section 2 \(values\): size 64 bytes, expected 96 for 3 values",
    ),
    "value not reduced": (
        dict(header=_header(), values=_values(1, P)),
        r"section 2 \(values\): value #1 is not below the prime",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_one_clear_error(tmp_path: Path, case: str) -> None:
    kwargs, message = MALFORMED[case]
    path = _file(tmp_path, **kwargs)
    with pytest.raises(InputError, match=message) as err:
        read_wtns(path)
    assert str(err.value).startswith(f"{path}: ")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_wtns(tmp_path / "nope.wtns")


def test_section_size_past_end_of_file(tmp_path: Path) -> None:
    good = _file(tmp_path, _header(), _values(1, 2)).read_bytes()
    # grow the values section's declared size by one byte
    pos = good.index(struct.pack("<IQ", 2, 64))
    bad = good[:pos] + struct.pack("<IQ", 2, 65) + good[pos + 12 :]
    (tmp_path / "bad.wtns").write_bytes(bad)
    with pytest.raises(
        InputError, match=r"section 2: size 65 runs past the end of file \(64 bytes left\)"
    ):
        read_wtns(tmp_path / "bad.wtns")
    (tmp_path / "bad.wtns").write_bytes(good + b"\0")
    with pytest.raises(InputError, match=r"file: 1 trailing bytes"):
        read_wtns(tmp_path / "bad.wtns")


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    write_wtns(tmp_path / "w.wtns", [1], P)
    assert (tmp_path / "w.wtns").stat().st_mode & 0o777 == 0o666 & ~mask
    assert [f.name for f in tmp_path.iterdir()] == ["w.wtns"]  # no temporary file left
