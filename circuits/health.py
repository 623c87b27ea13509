"""Account health with a buffer (cross margin with brackets): every account's state, counted.

Instead of requiring every account to cover its requirement, this circuit proves each account's
state as the reference calculator defines it (:mod:`zkmargin.margin.health`) and publishes the
counts. With ``threshold(x) = ceil(x × (10^6 + buffer) / 10^6)`` (exact) and the account's
maintenance and initial requirements MM and IM (per position exact,
:mod:`zkmargin.batch.positions`):

* healthy: ``collateral >= threshold(IM)``;
* margin call: not healthy and ``collateral >= threshold(MM)``;
* liquidation: otherwise; its shortfall is ``threshold(MM) − collateral > 0``.

Every figure the states depend on is proven exact (the collateral value per haircut tier too),
so no witness can move an account to another state than the calculator's.

Public (:attr:`Statement.extra`, in this order): the number of healthy, margin-call and
liquidation accounts among the batch's ``count`` (padding is in none), and the total shortfall of
the accounts in liquidation. The leaf is the plain account leaf (same commitment as ``cross``);
``total_requirement`` is at the market's level, as for the margin circuits.
"""

from typing import Any

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import bounded_sum, product, rescale_sum
from zkmargin.batch.positions import LEVELS, position_requirements
from zkmargin.circuit import API, LC
from zkmargin.circuit.gadgets import Bounded, is_negative
from zkmargin.margin import Market
from zkmargin.margin.arith import EXACT
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.margin.health import HEALTHY, LIQUIDATION, MARGIN_CALL, threshold


class Health(BatchCircuit):
    model = "cross"
    name = "health"
    proves_cover = False
    statement_extra_names = ("healthy", "margin_call", "liquidation", "shortfall")

    def account_figures(
        self, api: API, account: AccountWires, params: MarketParams
    ) -> tuple[Bounded, Bounded]:
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, params, exact=True)
        with api.namespace("requirement"):
            each = position_requirements(api, account, params, LEVELS)
        levels = {lvl: bounded_sum(api, each[lvl]) for lvl in LEVELS}
        account.notes["levels"] = levels
        return collateral, levels[params.level]

    def account_totals(
        self,
        api: API,
        account: AccountWires,
        params: MarketParams,
        real: LC,
        collateral: Bounded,
        requirement: Bounded,
    ) -> list[Bounded]:
        levels = account.notes["levels"]
        with api.namespace("health"):
            met = {}
            thresholds = {}
            for lvl in LEVELS:
                term = product(api, levels[lvl], params.buffer + RATE_SCALE, f"{lvl}_x_buffer")
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
            gap = thresholds["maintenance"] - collateral
            shortfall = product(api, liquidation, gap, "shortfall")
        return [healthy, margin_call, liquidation, shortfall]

    @classmethod
    def statement_extra(cls, market: Market, accounts: Any, result: Any) -> tuple[int, ...]:
        codes = [int(h) for h in result.health]
        thr = threshold(EXACT, result.maintenance, market.model.buffer)
        short = sum(
            int(t) - int(c)
            for t, c, h in zip(thr, result.collateral_value, codes, strict=True)
            if h == LIQUIDATION
        )
        return (codes.count(HEALTHY), codes.count(MARGIN_CALL), codes.count(LIQUIDATION), short)
