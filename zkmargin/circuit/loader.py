"""Loading a circuit class by name (a file in ``circuits/``) or by path to a researcher's file.

A circuit file defines one :class:`~zkmargin.circuit.Circuit` subclass (or names the one to use
in a module-level ``CIRCUIT``). ``path/to/file.py:ClassName`` picks a class explicitly.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
from pathlib import Path
from types import ModuleType

from zkmargin.circuit.circuit import Circuit
from zkmargin.errors import InputError

BUILTIN_PACKAGE = "zkmargin_circuits"
"""The installed name of the repository's ``circuits/`` folder (pyproject's package-dir)."""


def builtin_circuits_dir() -> Path:
    """The shipped circuits: the installed package :data:`BUILTIN_PACKAGE` when there is one
    (a wheel install), else the checkout's ``circuits/`` next to ``zkmargin/``."""
    spec = importlib.util.find_spec(BUILTIN_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "circuits"


def circuit_dirs() -> list[Path]:
    """Where circuit names are looked up: ``$ZKMARGIN_CIRCUITS`` (os.pathsep-separated), then
    the shipped circuits (:func:`builtin_circuits_dir`)."""
    dirs = [Path(d) for d in os.environ.get("ZKMARGIN_CIRCUITS", "").split(os.pathsep) if d]
    dirs.append(builtin_circuits_dir())
    return dirs


def available_circuits() -> list[str]:
    """Names of the circuits found in :func:`circuit_dirs`."""
    names = {
        f.stem
        for d in circuit_dirs()
        if d.is_dir()
        for f in d.glob("*.py")
        if not f.stem.startswith("_")
    }
    return sorted(names)


def load_circuit_class(spec: str) -> type[Circuit]:
    """The circuit class for ``spec``: a name in :func:`circuit_dirs`, or ``file.py[:Class]``."""
    path_part, class_name = spec, ""
    if ":" in spec and not spec.endswith(".py"):
        path_part, class_name = spec.rsplit(":", 1)
    path = Path(path_part)
    if path.suffix != ".py":
        for d in circuit_dirs():
            if (d / f"{path_part}.py").is_file():
                path = d / f"{path_part}.py"
                break
        else:
            known = ", ".join(available_circuits()) or "none"
            raise InputError(spec, "circuit", f"no circuit of that name (known: {known})")
    if not path.is_file():
        raise InputError(str(path), "circuit", "file not found")
    module = _import_file(path)
    if class_name:
        cls = getattr(module, class_name, None)
        if not (inspect.isclass(cls) and issubclass(cls, Circuit)):
            raise InputError(str(path), class_name, "is not a Circuit subclass in that file")
        return cls
    named = getattr(module, "CIRCUIT", None)
    if inspect.isclass(named) and issubclass(named, Circuit):
        return named
    found = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Circuit) and obj.__module__ == module.__name__
    ]
    if len(found) != 1:
        what = "no Circuit subclass" if not found else f"{len(found)} Circuit subclasses"
        raise InputError(str(path), "circuit", f"{what}; name one as FILE.py:Class or set CIRCUIT")
    return found[0]


def _import_file(path: Path) -> ModuleType:
    # A stable, path-derived module name lets two circuit files with the same stem coexist.
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    name = f"zkmargin_user_circuit_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InputError(str(path), "circuit", "cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as err:
        raise InputError(str(path), f"line {err.lineno}", f"syntax error: {err.msg}") from None
    return module
