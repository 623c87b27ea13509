"""Isolated margin with brackets, each isolated position against its own balance:
``calculator.py``, ``circuit.py``."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(name="isolated", circuit=f"{__name__}.circuit")
