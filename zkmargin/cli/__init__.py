"""The ``zkmargin`` command line: parsing, progress and messages only; logic lives in the library.

Each command lives in its own module and is registered below. Errors the user can fix
(:class:`zkmargin.errors.InputError`) print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import click

from zkmargin import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zkmargin")
def main() -> None:
    """Zero-knowledge margin proofs: calculate, prove and verify portfolio margin."""


def _register() -> None:
    # Commands are added here, one import per module (each module defines one click command).
    from zkmargin.cli import commands  # noqa: F401


_register()
