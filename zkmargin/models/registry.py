"""The margin models, found by scanning the folders of the :mod:`zkmargin.models` package.

Every folder ``zkmargin/models/<name>/`` declares, in its ``__init__.py``, one :class:`ModelSpec`
named ``MODEL``: its name (the folder's), its calculator module if a market's ``model.name``
may name it, and its circuit module, both by dotted name. Each is imported when first needed,
so the calculator never loads a circuit and reading a spec loads neither. Everything that
lists models reads this registry: the market schema's ``model.name``, the calculator's
dispatch, the per-instrument tables and the circuit loader. A folder on
``zkmargin.models.__path__`` is found too: adding a model edits nothing outside its folder.

>>> sorted(market_models())
['collateral', 'cross', 'greeks', 'scenario']
>>> spec("health").circuit, spec("health").calculator is None
('zkmargin.models.health.circuit', True)
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zkmargin.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from zkmargin.margin.arith import Arith
    from zkmargin.margin.domain import Market
    from zkmargin.margin.tables import ModelRows, Tables

MarginFn = Callable[["Arith", "np.ndarray", "Tables", "Market"], "dict[str, np.ndarray]"]
RowsFn = Callable[["Market"], "ModelRows | None"]


@dataclass(frozen=True)
class ModelSpec:
    """What a model folder declares as ``MODEL`` in its ``__init__.py``: its name (the
    folder's) and its modules by dotted name, imported when first needed.

    ``calculator``: a module defining ``margin(ar, q, tables, market)`` — the calculator entry,
    a dict of arrays over the accounts (``q``: accounts × instruments, quantity scale) with
    ``maintenance``, ``initial`` (else ``ceil(maintenance × initial_factor / 10^6)``) and the
    intermediates the witness builders read — and, if the model reads per-instrument data,
    ``instrument_rows(market)``: checks the model can margin every instrument (raising
    :class:`~zkmargin.errors.InputError` naming the field) and returns its own constants
    (:class:`~zkmargin.margin.tables.ModelRows`, or ``None``). ``None``: a circuit proving
    another model's figures (its circuit's ``model``), not a name a market may declare.
    ``circuit``: the module holding the model's :class:`~zkmargin.batch.BatchCircuit`.
    ``parameters``: the JSON Schema of each key the model reads from a market's ``model``
    section beyond the common ones (``$ref`` may name the market schema's ``$defs``: ``name``,
    ``unsigned``, ``signed``); their values reach the model as ``market.model.params``.
    """

    name: str
    circuit: str
    calculator: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Calculator:
    """A model's calculator entries (:class:`ModelSpec`), loaded."""

    margin: MarginFn
    instrument_rows: RowsFn | None


def _folder(info: pkgutil.ModuleInfo) -> str:
    return str(Path(getattr(info.module_finder, "path", "")) / info.name)


@cache
def _scan() -> tuple[dict[str, ModelSpec], dict[str, str]]:
    import zkmargin.models as package

    out: dict[str, ModelSpec] = {}
    folders: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        where = _folder(info)
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found: Any = getattr(module, "MODEL", None)
        if not isinstance(found, ModelSpec):
            raise InputError(where, "__init__.py", "declares no MODEL = ModelSpec(...)")
        if found.name != info.name:
            raise InputError(where, "MODEL.name", f"{found.name!r} is not the folder's name")
        for part in ("calculator", "circuit"):
            dotted = getattr(found, part)
            if dotted is not None and importlib.util.find_spec(dotted) is None:
                raise InputError(where, part, f"no module {dotted} ({part}.py)")
        out[found.name] = found
        folders[found.name] = where
    return out, folders


def specs() -> Mapping[str, ModelSpec]:
    """Every model folder's spec, by name (scanned once per process; :func:`forget`).

    A folder missing a part is refused: :class:`InputError` naming the folder and the part.
    """
    return _scan()[0]


def spec(name: str) -> ModelSpec:
    """The spec of model ``name`` (``KeyError`` if no folder declares it)."""
    return specs()[name]


def folder(name: str) -> str:
    """Where model ``name``'s folder is (for messages)."""
    return _scan()[1][name]


def model_parameters() -> set[str]:
    """The keys of a market's ``model`` section that model folders declare (``parameters``)."""
    return {key for s in specs().values() for key in s.parameters}


def market_models() -> tuple[str, ...]:
    """The names a market's ``model.name`` may declare: the models with a calculator."""
    return tuple(name for name, s in specs().items() if s.calculator is not None)


@cache
def calculator(name: str) -> Calculator | None:
    """Model ``name``'s calculator entries (``None``: a circuit-only folder); a calculator
    module without ``margin`` is refused like a missing part."""
    dotted = spec(name).calculator
    if dotted is None:
        return None
    module = importlib.import_module(dotted)
    margin = getattr(module, "margin", None)
    if not callable(margin):
        raise InputError(folder(name), "calculator.margin", f"{dotted} defines no margin()")
    return Calculator(margin, getattr(module, "instrument_rows", None))


def forget() -> None:
    """Scan the folders afresh on next use (after ``zkmargin.models.__path__`` changed)."""
    _scan.cache_clear()
    calculator.cache_clear()
