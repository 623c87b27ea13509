"""Loading a circuit class from a researcher's file: ``path/to/file.py[:ClassName]``.

A circuit file defines one :class:`~zkmargin.dsl.Circuit` subclass (or names the one to use in
a module-level ``CIRCUIT``); ``file.py:ClassName`` picks a class explicitly. Circuits known by
name (the shipped models, a researcher's folder) are found by :mod:`zkmargin.batch.loader`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

from zkmargin.dsl.circuit import Circuit
from zkmargin.errors import InputError


def split_spec(spec: str) -> tuple[str, str]:
    """``("file.py", "Class")`` for ``file.py:Class``; the class part is empty when not given."""
    if ":" in spec and not spec.endswith(".py"):
        path, class_name = spec.rsplit(":", 1)
        return path, class_name
    return spec, ""


def load_circuit_file(spec: str) -> type[Circuit]:
    """The circuit class in the file ``spec`` names (``file.py`` or ``file.py:Class``)."""
    path_part, class_name = split_spec(spec)
    path = Path(path_part)
    if not path.is_file():
        raise InputError(str(path), "circuit", "file not found")
    return circuit_class_in(_import_file(path), str(path), class_name)


def circuit_class_in(module: ModuleType, where: str, class_name: str = "") -> type[Circuit]:
    """The circuit class of ``module``: ``class_name`` if given, else its ``CIRCUIT``, else its
    one :class:`Circuit` subclass (``where`` names the module in a refusal)."""
    if class_name:
        cls = getattr(module, class_name, None)
        if not (inspect.isclass(cls) and issubclass(cls, Circuit)):
            raise InputError(where, class_name, "is not a Circuit subclass in that file")
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
        raise InputError(where, "circuit", f"{what}; name one as FILE.py:Class or set CIRCUIT")
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
