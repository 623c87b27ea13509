"""Options shared by several commands, defined once so their names and choices agree."""

from __future__ import annotations

from pathlib import Path

import click

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
