"""Account health on a scenario-grid market: ``circuit.py`` (the states of ``health`` over the
``scenario`` model's requirement; the calculator is ``health``'s and ``scenario``'s)."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(name="health_portfolio", circuit=f"{__name__}.circuit")
