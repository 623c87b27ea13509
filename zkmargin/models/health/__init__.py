"""Account health with a buffer (healthy, margin call, liquidation): ``calculator.py`` (the
states every model's report counts), ``circuit.py`` (the states proven on a ``cross`` market)."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(name="health", circuit=f"{__name__}.circuit")
