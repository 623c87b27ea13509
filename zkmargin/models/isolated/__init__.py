"""Isolated margin with brackets, each isolated position against its own balance:
``calculator.py``, ``circuit.py``."""
