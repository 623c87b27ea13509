"""Cross margin with notional brackets (perpetuals and futures).

Per instrument j: ``notional = ceil(|q| × unit notional / 10^8)`` (exact), its bracket from the
floors, and ``ceil(notional × rate / 10^6) − amount`` for the market's level (maintenance: MMR
and the maintenance amount; initial: IMR and the initial amount). The requirement is the sum
over instruments, the rate products rescaled together (:func:`zkmargin.batch.arith.rescale_sum`).
"""

from zkmargin.batch import MONEY_BITS, AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import bounded_sum, bracket_select, product, rescale_sum
from zkmargin.batch.positions import instrument_notional
from zkmargin.circuit import API
from zkmargin.circuit.gadgets import Bounded
from zkmargin.margin.fixed import RATE_SCALE


class Cross(BatchCircuit):
    model = "cross"
    name = "cross"

    def requirement(self, api: API, account: AccountWires, params: MarketParams) -> Bounded:
        initial = params.level == "initial"
        charges, amounts = [], []
        for j, rows in enumerate(params.brackets):
            with api.namespace(f"instrument[{j}]"):
                notional = instrument_notional(api, account, params, j)
                picked = bracket_select(
                    api,
                    notional,
                    [r.floor for r in rows],
                    {
                        "rate": [r.imr if initial else r.mmr for r in rows],
                        "amount": [r.im_amount if initial else r.mm_amount for r in rows],
                    },
                    bits=MONEY_BITS,
                )
                rate, amount = picked["rate"], picked["amount"]
                charges.append(product(api, notional, rate, "notional_x_rate"))
                amounts.append(amount)
        margin = rescale_sum(api, charges, RATE_SCALE, up=True, bits=MONEY_BITS, signed=False)
        return margin - bounded_sum(api, amounts)
