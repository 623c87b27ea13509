"""Isolated margin with brackets: isolated positions against their own margin balances.

Per account, each instrument j is either cross or isolated, with an isolated margin balance
``a_j`` (money, marked to market: allocation plus unrealised P&L; 0 when cross). Both are
committed in the leaf (extended leaf: flags, then balances, in instrument order). Per position
``r_j`` is the exact bracket requirement at the market's level (:mod:`zkmargin.batch.positions`).
The circuit proves, with ``B = 10^6 + buffer``:

* ``isolated[j]/covered``: ``a_j·10^6 >= B·(flag_j·r_j)`` — an isolated position is covered by
  its own balance (a cross one checks ``0 >= 0``);
* ``cross/covered``: ``collateral·10^6 >= B·Σ_j (1 − flag_j)·r_j`` — the haircut collateral
  value (the cross wallet) covers the cross positions;
* ``extra/isolated[j]/cross_has_no_balance``: a cross position holds no isolated balance.

Figures: collateral ``= collateral value + Σ_j a_j``, requirement ``= Σ_j r_j``; the base class's
``margin/covered`` then holds as the sum of the parts. The reference is
:func:`zkmargin.margin.isolated_margin`.
"""

from typing import Any

from zkmargin.batch import AccountWires, BatchCircuit, MarketParams
from zkmargin.batch.arith import bounded_sum, product
from zkmargin.batch.circuit import BALANCE_BITS
from zkmargin.batch.positions import position_requirements
from zkmargin.circuit import API, LC
from zkmargin.circuit.gadgets import Bounded, assert_nonnegative, range_check
from zkmargin.circuit.gadgets.bits import assert_bool
from zkmargin.margin import Account, Market, isolated_margin
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.margin.isolated import isolated_vectors


class Isolated(BatchCircuit):
    model = "cross"
    name = "isolated"
    claim_text = (
        "meets its {level} margin{buffer} under the cross model, each isolated position by its "
        "own balance and the other positions by the cross wallet"
    )

    @classmethod
    def extra_size(cls, market: Market) -> int:
        return 2 * len(market.instruments)

    @classmethod
    def leaf_extra(cls, market: Market, account: Account) -> list[int]:
        flags, balances = isolated_vectors(market, account)
        return [*flags, *balances]

    def check_extra(self, api: API, account: AccountWires, extra: list[LC]) -> list[Bounded]:
        n = self.n_instruments
        flags, balances = [], []
        for j, (f, a) in enumerate(zip(extra[:n], extra[n:], strict=True)):
            with api.namespace(f"isolated[{j}]"):
                assert_bool(api, f, name="flag")
                flag = Bounded(api, f, 0, 1)
                with api.namespace("balance"):
                    balance = range_check(api, a, BALANCE_BITS)
                api.assert_product(1 - flag.lc, balance.lc, 0, name="cross_has_no_balance")
            flags.append(flag)
            balances.append(balance)
        return [*flags, *balances]

    def account_figures(
        self, api: API, account: AccountWires, params: MarketParams
    ) -> tuple[Bounded, Bounded]:
        n = self.n_instruments
        flags, balances = account.extra[:n], account.extra[n:]
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, params)
        with api.namespace("requirement"):
            each = position_requirements(api, account, params, [params.level])[params.level]
        isolated_parts = []
        for j, (flag, balance, r) in enumerate(zip(flags, balances, each, strict=True)):
            with api.namespace(f"isolated[{j}]"):
                part = product(api, flag, r, "isolated_requirement")
                _assert_covered(api, balance, part, params.buffer)
            isolated_parts.append(part)
        total = bounded_sum(api, each)
        with api.namespace("cross"):
            _assert_covered(
                api, collateral, total - bounded_sum(api, isolated_parts), params.buffer
            )
        return collateral + bounded_sum(api, balances), total

    @classmethod
    def reference_figures(cls, market: Market, accounts: Any) -> tuple[list[int], list[int], Any]:
        r = isolated_margin(market, accounts)
        return [int(x) for x in r.collateral_value], [int(x) for x in r.requirement], r.cross

    @classmethod
    def shortfalls(cls, market: Market, accounts: Any) -> list[int]:
        return [int(x) for x in isolated_margin(market, accounts).shortfall]


def _assert_covered(api: API, funds: Bounded, requirement: Bounded, buffer: Bounded) -> None:
    """``funds·10^6 >= (10^6 + buffer)·requirement`` (``covered/...``)."""
    buffered = product(api, requirement, buffer, "buffer_x_requirement")
    gap = funds * RATE_SCALE - requirement * RATE_SCALE - buffered
    assert_nonnegative(api, gap, name="covered")
