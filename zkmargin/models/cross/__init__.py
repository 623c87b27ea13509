"""Cross margin with notional brackets (perpetuals and futures): ``calculator.py`` (the
bracket figures, also used by ``isolated`` and ``health``), ``circuit.py``."""
