"""Small wording helpers for what the commands print."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """The count and the noun, in the right number, the count grouped.

    >>> plural(1, "account"), plural(2, "account"), plural(3, "batch"), plural(1200, "proof")
    ('1 account', '2 accounts', '3 batches', '1,200 proofs')
    """
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {noun}{'es' if noun.endswith(('s', 'sh', 'ch', 'x')) else 's'}"
