"""Where batch jobs run: this process, a local process pool or a Dask cluster, behind one API.

:func:`open_executor` turns the ``--executor`` / ``--workers`` options into an
:class:`Executor`; :meth:`Executor.imap` maps a module-level function over picklable tasks and
yields the results in task order. Every backend runs the same loop (submit, keep at most
``in_flight`` tasks submitted but not yet yielded, yield the oldest one's result) and differs
only in how one task is submitted (:mod:`.base`), so the prover has a single code path whatever
runs the work.

Memory: tasks are pulled from the iterable only as results are consumed, so at most
``in_flight`` tasks and results (default 2 × workers) exist at once however many tasks there
are. A failing task raises its own exception (``ValueError`` stays ``ValueError``) when its
result is reached; the tasks after it that have not started are cancelled, and leaving the
``with`` block on an error (or Ctrl-C) stops the running ones rather than waiting for them.

Backends:

- ``None`` / ``"local"`` with ``workers=1``: :class:`InProcess` (:mod:`.base`), each task runs
  in this process when its result is asked for;
- ``None`` / ``"local"`` with ``workers>1``: :class:`LocalPool` (:mod:`.local_pool`), a pool of
  ``workers`` fresh processes (``forkserver``/``spawn``, never a fork of a parent that may hold
  threads);
- ``"dask://HOST:PORT"``: :class:`DaskExecutor` (:mod:`.dask_cluster`), a ``distributed.Client``
  of the scheduler there. Its workers need zkmargin installed and must see the files the tasks name. Needs the
  optional dependency: ``pip install 'zkmargin[dask]'``. The connection is plain TCP and Dask
  runs whatever pickles it is sent: tasks carry private accounts and salts, so scheduler and
  workers belong on a private network that only the prover can reach.

Example::

    >>> with open_executor(None, workers=1) as ex:
    ...     list(ex.imap(abs, [-3, 1, -2]))
    [3, 1, 2]
    >>> open_executor("ftp://host:21", workers=1)
    Traceback (most recent call last):
    ...
    zkmargin.errors.InputError: --executor: 'ftp://host:21': expected 'local' or dask://HOST:PORT
"""

from __future__ import annotations

from zkmargin.errors import InputError
from zkmargin.solvency.executors.base import Executor, InProcess
from zkmargin.solvency.executors.dask_cluster import DASK_SCHEME, DaskExecutor, dask_address
from zkmargin.solvency.executors.local_pool import LocalPool, usable_cpus

__all__ = [
    "DaskExecutor",
    "Executor",
    "InProcess",
    "LocalPool",
    "dask_address",
    "open_executor",
    "usable_cpus",
]


def open_executor(spec: str | None, workers: int, *, timeout: float = 10.0) -> Executor:
    """The executor for ``--executor SPEC --workers N``.

    ``spec`` None or ``"local"``: this process (``workers`` 1) or a :class:`LocalPool`;
    ``"dask://HOST:PORT"``: a :class:`DaskExecutor` connected within ``timeout`` seconds.
    Bad options, a missing Dask or an unreachable scheduler raise :class:`InputError`.

    >>> with open_executor("local", 1) as ex:
    ...     list(ex.imap(str.upper, ["a", "b"]))
    ['A', 'B']
    """
    if workers < 1:
        raise InputError("--workers", "", f"must be at least 1, got {workers}")
    if spec is None or spec == "local":
        return InProcess() if workers == 1 else LocalPool(workers)
    if spec.startswith(DASK_SCHEME):
        return DaskExecutor(dask_address(spec), workers, timeout=timeout)
    raise InputError("--executor", "", f"{spec!r}: expected 'local' or dask://HOST:PORT")
