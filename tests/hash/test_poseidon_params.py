"""Parameter generation: the committed MDS-candidate file, the Grain stream, width bounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zkmargin.field import BLS12_381_FR, BN254_FR, PrimeField
from zkmargin.hash import generate_params, poseidon_params
from zkmargin.hash import poseidon_constants as constants
from zkmargin.hash.grain import GrainStream
from zkmargin.hash.params import regenerate
from zkmargin.hash.poseidon_constants import CANDIDATES_FILE, MAX_T, MIN_T, PARTIAL_ROUNDS

FIELDS = [BN254_FR, BLS12_381_FR]


@pytest.mark.slow
def test_committed_candidates_file_matches_a_fresh_run_with_the_checks() -> None:
    # galois style: the committed file is exactly what its generator script writes
    assert CANDIDATES_FILE.read_text() == regenerate.render(regenerate.candidates_table())


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
@pytest.mark.parametrize("t", [2, 3, 5])
def test_small_widths_regenerate_with_checks(field: PrimeField, t: int) -> None:
    # the fast subset of the slow test above, so a plain `pytest` run exercises the checks
    assert generate_params(t, field) == poseidon_params(t, field)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_shapes_and_ranges(field: PrimeField) -> None:
    for t in (MIN_T, MAX_T):
        params = poseidon_params(t, field)
        assert params.r_p == PARTIAL_ROUNDS[t - MIN_T]
        assert len(params.round_constants) == params.r_f + params.r_p
        assert all(
            len(row) == t and all(0 <= c < field.p for c in row) for row in params.round_constants
        )
        assert len(params.mds) == t and all(0 < m < field.p for row in params.mds for m in row)
        full = [r for r in range(params.rounds) if params.is_full_round(r)]
        assert full == [0, 1, 2, 3, *range(params.rounds - 4, params.rounds)]


def test_fields_get_different_parameters() -> None:
    # n (the field size) is part of the Grain seed: 254 for BN254, 255 for BLS12-381
    assert (
        poseidon_params(3, BN254_FR).round_constants
        != poseidon_params(3, BLS12_381_FR).round_constants
    )


def test_mds_is_the_cauchy_matrix_of_the_stream() -> None:
    """Independent re-derivation for t = 2: skip the round constants, then x_i + y_j inverses."""
    p, t = BN254_FR.p, 2
    params = poseidon_params(t, BN254_FR)
    stream = GrainStream(1, 0, 254, t, 8, params.r_p)
    for _ in range(params.rounds * t):
        stream.next_field_element(254, p)
    x0, x1, y0, y1 = (stream.next_int(254) % p for _ in range(4))
    assert params.mds == (
        (pow(x0 + y0, -1, p), pow(x0 + y1, -1, p)),
        (pow(x1 + y0, -1, p), pow(x1 + y1, -1, p)),
    )


def test_grain_rejects_values_at_or_above_p() -> None:
    # with a tiny "prime" most 8-bit draws are rejected; the accepted ones are the draws below it
    draws = GrainStream(1, 0, 8, 3, 8, 57)
    accepted = GrainStream(1, 0, 8, 3, 8, 57)
    raw = [draws.next_int(8) for _ in range(200)]
    below = [v for v in raw if v < 50]
    assert [accepted.next_field_element(8, 50) for _ in range(len(below))] == below


def test_grain_seed_is_validated() -> None:
    with pytest.raises(ValueError, match="seed"):
        GrainStream(1, 0, 1 << 12, 3, 8, 57)


@pytest.mark.parametrize("t", [0, 1, MAX_T + 1])
def test_width_out_of_range(t: int) -> None:
    with pytest.raises(ValueError, match="width"):
        poseidon_params(t)


def test_tampered_candidates_file_is_detected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    table = json.loads(CANDIDATES_FILE.read_text())
    table[BN254_FR.name]["3"]["rejected_mds"] = 1  # would silently pick the next matrix
    bad = tmp_path / "mds_candidates.json"
    bad.write_text(json.dumps(table))
    monkeypatch.setattr(constants, "CANDIDATES_FILE", bad)
    constants.poseidon_params.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="do not match"):
            constants.poseidon_params(3, BN254_FR)
    finally:
        constants.poseidon_params.cache_clear()


def textbook_grain_bits(seed_bits: list[int], count: int) -> list[int]:
    """The LFSR clocked one bit at a time, as the paper's script describes it."""
    reg = list(seed_bits)

    def clock() -> int:
        bit = reg[62] ^ reg[51] ^ reg[38] ^ reg[23] ^ reg[13] ^ reg[0]
        reg.pop(0)
        reg.append(bit)
        return bit

    for _ in range(160):
        clock()
    out = []
    while len(out) < count:
        keep, bit = clock(), clock()
        if keep:
            out.append(bit)
    return out


@pytest.mark.parametrize("t", [2, 17])
def test_block_clocked_grain_equals_bitwise_definition(t: int) -> None:
    seed = f"{1:02b}{0:04b}{254:012b}{t:012b}{8:010b}{60:010b}" + "1" * 30
    stream = GrainStream(1, 0, 254, t, 8, 60)
    assert [stream.next_bit() for _ in range(3000)] == textbook_grain_bits(
        [int(b) for b in seed], 3000
    )
