"""Errors that reach the user as one line: which file, which field, what is wrong."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: object, limit: int = 200) -> str:
    """``text`` safe to echo on a terminal: control characters (ANSI escapes, ``\\r``, bidi
    overrides) escaped, and cut to ``limit`` characters, saying how long it was.

    >>> printable("ok\\x1b[2J\\rfake")
    'ok\\\\x1b[2J\\\\rfake'
    >>> printable("x" * 50, limit=10)
    'xxxxxxxxxx... (50 characters)'
    """
    text = str(text)
    cut = text if len(text) <= limit else text[:limit]
    shown = _CONTROL.sub(_escape, cut)
    return shown if cut is text else f"{shown}... ({len(text):,} characters)"


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    )


class InputError(ValueError):
    """Bad input. ``str(err)`` is the one line the CLI prints: ``FILE:LINE: FIELD: PROBLEM``.

    Every part is made :func:`printable` (escaped, truncated): it may echo hostile input.

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
        where = printable(self.file, 160) + (f":{line}" if line is not None else "")
        field_shown = printable(field, 100)
        problem_shown = printable(problem, 300)
        super().__init__(
            f"{where}: {field_shown}: {problem_shown}" if field else f"{where}: {problem_shown}"
        )
