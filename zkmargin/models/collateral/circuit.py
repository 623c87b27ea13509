"""Collateral only: proves every account's haircut collateral value and the batch's balances.

The requirement is 0, so the margin check is trivially met; the statement's totals (collateral
value and balances per asset) are what this circuit is for — a proof of reserves per account
with tiered haircuts. It reads no instrument table (``table_root`` 0): positions are committed
in the leaf as well-formed slots, nothing more.
"""

from zkmargin.batch import AccountWires, BatchCircuit, MarketVector
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded


class Collateral(BatchCircuit):
    model = "collateral"
    name = "collateral"
    claim_text = "has its collateral valued with the market's haircuts (no margin requirement)"

    def requirement(self, api: API, account: AccountWires, vector: MarketVector) -> Bounded:
        return Bounded.constant(api, 0)
