"""Greeks-based margin (delta, gamma, vega per underlying group): ``sensitivities.py`` (each
contract's Greeks), ``calculator.py``, ``circuit.py``."""
