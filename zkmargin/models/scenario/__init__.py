"""Scenario-grid portfolio margin (SPAN-style): ``calculator.py``, ``grids.py``, ``circuit.py``."""
