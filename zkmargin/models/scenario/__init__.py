"""Scenario-grid portfolio margin (SPAN-style): ``grids.py`` (the scenario grids),
``calculator.py`` (the priced risk arrays and the requirement), ``circuit.py``."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(
    name="scenario", calculator=f"{__name__}.calculator", circuit=f"{__name__}.circuit"
)
