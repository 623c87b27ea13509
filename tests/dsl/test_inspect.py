"""Loading circuits by path and ``zkmargin inspect``."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from zkmargin.batch.loader import find_circuit
from zkmargin.cli import main
from zkmargin.errors import InputError

CIRCUIT_FILE = textwrap.dedent(
    """
    from zkmargin.dsl import Circuit, Public, Secret

    class Squares(Circuit):
        def __init__(self, n: int = 2):
            self.total = Public()
            self.xs = Secret(n)

        def define(self, api):
            acc = api.constant(0)
            for i, x in enumerate(self.xs):
                with api.namespace(f"item[{i}]"):
                    acc = acc + api.mul(x, x, name="square")
            api.assert_equal(acc, self.total, name="total")
    """
)


@pytest.fixture
def circuit_file(tmp_path):
    path = tmp_path / "squares.py"
    path.write_text(CIRCUIT_FILE)
    return path


def test_inspect_by_path(circuit_file):
    result = CliRunner().invoke(main, ["inspect", str(circuit_file), "-p", "n=5"])
    assert result.exit_code == 0, result.output
    assert "6 constraints" in result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[2:]}
    assert lines["<total>"] == ["6", "11"]
    assert lines["item[*]"] == ["5", "5"]


def test_inspect_expanded_and_class_selector(circuit_file):
    result = CliRunner().invoke(
        main, ["inspect", f"{circuit_file}:Squares", "--expand-indices", "--curve", "bls12381"]
    )
    assert result.exit_code == 0, result.output
    assert "on bls12381" in result.output
    assert "item[1]" in result.output


def test_loader_errors(tmp_path, circuit_file):
    with pytest.raises(InputError, match="no circuit of that name"):
        find_circuit("no_such_circuit")
    with pytest.raises(InputError, match="is not a Circuit subclass"):
        find_circuit(f"{circuit_file}:Nope")
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    with pytest.raises(InputError, match="no Circuit subclass"):
        find_circuit(str(empty))


def test_inspect_bad_param_is_one_line(circuit_file):
    result = CliRunner().invoke(main, ["inspect", str(circuit_file), "-p", "width=3"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def test_inspect_model_circuit_with_market():
    from zkmargin.margin import example_paths

    market_path, _ = example_paths()
    result = CliRunner().invoke(
        main,
        [
            "inspect",
            "collateral",
            "--market",
            str(market_path),
            "-p",
            "batch_size=1",
            "--depth",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    namespaces = [line.split()[0] for line in result.output.splitlines()[2:]]
    assert {"<total>", "account[*]", "market_hash", "statement_hash"} <= set(namespaces)
