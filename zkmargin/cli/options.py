"""Options shared by several commands, defined once so their names and choices agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable)

BACKENDS = ("fast", "reference")
"""MSM backends offered on the command line (``zkmargin.curve.available_backends`` lists the
library's, including the slow ``py_ecc`` cross-check)."""

backend_option = click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default=None,
    help="Kernels: numba (fast, the default) or pure Python / py_ecc (reference).",
)

FILE = click.Path(dir_okay=False, path_type=Path)
DIR = click.Path(file_okay=False, path_type=Path)


def snarkjs_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """snarkjs writes short options as ``-e=VALUE``; click would keep the ``=``."""
    return value[1:] if value and value.startswith("=") else value


name_option = click.option(
    "-n", "--name", default="", callback=snarkjs_value, help="Contributor's name (public)."
)
entropy_option = click.option(
    "-e",
    "--entropy",
    callback=snarkjs_value,
    help="Random text mixed with the system's randomness (asked for when absent).",
)


def _stack(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(fn: F) -> F:
        for deco in reversed(decorators):
            fn = deco(fn)
        return fn

    return apply


contribute_arguments = _stack(
    click.argument("src", type=FILE), click.argument("dst", type=FILE), name_option, entropy_option
)
"""A ceremony's ``contribute SRC DST --name N -e E`` (snarkjs's order; ``--name=N -e=E`` too)."""
beacon_arguments = _stack(
    click.argument("src", type=FILE),
    click.argument("dst", type=FILE),
    click.argument("beacon_hash"),
    click.argument("iterations"),
    name_option,
)
"""A ceremony's ``beacon SRC DST HASH ITERATIONS -n NAME``."""
