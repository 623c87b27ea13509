"""The shipped margin models, one folder each, named as a market's ``model.name`` declares.

Each folder holds a model's parts side by side:

* ``calculator.py``: the reference, in exact fixed point (and the float sanity mode): the
  requirement of one account, as :func:`zkmargin.margin.calculate` runs it;
* ``circuit.py``: the batch circuit proving it (a :class:`zkmargin.batch.BatchCircuit`): its
  shape fields, its instrument table's columns and rows, and its ``define``;
* helpers only that model uses (``scenario/grids.py``, ``greeks/sensitivities.py``).

``health`` and ``health_portfolio`` prove account states instead of a plain requirement check,
on the ``cross`` and ``scenario`` markets. Calculators never import circuits; a circuit reads its
calculator's tables and mirrors its rounding. Adding a model is one new folder
(``docs/circuits.md``, "Adding a model").

The package imports nothing itself: the calculator loads a model's ``calculator`` module, and
:func:`zkmargin.batch.load_model_circuit` its ``circuit`` module, each when needed.
"""
