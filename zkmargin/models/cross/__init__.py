"""Cross margin with notional brackets (perpetuals and futures): ``calculator.py`` (the
bracket figures, also used by ``isolated`` and ``health``), ``circuit.py``."""

from zkmargin.models.registry import ModelSpec

MODEL = ModelSpec(name="cross", calculator=f"{__name__}.calculator", circuit=f"{__name__}.circuit")
