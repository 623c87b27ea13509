"""Account health with a buffer (cross margin with brackets): every account's state, counted.

Instead of requiring every account to cover its requirement, this circuit proves each account's
state as the reference calculator defines it (:mod:`zkmargin.margin.health`) and publishes the
counts (:class:`zkmargin.batch.health.HealthStates`). With ``threshold(x) = ceil(x × (10^6 +
buffer) / 10^6)`` and the account's maintenance and initial requirements MM and IM (both from one
bracket selection per position, each position's figure exact, :mod:`zkmargin.batch.positions`):

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

from zkmargin.batch import AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import bounded_sum
from zkmargin.batch.health import LEVELS, HealthStates
from zkmargin.batch.positions import position_requirements
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded


class Health(HealthStates, BatchCircuit):
    model = "cross"
    name = "health"

    def levels(self, api: API, account: AccountWires, params: MarketParams) -> dict[str, Bounded]:
        each = position_requirements(api, account, params, LEVELS)
        return {lvl: bounded_sum(api, each[lvl]) for lvl in LEVELS}
