"""Every parser, fed random and mutated input, keeps the one-line contract (``hostile.py``);
the CLI turns whatever goes wrong into at most three lines and status 2 (1: a claim fails)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import SEED_OF, TARGETS, check_contract, hostile, seeds
from hypothesis import HealthCheck, given, settings

from zkmargin.cli import main
from zkmargin.json_input import parse_json
from zkmargin.limits import MAX_JSON_DEPTH as MAX_DEPTH


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One valid file per target."""
    return seeds(tmp_path_factory.mktemp("seeds"))


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_the_seed_parses(target: str, valid: dict[str, bytes], tmp_path: Path) -> None:
    # the control: every valid seed file is accepted, so a refusal below is the mutation's
    assert check_contract(target, valid[SEED_OF.get(target, target)], tmp_path) is None


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_hostile_input_gets_one_line(target: str, valid: dict[str, bytes], tmp_path: Path) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hostile(valid[SEED_OF.get(target, target)]))
    def run(data: bytes) -> None:
        check_contract(target, data, tmp_path)

    run()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, f"nested deeper than {MAX_DEPTH} levels"),
        ('{"a": {"b": 1, "b": 2}}', "b: duplicate key"),
        ('{"x": NaN}', "NaN is not a JSON number"),
        ("1" * 5000, "integer of 5000 digits"),
        ('{"a": 1', "invalid JSON: Expecting"),
    ],
)
def test_the_strict_reader_refuses(text: str, problem: str) -> None:
    with pytest.raises(Exception, match=problem):
        parse_json(text, "x.json")
    depth = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_json(depth, "x.json") is not None  # the limit itself is accepted


def test_a_duplicate_key_in_a_market_is_refused(valid: dict[str, bytes], tmp_path: Path) -> None:
    market = valid["market"].decode().replace('"epoch"', '"epoch": "x", "epoch"', 1)
    assert check_contract("market", market.encode(), tmp_path) == (
        f"{tmp_path / 'input.json'}:2: epoch: duplicate key"  # the line of the second
    )


@pytest.mark.parametrize(
    "target",
    ["proof", "vk", "public", "report", "receipt", "market", "accounts_jsonl", "market_table"],
)
def test_a_decimal_string_past_the_digit_limit_is_one_line(
    target: str, valid: dict[str, bytes], tmp_path: Path
) -> None:
    # found by bench/fuzz.py: int() of a 5,000-digit string raised a Python ValueError
    text = valid[target].decode()
    digits = next(w for w in text.split('"') if w.isdigit() and len(w) > 0)
    line = check_contract(target, text.replace(f'"{digits}"', '"' + "1" * 5000 + '"', 1).encode(),
                          tmp_path)  # fmt: skip
    assert line is not None and "a decimal of 5000 " in line and "(at most 200)" in line


def _cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res.exit_code, res.output


def test_the_cli_on_hostile_files(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "report.json").write_text("[" * 100_000 + "]" * 100_000)
    ansi = tmp_path / "ansi.jsonl"
    ansi.write_text(json.dumps({"id": "x\x1b[2J\rroot", "collateral": {}}) + "\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"account,kind,name,amount\nb\xe9,collateral,USDT,1\n")
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps({"id": "u" * 100_000}) + "\n")
    market = Path(__file__).parent / "solvency" / "data" / "market.json"
    cases = [
        (("groth16", "verify", deep, deep, deep), "nested deeper than"),
        (("verify", tmp_path / "report"), "nested deeper than"),
        (("calc", ansi, "--market", market), "\\x1b[2J\\rroot"),
        (("calc", latin, "--market", market), "not UTF-8"),
        (("calc", big, "--market", market), "characters)"),
        (("calc", tmp_path, "--market", market), "accounts file must end in"),
        (("calc", big, "--market", tmp_path), "is a folder"),
        (("inspect", "scenario", "--market", market, "-p", "batch_size=-1"), "batch_size"),
        (("prove", big), "missing option '--market'"),
        (("setup", "--circuit", "cross"), "missing option"),
    ]
    for args, fragment in cases:
        code, out = _cli(*args)
        assert code == 2, (args, out)
        lines = out.splitlines()
        assert len(lines) == 1 and len(lines[0]) <= 1000, (args, out)
        assert fragment in lines[0] and lines[0].isprintable(), (args, lines[0])
        assert "Traceback" not in out and "Usage:" not in out
