"""The ``zkmargin`` command line: parsing, progress and messages only; logic lives in the library.

Each command lives in its own module and is registered below. Whatever happens, a command either
succeeds or prints at most a few lines and exits non-zero — never a traceback or click's usage
block (:class:`ZkmarginGroup`): bad input (:class:`zkmargin.errors.InputError`, an unreadable or
full disk) is one ``error: FILE[:LINE]: FIELD: PROBLEM`` line and status 2; a bad option or
argument is one ``zkmargin: ...`` line and status 2.
"""

from __future__ import annotations

import click

from zkmargin import __version__
from zkmargin.cli.errors import run_guarded


class ZkmarginGroup(click.Group):
    """The root group: runs the command under :func:`zkmargin.cli.errors.run_guarded`."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # type: ignore[override]
        kwargs["prog_name"] = "zkmargin"  # also under click's test runner, which says "main"
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        return run_guarded(lambda: super(ZkmarginGroup, self).main(
            *args, standalone_mode=False, **kwargs))  # fmt: skip


@click.group(cls=ZkmarginGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zkmargin")
def main() -> None:
    """Zero-knowledge margin proofs: calculate, prove and verify portfolio margin."""


def _register() -> None:
    # Commands are added here, one import per module (each module defines one click command).
    from zkmargin.cli import commands  # noqa: F401


_register()
