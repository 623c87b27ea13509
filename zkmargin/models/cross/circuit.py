"""Cross margin with notional brackets (perpetuals and futures).

Per slot k: ``notional = ceil(|q| × unit notional / 10^8)`` (exact), its bracket from the
row's floors, and ``ceil(notional × rate / 10^6) − amount`` at the shape's level (maintenance:
MMR and the maintenance amount; initial: IMR and the initial amount). The requirement is the
sum over the slots, the rate products rescaled together
(:func:`zkmargin.batch.arith.rescale_sum`). Table columns: ``unit_notional``, then per bracket
``floor[b]`` and the level's rate and amount (:mod:`zkmargin.batch.positions`).
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketVector
from zkmargin.batch.arith import bounded_sum, product, rescale_sum
from zkmargin.batch.positions import LevelBrackets, slot_brackets
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded
from zkmargin.margin.fixed import RATE_SCALE


class Cross(LevelBrackets, BatchCircuit):
    model = "cross"
    name = "cross"

    def requirement(self, api: API, account: AccountWires, vector: MarketVector) -> Bounded:
        level = self.shape.level
        charges, amounts = [], []
        for slot in account.slots:
            notional, picked = slot_brackets(api, slot, self.shape, [level])
            with api.namespace(f"slot[{slot.k}]"):
                charges.append(product(api, notional, picked[f"{level}_rate"], "notional_x_rate"))
            amounts.append(picked[f"{level}_amount"])
        margin = rescale_sum(api, charges, RATE_SCALE, up=True, bits=MONEY_BITS, signed=False)
        return margin - bounded_sum(api, amounts)
