"""The shipped margin models, one folder each, named as a market's ``model.name`` declares.

Each folder holds a model's parts side by side:

* ``__init__.py``: ``MODEL = ModelSpec(...)``, the model's name and its modules by dotted name,
  which :mod:`zkmargin.models.registry` reads (every folder of this package's ``__path__``);
* ``calculator.py``: the reference, in exact fixed point (and the float sanity mode): its
  ``margin`` entry (the requirement of every account, as :func:`zkmargin.margin.calculate`
  runs it) and, if it reads per-instrument data, ``instrument_rows`` (its checks and constants);
* ``circuit.py``: the batch circuit proving it (a :class:`zkmargin.batch.BatchCircuit`): its
  shape fields, its instrument table's columns and rows, and its ``define``;
* helpers only that model uses (``scenario/grids.py``, ``greeks/sensitivities.py``).

``health`` and ``health_portfolio`` prove account states instead of a plain requirement check,
on the ``cross`` and ``scenario`` markets, and ``isolated`` cross margin with isolated
positions: their specs name no calculator. Calculators never import circuits; a circuit reads
its calculator's tables and mirrors its rounding. Adding a model is one new folder and nothing
else (``docs/circuits.md``, "Adding a model in one folder").

The package imports nothing itself, nor does a folder's ``__init__.py`` beyond the registry:
the calculator loads a model's ``calculator`` module, and
:func:`zkmargin.batch.load_model_circuit` its ``circuit`` module, each when needed.
"""
