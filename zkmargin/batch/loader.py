"""Loading a model circuit by name (``circuits/<name>.py``) or by path to a researcher's file.

>>> load_model_circuit("collateral").model
'collateral'
>>> load_model_circuit("portfolio") is load_model_circuit("scenario")
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from zkmargin.batch.circuit import BatchCircuit
from zkmargin.batch.encoding import MAX_ID_BYTES
from zkmargin.circuit.loader import load_circuit_class
from zkmargin.errors import InputError

ALIASES = {"portfolio": "scenario"}
"""Other names users know a model by (the scenario grid is "portfolio margin")."""


def load_model_circuit(name_or_path: str) -> type[BatchCircuit]:
    """The :class:`BatchCircuit` subclass named ``name_or_path``.

    A name looks in ``$ZKMARGIN_CIRCUITS`` then the shipped circuits (``cross``, ``scenario``
    alias ``portfolio``, ``greeks``, ``collateral``, ``isolated``, ``health``,
    ``health_portfolio``: the installed
    ``zkmargin_circuits`` package or the checkout's ``circuits/``); a path is ``file.py`` or
    ``file.py:Class``. A market's default is ``load_model_circuit(market.model.name)``.
    """
    return _load(ALIASES.get(name_or_path, name_or_path))


@cache
def _load(spec: str) -> type[BatchCircuit]:
    # One class object per spec and process: importing a file twice would make two classes.
    cls = load_circuit_class(spec)
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
