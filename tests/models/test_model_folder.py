"""A model is one folder: the flat per-unit model of docs/circuits.md, written into a folder on
the ``zkmargin.models`` package's path (nothing else edited), is a market's model, runs in the
calculator and the CLI, and proves as a circuit agreeing with its calculator. A folder missing
a part is refused in one line naming the folder and the part."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_cases import acct, first_failure
from circuit_markets import MARKETS
from click.testing import CliRunner

import zkmargin.models
from zkmargin.batch import load_model_circuit
from zkmargin.cli import main
from zkmargin.dsl import compile_circuit
from zkmargin.errors import InputError
from zkmargin.margin import calculate, load_market, read_accounts
from zkmargin.models import registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "circuits.md"
FOLDERS = ("zkmargin.models.flat_unit", "zkmargin.models.half")  # the tests' model folders


def documented_folder() -> dict[str, str]:
    """The files of the documented model folder, by name."""
    found = re.findall(
        r"<!-- model folder: flat_unit/(\S+) -->\n```python\n(.*?)```", DOC.read_text(), re.S
    )
    return dict(found)


@pytest.fixture
def models_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder joined to ``zkmargin.models.__path__``; afterwards the registry forgets it."""
    extra = tmp_path / "models"
    extra.mkdir()
    monkeypatch.setattr(zkmargin.models, "__path__", [*zkmargin.models.__path__, str(extra)])
    registry.forget()
    yield extra
    monkeypatch.undo()
    for name in [m for m in sys.modules if m.startswith(FOLDERS)]:
        del sys.modules[name]
    registry.forget()


def write_folder(root: Path, name: str, files: dict[str, str]) -> Path:
    folder = root / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text)
    return folder


def flat_market(tmp_path: Path) -> Path:
    doc = json.loads(json.dumps(MARKETS["cross"]))
    doc["model"] = {"name": "flat_unit", "buffer": "0.1"}
    doc["instruments"]["BTC-PERP"]["add_on"] = "250"
    doc["instruments"]["ETH-PERP"]["add_on"] = "12.5"
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(doc, indent=1))
    return path


def test_a_model_folder_is_all_it_takes(models_path: Path, tmp_path: Path) -> None:
    files = documented_folder()
    assert sorted(files) == ["__init__.py", "calculator.py", "circuit.py"]
    write_folder(models_path, "flat_unit", files)
    assert "flat_unit" in registry.market_models()
    market = load_market(flat_market(tmp_path))  # the schema's model.name accepts it
    accounts = [
        acct("a", {"BTC-PERP": "3", "ETH-PERP": "-7.5"}, {"USDT": "10000"}),
        acct("b", {"ETH-PERP": "0.00000001"}, {"USDT": "1"}),  # 12.5 × 10^-8: rounded up
        acct("poor", {"BTC-PERP": "-2"}, {"USDT": "549.99999999"}),  # 500 + 10 % buffer
    ]
    result = calculate(market, accounts)
    assert [int(r) for r in result.requirement] == [84375 * 10**6, 13, 500 * 10**8]
    # The circuit, found by name through the registry, proves the calculator's figures.
    cls = load_model_circuit("flat_unit")
    circuit = cls(market, 2)
    cc = compile_circuit(circuit)
    for batch, failure in (
        (accounts[:2], None),
        (accounts[1:], "account[1]/margin/covered/recompose"),
    ):
        inputs, statement = cls.witness_inputs(market, batch, [1, 2], 0, 0, batch_size=2)
        witness = cc.solve(inputs)
        collateral, requirement, _ = cls.reference_figures(market, batch)
        assert requirement == [int(r) for r in calculate(market, batch).requirement]
        assert circuit.figures(witness) == list(zip(collateral, requirement, strict=True))
        assert statement.total_requirement == sum(requirement)
        assert first_failure(cc, witness) == failure  # the covered pair is the control
    # The command line margins it too.
    accounts_file = tmp_path / "accounts.jsonl"
    accounts_file.write_text('{"id": "a", "positions": {"BTC-PERP": "3"}}\n')
    assert read_accounts(accounts_file, market)
    args = ["calc", str(accounts_file), "--market", str(tmp_path / "flat.json"), "--json"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["accounts"][0]["requirement"] == "750"


def test_an_instrument_the_model_cannot_margin_is_named(models_path, tmp_path) -> None:
    write_folder(models_path, "flat_unit", documented_folder())
    path = flat_market(tmp_path)
    load_market(path)  # control: every instrument has its add_on
    doc = json.loads(path.read_text())
    del doc["instruments"]["ETH-PERP"]["add_on"]
    path.write_text(json.dumps(doc, indent=1))
    with pytest.raises(InputError, match=r"instruments\.ETH-PERP\.add_on: required by model"):
        load_market(path)


def test_the_model_reads_its_own_parameter(models_path, tmp_path) -> None:
    write_folder(models_path, "flat_unit", documented_folder())
    path = flat_market(tmp_path)
    doc = json.loads(path.read_text())
    positions = [acct("a", {"BTC-PERP": "3", "ETH-PERP": "-7.5"}, {})]
    for factor, requirement in (("1", 84375 * 10**6), ("2", 2 * 84375 * 10**6)):
        doc["model"]["factor"] = factor
        market = load_market(write(path, doc))
        assert int(calculate(market, positions).requirement[0]) == requirement
    for factor, problem in (("x", "not a decimal string: 'x'"), ("0.0000001", "more than 6")):
        doc["model"]["factor"] = factor
        with pytest.raises(InputError, match=rf"flat.json:\d+: model.factor: {problem}"):
            load_market(write(path, doc))
    doc["model"] = {"name": "cross", "factor": "2"}  # another model's parameter: no effect
    assert load_market(write(path, doc)).model.params == {"factor": "2"}


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, indent=1))
    return path


@pytest.mark.parametrize(
    "drop,part,problem",
    [
        ("circuit.py", "circuit", "no module zkmargin.models.half.circuit (circuit.py)"),
        (
            "calculator.py",
            "calculator",
            "no module zkmargin.models.half.calculator (calculator.py)",
        ),
    ],
)
def test_a_folder_missing_a_part_is_refused_in_one_line(models_path, tmp_path, drop, part, problem):
    files = {k: v.replace("flat_unit", "half") for k, v in documented_folder().items()}
    folder = write_folder(models_path, "half", files)
    assert "half" in registry.market_models()  # control: the whole folder is a model
    (folder / drop).unlink()
    registry.forget()
    with pytest.raises(InputError) as err:
        registry.specs()
    assert str(err.value) == f"{folder}: {part}: {problem}"
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text('{"id": "a"}\n')
    out = CliRunner().invoke(main, ["calc", str(accounts), "--market", str(flat_market(tmp_path))])
    assert out.exit_code == 2 and out.output.count("\n") == 1
    assert out.output.startswith(f"error: {folder}: {part}: ")


def test_a_folder_without_a_spec_is_refused(models_path) -> None:
    folder = write_folder(models_path, "half", {"__init__.py": '"""No spec."""\n'})
    with pytest.raises(InputError) as err:
        registry.specs()
    assert str(err.value) == f"{folder}: __init__.py: declares no MODEL = ModelSpec(...)"
