"""``zkmargin export-contract`` picks the contract's design from the keys: the statement's
fields as public inputs, or (with a note on its cost) the statement hash recomputed on chain;
a verifying key of the wrong size is one line of bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from zkmargin.cli import main
from zkmargin.solvency import layout


def export(keys: Path, out: Path):
    return CliRunner().invoke(main, ["export-contract", str(keys), str(out)])


def test_the_design_follows_the_keys(fields_keys: Path, keys_dir: Path, tmp_path: Path) -> None:
    result = export(fields_keys, tmp_path / "fields.sol")
    assert result.exit_code == 0 and result.output == ""
    text = (tmp_path / "fields.sol").read_text()
    assert "function verifyFields(" in text and "statementHash" not in text
    result = export(keys_dir, tmp_path / "hash.sol")
    assert result.exit_code == 0
    assert "note:" in result.output and "-p statement=fields" in result.output
    assert "function statementHash(" in (tmp_path / "hash.sol").read_text()


def test_a_key_of_the_wrong_size_is_refused(fields_keys: Path, tmp_path: Path) -> None:
    keys = Path(shutil.copytree(fields_keys, tmp_path / "keys"))
    vk = json.loads((keys / layout.VKEY).read_text())
    vk["nPublic"], vk["IC"] = 1, vk["IC"][:2]
    (keys / layout.VKEY).write_text(json.dumps(vk))
    result = export(keys, tmp_path / "out.sol")
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1
    assert "nPublic: expected 13 (the statement's fields), got 1" in result.output
    assert not (tmp_path / "out.sol").exists()
