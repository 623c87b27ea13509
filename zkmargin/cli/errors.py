"""Turning every failure into the CLI's one-line messages and exit codes.

Status 2 and one ``error: FILE[:LINE]: FIELD: PROBLEM`` line for bad input (including a file
that cannot be read or written: permissions, a full disk); one ``zkmargin: COMMAND: PROBLEM``
line for a bad option or argument; 130 after Ctrl-C. Anything else is a bug: one line saying so
(``ZKMARGIN_DEBUG=1`` shows the traceback instead).
"""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from zkmargin.errors import InputError, printable

F = TypeVar("F", bound=Callable)


def fail(line: str, status: int = 2) -> None:
    """Print ``line`` on stderr and exit with ``status``."""
    click.echo(line, err=True)
    raise SystemExit(status)


def user_errors(fn: F) -> F:
    """Decorator for click commands: an :class:`InputError` prints ``error: <line>``, exits 2.

    (The root group does the same for every command; the decorator keeps a command's own
    behaviour when it is invoked on its own, as the tests do.)
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as err:
            fail(f"error: {err}")

    return wrapper  # type: ignore[return-value]


def os_error_line(err: OSError) -> str:
    """One line for a failed read or write: the file and what the system said."""
    where = printable(err.filename if err.filename is not None else "(file)", 160)
    what = os.strerror(err.errno) if err.errno else str(err)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        what += " (the disk is full: free space and run the same command again)"
    return f"error: {where}: {printable(what)}"


def run_guarded(run: Callable[[], Any]) -> None:
    """Run a click ``main`` (not standalone) and turn every way it can end into an exit."""
    try:
        status = run()
    except SystemExit:
        raise
    except click.exceptions.Exit as exc:
        status = exc.exit_code
    except click.UsageError as err:
        command = printable(err.ctx.command_path if err.ctx is not None else "zkmargin", 100)
        message = printable(err.format_message(), 300).rstrip(".")
        fail(f"{command}: {message[:1].lower()}{message[1:]} (see {command} --help)")
    except click.ClickException as err:
        fail(f"error: {printable(err.format_message(), 300)}", err.exit_code)
    except click.Abort:
        fail("zkmargin: aborted", 130)
    except KeyboardInterrupt:
        fail("zkmargin: interrupted", 130)
    except InputError as err:
        fail(f"error: {err}")
    except BrokenPipeError:
        # stdout closed early (``| head``): nothing more to say, and nowhere to say it
        sys.stdout = None  # type: ignore[assignment]
        raise SystemExit(0) from None
    except OSError as err:
        fail(os_error_line(err))
    except sqlite3.DatabaseError as err:
        fail(f"error: a database file: {printable(err)}")
    except MemoryError:
        fail("error: out of memory (an input too large?)")
    except RecursionError:
        fail("error: input nested too deeply")
    except Exception as err:  # a bug: say so in one line, keep the traceback for developers
        if os.environ.get("ZKMARGIN_DEBUG"):
            raise
        fail(
            f"error: internal error ({type(err).__name__}: {printable(err, 200)}); this is a "
            "bug in zkmargin, please report it (ZKMARGIN_DEBUG=1 shows the traceback)"
        )
    raise SystemExit(status if isinstance(status, int) else 0)
