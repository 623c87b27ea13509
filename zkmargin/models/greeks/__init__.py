"""Greeks-based margin (delta, gamma, vega per underlying group): ``sensitivities.py`` (each
contract's Greeks), ``calculator.py`` (the charges per contract and the requirement),
``circuit.py``."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(name="greeks", calculator=f"{__name__}.calculator", circuit=f"{__name__}.circuit")
