"""``-p KEY=VALUE``: the one definition of the shape-parameter option (``setup``, ``inspect``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from zkmargin.errors import InputError

F = TypeVar("F", bound=Callable)


def param_option(fn: F) -> F:
    """Add ``-p/--param KEY=VALUE`` (repeatable) to a command, passed as ``params``."""
    return click.option(
        "-p",
        "--param",
        "params",
        multiple=True,
        metavar="KEY=VALUE",
        help="Shape parameter of the circuit (slots, instruments, assets, tiers, underlyings, "
        "scenarios, brackets, level, lookup; batch_size where no --batch-size is given); integers are "
        "converted, the rest inferred from the market.",
    )(fn)


def parse_params(pairs: tuple[str, ...]) -> dict[str, object]:
    """``("slots=8", "lookup=merkle")`` → ``{"slots": 8, "lookup": "merkle"}``; a pair without
    ``=`` or key is an :class:`InputError`.

    >>> parse_params(("slots=8", "lookup=merkle"))
    {'slots': 8, 'lookup': 'merkle'}
    """
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError("--param", pair, "expected KEY=VALUE")
        try:
            params[key] = int(value)
        except ValueError:
            params[key] = value
    return params
