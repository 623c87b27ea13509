"""Health attestation: one account of a report's tree is healthy, or has at least some excess.

A single-account circuit (:mod:`zkmargin.account_circuits.base`) over the ``health`` circuit's encoding,
proven by the user from their receipt and the public report. Its claim
(:class:`zkmargin.account_circuits.statement.AttestationStatement`), ``kind`` a boolean
(``attest/kind/boolean``):

* ``kind`` 0: the account is healthy (``attest/healthy``: ``(1 − kind)·(1 − healthy) = 0``) and
  ``min_excess`` is 0 (``attest/min_excess_unused``);
* ``kind`` 1: ``collateral − threshold(requirement at the market's level) − min_excess >= 0``
  (``attest/excess/...``, a range check of ``kind × gap``; ``min_excess`` itself is below
  2^72, ``attest/min_excess/...``) — the calculator's excess, buffer included, at least
  ``min_excess``.

The verifier learns the claim, the report and the account's pseudonym only.
"""

from typing import Any

from zkmargin.account_circuits.base import SingleAccount
from zkmargin.account_circuits.statement import EXCESS_CLAIM, HEALTHY_CLAIM, AttestationStatement
from zkmargin.batch import AccountWires, load_model_circuit
from zkmargin.batch.wires import MONEY_BITS
from zkmargin.dsl import API
from zkmargin.dsl.gadgets import Bounded, range_check
from zkmargin.dsl.gadgets.bits import assert_bool
from zkmargin.margin import Account, Market

Health = load_model_circuit("health")


class Attestation(SingleAccount, Health):
    name = "attestation"
    statement_class = AttestationStatement
    claim_names = ("kind", "min_excess")

    def claim(self, api: API, account: AccountWires, states: list[Bounded]) -> None:
        healthy = states[0]
        threshold = account.notes["thresholds"][self.shape.level]
        collateral = account.notes["collateral"]
        kind, floor = api.lc(self.kind), api.lc(self.min_excess)
        with api.namespace("attest"):
            assert_bool(api, kind, name="kind/boolean")
            api.assert_product(1 - kind, 1 - healthy.lc, 0, name="healthy")
            api.assert_product(1 - kind, floor, 0, name="min_excess_unused")
            with api.namespace("min_excess"):
                range_check(api, floor, MONEY_BITS)
            gap = api.mul(kind, collateral.lc - threshold.lc - floor, name="gap")
            with api.namespace("excess"):
                range_check(api, gap, MONEY_BITS + 1)

    @classmethod
    def claim_inputs(cls, market: Market, account: Account, result: Any, **claim: Any) -> dict:
        """``claim``: ``min_excess`` (money, 10^-8) for an excess claim, none for healthy."""
        floor = claim.get("min_excess")
        if floor is None:
            return {"kind": HEALTHY_CLAIM, "min_excess": 0}
        return {"kind": EXCESS_CLAIM, "min_excess": floor}
