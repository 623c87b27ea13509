"""The root ``zkmargin`` command group, on which every command module registers its commands
(:mod:`zkmargin.cli.commands` imports them all)."""

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
