"""Health states in a batch circuit: each account healthy, in margin call or in liquidation.

:class:`HealthStates` is a mixin for a :class:`~zkmargin.batch.BatchCircuit` that reports
states instead of requiring cover (``proves_cover = False``). A model supplies both levels'
requirements (:meth:`HealthStates.levels`); the mixin proves, with ``threshold(x) = ceil(x ×
(10^6 + buffer) / 10^6)`` exact (``health/<level>_threshold/...``):

* healthy: ``collateral >= threshold(IM)`` (``health/initial_met/...``);
* margin call: not healthy and ``collateral >= threshold(MM)`` (``health/maintenance_met/...``);
* liquidation: otherwise, shortfall ``threshold(MM) − collateral``;

and publishes per batch, as :attr:`Statement.extra`, the counts per state and the liquidation
shortfall (:data:`HEALTH_TOTALS`). The collateral value is proven exact per haircut tier. The
states are the reference calculator's (:mod:`zkmargin.models.health.calculator`).

>>> HEALTH_TOTALS
('healthy', 'margin_call', 'liquidation', 'shortfall')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from zkmargin.batch.arith import product, rescale_sum
from zkmargin.batch.charges import level_requirement
from zkmargin.batch.vector import MarketVector
from zkmargin.batch.wires import MONEY_BITS, AccountWires
from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets import Bounded, is_negative
from zkmargin.margin.arith import EXACT
from zkmargin.margin.domain import Account, Market
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.models.health.calculator import HEALTHY, LIQUIDATION, MARGIN_CALL, threshold

LEVELS = ("maintenance", "initial")
HEALTH_TOTALS = ("healthy", "margin_call", "liquidation", "shortfall")


class HealthStates:
    """Mixin (before the :class:`~zkmargin.batch.BatchCircuit` base): see the module docstring.

    Subclasses implement :meth:`levels`.
    """

    proves_cover: ClassVar[bool] = False
    statement_extra_names: ClassVar[tuple[str, ...]] = HEALTH_TOTALS
    padding_counts: ClassVar[tuple[str, ...]] = ("healthy",)
    claim_text: ClassVar[str] = (
        "is counted in its state (healthy, margin call or liquidation) against its initial and "
        "maintenance margin{buffer} under the {model} model"
    )

    def levels(self, api: API, account: AccountWires, vector: MarketVector) -> dict[str, Bounded]:
        """``{"maintenance": MM, "initial": IM}`` of the account (inside ``requirement/``)."""
        raise NotImplementedError

    def account_figures(
        self, api: API, account: AccountWires, vector: MarketVector
    ) -> tuple[Bounded, Bounded]:
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, vector, exact=True)  # type: ignore[attr-defined]
        with api.namespace("requirement"):
            levels = self.levels(api, account, vector)
        account.notes["levels"] = levels
        return collateral, levels[self.shape.level]  # type: ignore[attr-defined]

    def account_totals(
        self,
        api: API,
        account: AccountWires,
        vector: MarketVector,
        real: LC,
        collateral: Bounded,
        requirement: Bounded,
    ) -> list[Bounded]:
        levels = account.notes["levels"]
        with api.namespace("health"):
            met, thresholds = {}, {}
            for lvl in LEVELS:
                term = product(api, levels[lvl], vector.buffer + RATE_SCALE, f"{lvl}_x_buffer")
                thresholds[lvl] = rescale_sum(
                    api,
                    [term],
                    RATE_SCALE,
                    up=True,
                    bits=MONEY_BITS,
                    signed=False,
                    name=f"{lvl}_threshold",
                )
                with api.namespace(f"{lvl}_met"):
                    met[lvl] = 1 - is_negative(api, collateral - thresholds[lvl])
            flag = Bounded(api, real, 0, 1)
            healthy = product(api, flag, met["initial"], "healthy")
            not_healthy = flag - healthy
            margin_call = product(api, not_healthy, met["maintenance"], "margin_call")
            liquidation = not_healthy - margin_call
            # liquidation = 1 only where collateral < threshold(MM): the product is positive.
            gap = thresholds["maintenance"] - collateral
            shortfall = product(api, liquidation, gap, "shortfall")
        account.notes["thresholds"] = thresholds  # a single-account claim reads them
        return [healthy, margin_call, liquidation, shortfall]

    @classmethod
    def statement_extra(
        cls, market: Market, accounts: Sequence[Account], result: Any
    ) -> tuple[int, ...]:
        codes = [int(h) for h in result.health]
        thr = threshold(EXACT, result.maintenance, market.model.buffer)
        short = sum(
            int(t) - int(c)
            for t, c, h in zip(thr, result.collateral_value, codes, strict=True)
            if h == LIQUIDATION
        )
        return (codes.count(HEALTHY), codes.count(MARGIN_CALL), codes.count(LIQUIDATION), short)


class GroupedHealth(HealthStates):
    """Health for the grouped models (scenario, Greeks): MM is the model's own requirement at
    the maintenance level, IM ``= ceil(MM × initial_factor / 10^6)`` (exact), as the calculator.

    Put it before the model circuit (a :class:`~zkmargin.batch.charges.GroupedModel`):
    ``class PortfolioHealth(GroupedHealth, Scenario)``. The model's sums of rounded terms are
    proven up to their usual slack (a dishonest prover can only raise MM by a few 10^-8, never
    lower it): a state can be shown worse, never better.
    """

    def levels(self, api: API, account: AccountWires, vector: MarketVector) -> dict[str, Bounded]:
        mm = self.maintenance(api, account)  # type: ignore[attr-defined]
        im = level_requirement(api, mm, vector, "initial")
        return {"maintenance": mm, "initial": im}


__all__ = ["HEALTH_TOTALS", "LEVELS", "GroupedHealth", "HealthStates"]
