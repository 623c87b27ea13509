"""Collateral value with tiered haircuts (every model's asset side): ``calculator.py``; on its
own, a proof of reserves per account: ``circuit.py``."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(
    name="collateral", calculator=f"{__name__}.calculator", circuit=f"{__name__}.circuit"
)
