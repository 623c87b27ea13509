"""Turning library errors into the CLI's one-line messages and exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import click

from zkmargin.errors import InputError

F = TypeVar("F", bound=Callable)


def user_errors(fn: F) -> F:
    """Decorator for click commands: an :class:`InputError` prints ``error: <line>`` and exits 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as err:
            click.echo(f"error: {err}", err=True)
            raise SystemExit(2) from None

    return wrapper  # type: ignore[return-value]
