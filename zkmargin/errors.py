"""Errors that reach the user as one line: which file, which field, what is wrong."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input. ``str(err)`` is the one line the CLI prints: ``FILE:LINE: FIELD: PROBLEM``.

    >>> str(InputError("market.json", "assets.BTC.price", "not a decimal: 'abc'"))
    "market.json: assets.BTC.price: not a decimal: 'abc'"
    >>> str(InputError("accounts.jsonl", "positions.BTC-PERP", "unknown instrument", line=7))
    'accounts.jsonl:7: positions.BTC-PERP: unknown instrument'
    """

    def __init__(self, file: str, field: str, problem: str, line: int | None = None) -> None:
        self.file = str(file)
        self.field = field
        self.problem = problem
        self.line = line
        where = f"{self.file}:{line}" if line is not None else self.file
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")
