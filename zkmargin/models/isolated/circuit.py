"""Isolated margin with brackets: isolated positions against their own margin balances.

Per account, each position (slot k) is either cross or isolated, with an isolated margin
balance ``a_k`` (money, marked to market: allocation plus unrealised P&L; 0 when cross). Both
are committed per slot in the leaf (extended leaf: the K flags, then the K balances, in slot
order; an unused slot has flag and balance 0). Per position ``r_k`` is the exact bracket
requirement at the shape's level (:mod:`zkmargin.batch.positions`). The circuit proves, with
``B = 10^6 + buffer``:

* ``isolated[k]/covered``: ``a_k·10^6 >= B·(flag_k·r_k)`` — an isolated position is covered by
  its own balance (a cross one checks ``0 >= 0``);
* ``cross/covered``: ``collateral·10^6 >= B·Σ_k (1 − flag_k)·r_k`` — the haircut collateral
  value (the cross wallet) covers the cross positions;
* ``extra/slot[k]/cross_has_no_balance``: a cross position holds no isolated balance;
  ``extra/slot[k]/unused_not_isolated``: an unused slot isolates nothing (no phantom funds).

Figures: collateral ``= collateral value + Σ_k a_k``, requirement ``= Σ_k r_k``; the base class's
``margin/covered`` then holds as the sum of the parts. The reference is
:func:`zkmargin.margin.isolated_margin`.
"""

from typing import Any

from zkmargin.batch import AccountWires, BatchCircuit, MarketVector, Shape
from zkmargin.batch.arith import bounded_sum, product
from zkmargin.batch.positions import LevelBrackets, position_requirements
from zkmargin.batch.wires import BALANCE_BITS
from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets import Bounded, assert_nonnegative, range_check
from zkmargin.dsl.gadgets.bits import assert_bool
from zkmargin.margin import Account, Market, isolated_margin
from zkmargin.margin.fixed import RATE_SCALE
from zkmargin.models.isolated.calculator import isolated_vectors


class Isolated(LevelBrackets, BatchCircuit):
    model = "cross"
    name = "isolated"
    claim_text = (
        "meets its {level} margin{buffer} under the cross model, each isolated position by its "
        "own balance and the other positions by the cross wallet"
    )

    @classmethod
    def extra_size(cls, shape: Shape) -> int:
        return 2 * shape.slots

    @classmethod
    def leaf_extra(cls, market: Market, account: Account, shape: Shape) -> list[int]:
        flags, balances = isolated_vectors(market, account)
        held = [j for j, q in cls.slots_of(market, account, shape) if q]
        pad = [0] * (shape.slots - len(held))
        return [*(flags[j] for j in held), *pad, *(balances[j] for j in held), *pad]

    def check_extra(self, api: API, account: AccountWires, extra: list[LC]) -> list[Bounded]:
        K = self.shape.slots
        flags, balances = [], []
        for slot, f, a in zip(account.slots, extra[:K], extra[K:], strict=True):
            with api.namespace(f"slot[{slot.k}]"):
                assert_bool(api, f, name="flag")
                flag = Bounded(api, f, 0, 1)
                api.assert_product(1 - slot.used.lc, flag.lc, 0, name="unused_not_isolated")
                with api.namespace("balance"):
                    balance = range_check(api, a, BALANCE_BITS)
                api.assert_product(1 - flag.lc, balance.lc, 0, name="cross_has_no_balance")
            flags.append(flag)
            balances.append(balance)
        return [*flags, *balances]

    def account_figures(
        self, api: API, account: AccountWires, vector: MarketVector
    ) -> tuple[Bounded, Bounded]:
        K, level = self.shape.slots, self.shape.level
        flags, balances = account.extra[:K], account.extra[K:]
        with api.namespace("collateral"):
            collateral = self.collateral_value(api, account, vector)
        with api.namespace("requirement"):
            each = position_requirements(api, account, self.shape, [level])[level]
        isolated_parts = []
        for k, (flag, balance, r) in enumerate(zip(flags, balances, each, strict=True)):
            with api.namespace(f"isolated[{k}]"):
                part = product(api, flag, r, "isolated_requirement")
                _assert_covered(api, balance, part, vector.buffer)
            isolated_parts.append(part)
        total = bounded_sum(api, each)
        with api.namespace("cross"):
            _assert_covered(
                api, collateral, total - bounded_sum(api, isolated_parts), vector.buffer
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
