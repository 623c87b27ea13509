"""Account health on a scenario-grid (portfolio margin) market: states counted, as ``health``.

MM is the scenario model's requirement (``zkmargin/models/scenario/circuit.py``) at the maintenance level and
IM ``= ceil(MM × initial_factor / 10^6)``, exactly as the reference calculator; the states, the
public counts and the liquidation shortfall are :class:`zkmargin.batch.health.HealthStates`'.
The scenario sums of rounded losses keep their usual slack (MM can be raised a few 10^-8 by a
dishonest prover, never lowered), so a state can be shown worse than the calculator's, never
better.
"""

from zkmargin.batch import load_model_circuit
from zkmargin.batch.health import GroupedHealth

Scenario = load_model_circuit("scenario")


class PortfolioHealth(GroupedHealth, Scenario):
    name = "health_portfolio"
