"""The public API of ``import zkmargin``: its names, their docs and examples kept in step, loaded
lazily, and the worked examples of docs/api.md run."""

from __future__ import annotations

import ast
import doctest
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from interop import ROOT

import zkmargin

API_DOC = ROOT / "docs" / "api.md"
DOC_ROW = re.compile(r"^\| `(\w+)` \|", re.M)
"""A name's row in one of docs/api.md's tables: ``| `name` | what it does |``."""


def has_example(obj: object) -> bool:
    return ">>> " in (getattr(obj, "__doc__", None) or "")


def api_gaps(names: list[str], doc: str) -> list[str]:
    """What keeps ``names`` (``__all__``) and ``doc`` (docs/api.md) from agreeing: a name not in
    the doc's tables, a table row naming no public name, a public name without an example."""
    listed = DOC_ROW.findall(doc)
    gaps = [f"{name}: not listed in docs/api.md" for name in names if name not in listed]
    gaps += [f"{name}: in docs/api.md but not in __all__" for name in listed if name not in names]
    gaps += [
        f"{name}: no example in its docstring"
        for name in names
        if not has_example(getattr(zkmargin, name, None))
    ]
    return gaps


def test_all_docs_and_examples_agree() -> None:
    assert len(zkmargin.__all__) >= 12
    assert api_gaps(zkmargin.__all__, API_DOC.read_text()) == []


def test_a_gap_between_them_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # the controls: a row dropped from the doc, a name added to __all__ alone, a name dropped
    # from __all__ alone, a docstring without an example
    doc = API_DOC.read_text()
    names = list(zkmargin.__all__)
    assert api_gaps(names, doc.replace("| `verify_inclusion` |", "| verify_inclusion |")) == [
        "verify_inclusion: not listed in docs/api.md"
    ]
    assert api_gaps([*names, "calculate_chunks"], doc) == [
        "calculate_chunks: not listed in docs/api.md",
        "calculate_chunks: no example in its docstring",
    ]
    assert api_gaps([n for n in names if n != "prove"], doc) == [
        "prove: in docs/api.md but not in __all__"
    ]

    def find_circuit(spec: str) -> None:
        """The circuit ``spec`` names (no example)."""

    monkeypatch.setattr(zkmargin, "find_circuit", find_circuit)
    assert api_gaps(names, doc) == ["find_circuit: no example in its docstring"]


def test_each_name_is_its_home_modules_object_and_typed_from_there() -> None:
    homes = zkmargin._HOMES
    for name, home in homes.items():
        assert getattr(zkmargin, name) is getattr(importlib.import_module(home), name)
    # the TYPE_CHECKING imports (what type checkers see) name the same homes
    tree = ast.parse(Path(zkmargin.__file__).read_text())
    guarded = next(
        n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.dump(n.test)
    )
    typed = {
        a.name: n.module for n in guarded.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    assert typed == homes
    assert set(zkmargin.__all__) == set(homes) and set(homes) <= set(dir(zkmargin))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'load_markets'"):
        zkmargin.load_markets  # noqa: B018
    assert zkmargin.load_market.__name__ == "load_market"  # the control


def test_import_zkmargin_stays_light() -> None:
    probe = (
        "import sys, zkmargin; loaded = lambda: sorted(m for m in sys.modules "
        "if m.startswith(('zkmargin.', 'numpy', 'numba'))); print(loaded()); "
        "zkmargin.InputError; print(loaded())"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "['zkmargin.errors']"]


@pytest.mark.slow
def test_the_worked_examples_of_docs_api_run(tmp_path: Path, monkeypatch) -> None:
    # the three tasks in order, in one namespace: the user checks the report the exchange proves
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(API_DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.attempted >= 25
    assert result.failed == 0
