"""Isolated margin over accounts: each isolated position against its own margin balance.

An account lists, per instrument it margins in isolation, the position's isolated margin
balance ``a_j`` (money, marked to market: the allocation plus the position's unrealised P&L, the
same convention as collateral balances). Per position the requirement ``r_j`` is the bracket
figure at the market's level, at the mark notional (:func:`~zkmargin.models.cross.calculator.bracket_margin`:
``ceil(notional × rate / 10^6) − amount``). The account is covered when

* every isolated position: ``a_j >= threshold(r_j)``;
* the cross part: ``collateral value >= threshold(Σ_(j not isolated) r_j)``;

with ``threshold(x) = ceil(x × (10^6 + buffer) / 10^6)``. Its figures are ``collateral value +
Σ a_j`` and ``Σ_j r_j``; its shortfall is the sum of the parts' shortfalls (what must be added,
to the isolated balances and to the cross wallet, to cover it).

At the mark price equal to the entry price, ``r_j`` is :func:`isolated_linear_perpetual`'s
margin at the entry notional: long 1 BTC at 20,000 with MMR 0.5 % and IMR 2 % (50×) has
``r = 400`` initial, ``100`` maintenance.

>>> from zkmargin.margin import Account, parse_market
>>> m = parse_market({"epoch": "2026-11-20T08:00:00Z", "assets": {"USDT": {"price": "1"}},
...     "underlyings": {"BTC": {"price": "20000"}},
...     "instruments": {"BTC-PERP": {"kind": "perpetual", "underlying": "BTC",
...                                  "brackets": [["0", "0.005", "0.02"]]}},
...     "model": {"name": "cross", "level": "initial"}})
>>> a = Account("u1", {"BTC-PERP": 10**8}, {"USDT": 0}, isolated={"BTC-PERP": 400 * 10**8})
>>> r = isolated_margin(m, [a])
>>> int(r.requirement_each[0, 0]) // 10**8, r.covered.tolist(), int(r.shortfall[0])
(400, [True], 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from zkmargin.errors import InputError
from zkmargin.margin.arith import EXACT
from zkmargin.margin.calculator import calculate
from zkmargin.margin.domain import Account, Market
from zkmargin.margin.result import Result
from zkmargin.models.health.calculator import threshold


@dataclass
class IsolatedResult:
    """Per account (first axis) and instrument (second axis, file order), exact ints.

    ``isolated`` flags the isolated positions, ``allocation`` their margin balances (0 where
    cross); ``requirement_each`` every position's requirement at ``level``;
    ``cross_collateral`` the haircut collateral value, ``cross_requirement`` the requirement of
    the cross positions; ``isolated_excess`` ``a_j − threshold(r_j)`` (0 where cross),
    ``cross_excess``; ``collateral_value``, ``requirement`` the account's figures; ``covered``
    and ``shortfall`` (money needed to cover every part); ``cross`` the cross-margin
    calculator result they were derived from (its intermediates feed the circuit witness).
    """

    ids: list[str]
    level: str
    buffer: int
    isolated: np.ndarray
    allocation: np.ndarray
    requirement_each: np.ndarray
    cross_collateral: np.ndarray
    cross_requirement: np.ndarray
    isolated_excess: np.ndarray
    cross_excess: np.ndarray
    collateral_value: np.ndarray
    requirement: np.ndarray
    covered: np.ndarray
    shortfall: np.ndarray
    cross: Result


def isolated_vectors(market: Market, account: Account) -> tuple[list[int], list[int]]:
    """(isolated flag, isolated margin balance) per instrument in file order.

    ``InputError`` names an instrument the market does not have.
    """
    for name in account.isolated:
        if name not in market.instruments:
            raise InputError(
                "<accounts>", f"isolated.{name}", f"unknown instrument {name!r}", account.line
            )
    names = market.instrument_names
    return (
        [int(n in account.isolated) for n in names],
        [account.isolated.get(n, 0) for n in names],
    )


def isolated_margin(
    market: Market, accounts: Iterable[Account], level: str | None = None
) -> IsolatedResult:
    """Isolated and cross margin of every account (module docstring); the market's brackets.

    ``level`` defaults to the market's. Exact arithmetic only (what the ``isolated`` circuit
    proves).
    """
    accounts = list(accounts)
    level = level or market.model.level
    result = calculate(market, accounts, model="cross", level=level, mode="exact")
    n, k = len(accounts), len(market.instruments)
    flags = np.zeros((n, k), dtype=bool)
    alloc = EXACT.zeros((n, k))
    for i, acct in enumerate(accounts):
        f, a = isolated_vectors(market, acct)
        flags[i, :] = np.array(f, dtype=bool)
        for j, v in enumerate(a):
            alloc[i, j] = v
    if n:
        each = result.intermediates["im_each" if level == "initial" else "mm_each"]
    else:
        each = EXACT.zeros((0, k))
    buffer = market.model.buffer
    zero = EXACT.zeros((n, k))
    iso_req = np.where(flags, each, zero)
    cross_req = (each - iso_req).sum(axis=1) if k else EXACT.zeros(n)
    iso_excess = np.where(flags, alloc - threshold(EXACT, iso_req, buffer), zero)
    cross_coll = result.collateral_value
    cross_excess = cross_coll - threshold(EXACT, cross_req, buffer)
    iso_short = np.maximum(-iso_excess, 0).sum(axis=1) if k else EXACT.zeros(n)
    shortfall = iso_short + np.maximum(-cross_excess, 0)
    return IsolatedResult(
        ids=[a.id for a in accounts],
        level=level,
        buffer=buffer,
        isolated=flags,
        allocation=alloc,
        requirement_each=each,
        cross_collateral=cross_coll,
        cross_requirement=cross_req,
        isolated_excess=iso_excess,
        cross_excess=cross_excess,
        collateral_value=cross_coll + (alloc.sum(axis=1) if k else EXACT.zeros(n)),
        requirement=each.sum(axis=1) if k else EXACT.zeros(n),
        covered=np.array([int(s) == 0 for s in shortfall], dtype=bool),
        shortfall=shortfall,
        cross=result,
    )


__all__ = ["IsolatedResult", "isolated_margin", "isolated_vectors"]
