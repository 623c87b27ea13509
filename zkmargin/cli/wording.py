"""Small wording helpers for what the commands print."""

from __future__ import annotations

from zkmargin.errors import printable
from zkmargin.margin.fixed import MONEY_SCALE, format_decimal


def plural(n: int, noun: str) -> str:
    """The count and the noun, in the right number, the count grouped.

    >>> plural(1, "account"), plural(2, "account"), plural(3, "batch"), plural(1200, "proof")
    ('1 account', '2 accounts', '3 batches', '1,200 proofs')
    """
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {noun}{'es' if noun.endswith(('s', 'sh', 'ch', 'x')) else 's'}"


def money(x: int) -> str:
    """A money figure (10^-8 units) as a decimal."""
    return format_decimal(x, MONEY_SCALE)


def state_counts(totals) -> str:
    """The health circuits' own totals in words ("" for a circuit without them); a count left
    out because the number of accounts is hidden is not shown.

    >>> from zkmargin.solvency import Totals
    >>> state_counts(Totals(3, 0, 0, (), (("healthy", 1), ("margin_call", 1), ("liquidation", 1),
    ...     ("shortfall", 250_000_000))))
    'health: 1 healthy, 1 in margin call, 1 in liquidation (shortfall 2.5)'
    >>> state_counts(Totals(None, 0, 0, (), (("margin_call", 1), ("liquidation", 0),
    ...     ("shortfall", 0))))
    'health: 1 in margin call, 0 in liquidation (shortfall 0)'
    """
    from zkmargin.batch.health import HEALTH_TOTALS

    extra = dict(totals.extra)
    if not extra:
        return ""
    if set(extra) <= set(HEALTH_TOTALS):
        words = {"healthy": "{} healthy", "margin_call": "{} in margin call",
                 "liquidation": "{} in liquidation"}  # fmt: skip
        parts = [words[k].format(v) for k, v in extra.items() if k in words]
        return f"health: {', '.join(parts)} (shortfall {money(extra.get('shortfall', 0))})"
    return "own totals: " + ", ".join(f"{k} {v}" for k, v in extra.items())


def shortfall_list(accounts, shown: int = 3) -> str:
    """``acct-1 short by 2.5, acct-7 short by 1, and 41 more`` (ids escaped for the terminal)."""
    parts = [f"{printable(e.id, 64)} short by {money(e.shortfall)}" for e in accounts[:shown]]
    more = len(accounts) - shown
    return ", ".join(parts) + (f", and {more} more" if more > 0 else "")
