"""Margin-call notice: one account of a report's tree is in margin call or in liquidation.

A single-account circuit (:mod:`zkmargin.account_circuits.base`: the account, its leaf and a Merkle path
to the report's root) over the ``health`` circuit's encoding — same table, market vector and
leaf — so a notice checks against a report proven with ``health`` of the same shape. Its claim
(:class:`zkmargin.account_circuits.statement.NoticeStatement`): the account is not healthy
(``notice/not_healthy``) and its state is ``state`` (``notice/state``: 1 margin call, 2
liquidation), exactly as the calculator's.
"""

from typing import Any

from zkmargin.account_circuits.base import SingleAccount
from zkmargin.account_circuits.statement import NoticeStatement
from zkmargin.batch import AccountWires, load_model_circuit
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded
from zkmargin.margin import Account, Market

Health = load_model_circuit("health")


class Notice(SingleAccount, Health):
    name = "notice"
    statement_class = NoticeStatement
    claim_names = ("state",)

    def claim(self, api: API, account: AccountWires, states: list[Bounded]) -> None:
        healthy, margin_call, liquidation = states
        with api.namespace("notice"):
            api.assert_equal(healthy.lc, 0, name="not_healthy")
            api.assert_equal(margin_call.lc + 2 * liquidation.lc, self.state, name="state")

    @classmethod
    def claim_inputs(cls, market: Market, account: Account, result: Any, **claim: Any) -> dict:
        return {"state": int(result.health[0])}
