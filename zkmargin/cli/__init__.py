"""The ``zkmargin`` command line: parsing, progress and messages only; logic lives in the library.

Each command lives in its own module and is registered below. Whatever happens, a command either
succeeds or prints at most a few lines and exits non-zero — never a traceback or click's usage
block (:class:`ZkmarginGroup`): bad input (:class:`zkmargin.errors.InputError`, an unreadable or
full disk) is one ``error: FILE[:LINE]: FIELD: PROBLEM`` line and status 2; a bad option or
argument is one ``zkmargin: ...`` line and status 2.
"""

from __future__ import annotations

from zkmargin.cli import commands  # noqa: F401  registers every command on main
from zkmargin.cli.root import ZkmarginGroup, main

__all__ = ["ZkmarginGroup", "main"]
