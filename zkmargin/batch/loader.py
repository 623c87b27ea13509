"""Finding a circuit by name (a shipped model, a researcher's folder) or by path to a file.

The shipped circuits are modules: each margin model's, named by its folder's spec
(:mod:`zkmargin.models.registry`; ``zkmargin/models/<name>/circuit.py``), and the single-account
``zkmargin/account_circuits/<name>.py``. A researcher's circuit is a file,
named by path (``file.py[:Class]``) or by its stem when its folder is in ``$ZKMARGIN_CIRCUITS``.

>>> load_model_circuit("collateral").model
'collateral'
>>> load_model_circuit("portfolio") is load_model_circuit("scenario")
True
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from pathlib import Path

from zkmargin.batch.base import BatchCircuit
from zkmargin.batch.encoding import MAX_ID_BYTES
from zkmargin.dsl import Circuit
from zkmargin.dsl.loader import circuit_class_in, load_circuit_file, split_spec
from zkmargin.errors import InputError
from zkmargin.models.registry import specs

ACCOUNT_CIRCUITS = ("notice", "attestation")
"""The shipped single-account circuits, each a module ``zkmargin/account_circuits/<name>.py``."""

ALIASES = {"portfolio": "scenario"}
"""Other names users know a model by (the scenario grid is "portfolio margin")."""


def builtin_module(name: str) -> str | None:
    """The module holding the shipped circuit ``name`` (a model folder's or a single-account
    circuit), or None."""
    if name in specs():
        return specs()[name].circuit
    if name in ACCOUNT_CIRCUITS:
        return f"zkmargin.account_circuits.{name}"
    return None


def circuit_dirs() -> list[Path]:
    """Researchers' folders of circuit files, searched by name before the shipped circuits:
    ``$ZKMARGIN_CIRCUITS`` (os.pathsep-separated)."""
    return [Path(d) for d in os.environ.get("ZKMARGIN_CIRCUITS", "").split(os.pathsep) if d]


def available_circuits() -> list[str]:
    """Every circuit name :func:`find_circuit` knows.

    >>> {"collateral", "scenario", "notice"} <= set(available_circuits())
    True
    """
    found = {f.stem for d in circuit_dirs() if d.is_dir() for f in d.glob("*.py")}
    names = {n for n in found if not n.startswith("_")} | set(specs()) | set(ACCOUNT_CIRCUITS)
    return sorted(names)


def find_circuit(spec: str) -> type[Circuit]:
    """The circuit class ``spec`` names: a file (``file.py[:Class]``), a file in a folder of
    :func:`circuit_dirs`, or a shipped circuit (:func:`builtin_module`).

    >>> find_circuit("collateral").__name__
    'Collateral'
    >>> find_circuit("no_such_model")
    Traceback (most recent call last):
    zkmargin.errors.InputError: no_such_model: circuit: no circuit of that name (known: ...)
    """
    if is_path(spec):
        return load_circuit_file(spec)
    name, class_name = split_spec(spec)
    for d in circuit_dirs():
        if (d / f"{name}.py").is_file():
            return load_circuit_file(f"{d / name}.py" + (f":{class_name}" if class_name else ""))
    module = builtin_module(name)
    if module is None:
        known = ", ".join(available_circuits())
        raise InputError(spec, "circuit", f"no circuit of that name (known: {known})")
    return circuit_class_in(importlib.import_module(module), module, class_name)


def load_model_circuit(name_or_path: str) -> type[BatchCircuit]:
    """The :class:`BatchCircuit` subclass named ``name_or_path`` (:func:`find_circuit`;
    ``portfolio`` is ``scenario``). A market's default is
    ``load_model_circuit(market.model.name)``."""
    return _load(ALIASES.get(name_or_path, name_or_path))


@cache
def _load(spec: str) -> type[BatchCircuit]:
    # One class object per spec and process: importing a file twice would make two classes.
    cls = find_circuit(spec)
    if not issubclass(cls, BatchCircuit):
        raise InputError(spec, "circuit", "is not a BatchCircuit (zkmargin.batch)")
    if is_path(spec):
        path, _, class_name = spec.partition(".py")
        label = f"file:{Path(path).name}.py{class_name}"
        if len(label.encode()) > MAX_ID_BYTES:
            raise InputError(spec, "circuit", f"file name too long (at most {MAX_ID_BYTES} bytes)")
        cls.source = label
    return cls


def is_path(spec: str) -> bool:
    """Whether a ``--circuit`` value names a file (``file.py`` or ``file.py:Class``), not a name."""
    return spec.endswith(".py") or ".py:" in spec
