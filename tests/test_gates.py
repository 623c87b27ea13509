"""The code gates, run by the README's test command: ruff (lint and format), mypy strict on the
lower layers (``[tool.mypy]``), the import contracts (``[tool.importlinter]``: the lower layers
import only downward and know nothing of margins, batches, solvency or the CLI), and no import
cycle through a lower-layer module. Each failure prints the tool's own report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOWER_LAYERS = ("field", "curve", "hash", "dsl", "groth16")

GATES = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "."],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "."],
    "mypy": [sys.executable, "-m", "mypy"],
    "import contracts": [str(BIN / "lint-imports"), "--no-cache"],
}


@pytest.mark.parametrize("gate", list(GATES))
def test_gate_passes(gate: str) -> None:
    done = subprocess.run(GATES[gate], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{gate} failed:\n{done.stdout}\n{done.stderr}"


def import_cycles(graph: grimp.ImportGraph, packages: tuple[str, ...]) -> list[list[str]]:
    """The import cycles (strongly connected sets of modules, package ``__init__`` modules
    included) that pass through a module of one of ``packages``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(root: str) -> None:
        # Tarjan's algorithm, iterative: the module graph is deep enough to matter.
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1 and any(m.startswith(packages) for m in members):
                    cycles.append(sorted(members))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycle_anywhere() -> None:
    graph = grimp.build_graph(
        "zkmargin", include_external_packages=False, exclude_type_checking_imports=True
    )
    assert import_cycles(graph, ("zkmargin",)) == []


def test_the_cycle_finder_finds_a_cycle_beside_an_acyclic_control() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.registry", "pkg.fast", "pkg.fast.kernel", "other"):
        graph.add_module(module)
    graph.add_import(importer="pkg", imported="pkg.registry")
    graph.add_import(importer="pkg.registry", imported="pkg.fast.kernel")
    graph.add_import(importer="other", imported="pkg")
    assert import_cycles(graph, ("pkg",)) == []
    # the kernel reaching back up through the package's __init__ closes a loop
    graph.add_import(importer="pkg.fast.kernel", imported="pkg")
    assert import_cycles(graph, ("pkg",)) == [["pkg", "pkg.fast.kernel", "pkg.registry"]]
    assert import_cycles(graph, ("other",)) == []


CALCULATORS = sorted(
    f"zkmargin.models.{p.parent.name}.calculator"
    for p in (ROOT / "zkmargin" / "models").glob("*/calculator.py")
)


def test_each_model_calculator_imports_first_in_a_fresh_interpreter() -> None:
    # The static graph above leaves out a submodule's implicit import of its package's
    # __init__: a calculator importing ``zkmargin.margin.arith`` runs ``zkmargin/margin``'s.
    # Importing each first shows no loop closes through it at run time.
    assert len(CALCULATORS) >= 6
    for module in CALCULATORS:
        command = [sys.executable, "-c", f"import {module}"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{module} imported first:\n{done.stderr}"
