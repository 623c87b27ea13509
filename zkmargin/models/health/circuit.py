"""Account health with a buffer (cross margin with brackets): every account's state, counted.

Instead of requiring every account to cover its requirement, this circuit proves each account's
state as the reference calculator defines it (:mod:`zkmargin.models.health.calculator`) and publishes the
counts (:class:`zkmargin.batch.health.HealthStates`). With ``threshold(x) = ceil(x × (10^6 +
buffer) / 10^6)`` and the account's maintenance and initial requirements MM and IM (both from one
bracket selection per slot, each level's sum of rate products rescaled once, exactly — the
calculator's figure; :mod:`zkmargin.batch.positions`):

* healthy: ``collateral >= threshold(IM)``;
* margin call: not healthy and ``collateral >= threshold(MM)``;
* liquidation: otherwise; its shortfall is ``threshold(MM) − collateral > 0``.

Every figure the states depend on is proven exact (the collateral value too),
so no witness can move an account to another state than the calculator's.

Public (:attr:`Statement.extra`, in this order): the number of healthy, margin-call and
liquidation accounts among the batch's ``count`` (padding is in none), and the total shortfall of
the accounts in liquidation. The leaf is the plain account leaf (same commitment as ``cross``);
``total_requirement`` is at the shape's level, as for the margin circuits. Table columns: the
bracket columns of both levels (``unit_notional``, per bracket ``floor[b]``, ``mmr[b]``,
``mm_amount[b]``, ``imr[b]``, ``im_amount[b]``).
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, Column, MarketVector, Shape
from zkmargin.batch.arith import bounded_sum, rescale_sum
from zkmargin.batch.health import LEVELS, HealthStates
from zkmargin.batch.positions import bracket_columns, bracket_rows, position_terms
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded
from zkmargin.margin import Market
from zkmargin.margin.fixed import RATE_SCALE


class Health(HealthStates, BatchCircuit):
    model = "cross"
    name = "health"
    shape_fields = ("brackets",)

    @classmethod
    def table_columns(cls, shape: Shape) -> tuple[Column, ...]:
        return bracket_columns(shape, LEVELS)

    @classmethod
    def table_rows(cls, market: Market, shape: Shape) -> list[list[int]]:
        return bracket_rows(market, shape, LEVELS)

    def levels(self, api: API, account: AccountWires, vector: MarketVector) -> dict[str, Bounded]:
        # Each level's rate products summed and rescaled once, exactly: the calculator's figure.
        out = {}
        for lvl, terms in position_terms(api, account, self.shape, LEVELS).items():
            rated = rescale_sum(
                api,
                [t for t, _ in terms],
                RATE_SCALE,
                up=True,
                bits=MONEY_BITS,
                signed=False,
                name=f"{lvl}_charges",
                exact=True,
            )
            out[lvl] = rated - bounded_sum(api, [a for _, a in terms])
        return out
