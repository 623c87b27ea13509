"""The calculator's result: every account's figures and intermediates, their totals, and the
``zkmargin calc --json`` wording of both (money as decimal strings).

>>> money_text(15 * 10**7)
'1.5'
>>> add_totals({"accounts": 2, "excess": 5}, {"accounts": 1, "excess": -1})
{'accounts': 3, 'excess': 4}
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zkmargin.margin.fixed import MONEY_SCALE, format_decimal
from zkmargin.models.health.calculator import HEALTH_NAMES


@dataclass(frozen=True)
class AccountResult:
    """One account's figures (money scale) and its intermediates (row slices)."""

    id: str
    requirement: Any
    collateral_value: Any
    excess: Any
    health: str
    maintenance: Any
    initial: Any
    intermediates: dict[str, Any]


@dataclass
class Result:
    """Figures per account (arrays over accounts, in input order) and their totals.

    ``requirement`` is the chosen level's requirement; ``threshold`` the buffered requirement
    the collateral value must reach; ``excess = collateral_value − threshold``. Exact mode holds
    Python ints (object arrays), float mode float64 in the same units.

    ``intermediates`` (first axis: accounts) for witness builders: always ``positions``
    (× instruments, file order), ``balances``, ``asset_value`` and ``haircut_value``
    (× assets); ``cross``: ``notional``, ``bracket``, ``mm_each``, ``im_each`` (× instruments);
    ``scenario``: ``losses`` (× underlyings × scenarios), ``scan``; ``greeks``: ``delta``,
    ``gamma``, ``vega``; both: ``som``, ``add_on``, ``requirement_by_group`` (× underlyings).
    """

    model: str
    level: str
    mode: str
    buffer: int
    ids: list[str]
    maintenance: np.ndarray
    initial: np.ndarray
    requirement: np.ndarray
    threshold: np.ndarray
    collateral_value: np.ndarray
    excess: np.ndarray
    health: np.ndarray
    intermediates: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def account(self, i: int) -> AccountResult:
        """The figures of the ``i``-th account."""
        return AccountResult(
            id=self.ids[i],
            requirement=self.requirement[i],
            collateral_value=self.collateral_value[i],
            excess=self.excess[i],
            health=HEALTH_NAMES[int(self.health[i])],
            maintenance=self.maintenance[i],
            initial=self.initial[i],
            intermediates={k: v[i] for k, v in self.intermediates.items()},
        )

    def __iter__(self) -> Iterator[AccountResult]:
        return (self.account(i) for i in range(len(self)))

    @property
    def totals(self) -> dict[str, Any]:
        """Sums over accounts (money scale) and the count of accounts per health state."""
        out: dict[str, Any] = {"accounts": len(self)}
        for name in ("requirement", "collateral_value", "excess"):
            out[name] = _sum(getattr(self, name), self.mode)
        out["shortfall"] = _sum(np.maximum(-self.excess, 0), self.mode)
        for code, name in enumerate(HEALTH_NAMES):
            out[name] = int(np.count_nonzero(self.health == code))
        return out

    def rows(self) -> Iterator[dict[str, str]]:
        """Per account, the ``--json`` record: id, figures as decimal strings, health."""
        for a in self:
            yield {
                "id": a.id,
                "requirement": money_text(a.requirement),
                "collateral_value": money_text(a.collateral_value),
                "excess": money_text(a.excess),
                "health": a.health,
            }

    def to_json(self) -> dict[str, Any]:
        """The ``zkmargin calc --json`` document: figures as decimal strings."""
        return {
            "model": self.model,
            "level": self.level,
            "accounts": list(self.rows()),
            "totals": totals_json(self.totals),
        }


def money_text(x: Any) -> str:
    """A money figure (exact int, or float in the same units) as a decimal string."""
    return format_decimal(_int(x), MONEY_SCALE)


def totals_json(totals: dict[str, Any]) -> dict[str, Any]:
    """Totals with money figures as decimal strings and counts as integers."""
    return {k: v if k in _COUNTS else money_text(v) for k, v in totals.items()}


def add_totals(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Totals of two disjoint sets of accounts (every entry is additive)."""
    return {k: a.get(k, 0) + b[k] for k in b}


_COUNTS = {"accounts", *HEALTH_NAMES}


def _int(x: Any) -> int:
    return int(x) if isinstance(x, int | np.integer) else round(float(x))


def _sum(a: np.ndarray, mode: str) -> Any:
    return int(sum(a.tolist())) if mode == "exact" else float(np.sum(a))
