"""Where batch jobs run: this process, a local process pool or a Dask cluster, behind one API.

:func:`open_executor` turns the ``--executor`` / ``--workers`` options into an
:class:`Executor`; :meth:`Executor.imap` maps a module-level function over picklable tasks and
yields the results in task order. Every backend runs the same loop (submit, keep at most
``in_flight`` tasks submitted but not yet yielded, yield the oldest one's result) and differs
only in how one task is submitted, so the prover has a single code path whatever runs the work.

Memory: tasks are pulled from the iterable only as results are consumed, so at most
``in_flight`` tasks and results (default 2 × workers) exist at once however many tasks there
are. A failing task raises its own exception (``ValueError`` stays ``ValueError``) when its
result is reached; the tasks after it that have not started are cancelled, and leaving the
``with`` block on an error (or Ctrl-C) stops the running ones rather than waiting for them.

Backends:

- ``None`` / ``"local"`` with ``workers=1``: :class:`InProcess`, each task runs in this process
  when its result is asked for;
- ``None`` / ``"local"`` with ``workers>1``: :class:`LocalPool`, a pool of ``workers`` fresh
  processes (``forkserver``/``spawn``, never a fork of a parent that may hold threads);
- ``"dask://HOST:PORT"``: :class:`DaskExecutor`, a ``distributed.Client`` of the scheduler
  there. Its workers need zkmargin installed and must see the files the tasks name. Needs the
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

import importlib
import multiprocessing
import os
import signal
import sys
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit

from zkmargin.errors import InputError

T = TypeVar("T")
R = TypeVar("R")

DASK_SCHEME = "dask://"
DASK_INSTALL = "pip install 'zkmargin[dask]'"


class _Pending(Protocol):
    """A submitted task: ``concurrent.futures.Future``, ``distributed.Future`` or ``_Deferred``."""

    def result(self) -> Any: ...

    def cancel(self) -> Any: ...


class Executor(ABC):
    """Runs ``fn(task)`` for a stream of tasks; results come back in task order.

    ``workers`` is how many tasks run at once, ``in_flight`` how many may be submitted and not
    yet yielded (the memory bound). Close it (or use ``with``) to release processes or the
    connection.
    """

    workers: int
    in_flight: int

    def imap(
        self, fn: Callable[[T], R], tasks: Iterable[T], *, in_flight: int | None = None
    ) -> Iterator[R]:
        """``fn(task)`` for each task, lazily, in task order, at most ``in_flight`` at a time.

        ``fn`` must be a module-level function and the tasks and results picklable (they cross
        process and machine boundaries). Abandoning the iterator cancels what was not started.

        >>> ex = InProcess()
        >>> list(ex.imap(len, ["ab", "", "xyz"]))
        [2, 0, 3]
        """
        limit = self.in_flight if in_flight is None else in_flight
        if limit < 1:
            raise ValueError(f"in_flight must be at least 1, got {limit}")
        pending: deque[_Pending] = deque()
        try:
            for task in tasks:
                pending.append(self._submit(fn, task))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    @abstractmethod
    def _submit(self, fn: Callable[[T], R], task: T) -> _Pending:
        """Start (or schedule) one task; the returned object's ``result()`` waits for it."""

    def close(self, *, abort: bool = False) -> None:  # noqa: B027  (nothing to release by default)
        """Release workers or the connection; ``abort`` stops running tasks rather than waiting."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # an error (or Ctrl-C) should not wait for the tasks still running
        self.close(abort=exc_type is not None)


class _Deferred:
    """A task of :class:`InProcess`: runs when its result is first asked for."""

    __slots__ = ("_fn", "_task")

    def __init__(self, fn: Callable[[Any], Any], task: Any) -> None:
        self._fn = fn
        self._task = task

    def result(self) -> Any:
        return self._fn(self._task)

    def cancel(self) -> bool:
        return True


class InProcess(Executor):
    """Runs every task in this process, one at a time (``--workers 1``, the default)."""

    def __init__(self) -> None:
        self.workers = 1
        self.in_flight = 1

    def _submit(self, fn: Callable[[T], R], task: T) -> _Pending:
        return _Deferred(fn, task)

    def __repr__(self) -> str:
        return "InProcess()"


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _init_worker(threads: int) -> None:
    # Ctrl-C goes to the whole process group: the parent handles it (and aborts the pool), so
    # the workers must not each die with a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The fast kernels (MSM, NTT) spread over every core with numba threads; N workers doing
    # that at once would run N x cores threads, so each gets its share of the cores.
    numba = sys.modules.get("numba")
    if numba is None:
        os.environ.setdefault("NUMBA_NUM_THREADS", str(threads))
    else:
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))


def default_start_method() -> str:
    """``forkserver`` where the platform has it, else ``spawn``.

    Not ``fork``: the parent may already run threads (numba's thread pool, a Dask client), and a
    forked copy of a threaded process can deadlock.
    """
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class LocalPool(Executor):
    """A pool of ``workers`` processes on this machine (``--workers N``).

    Workers start fresh (``start_method``, default :func:`default_start_method`), so anything a
    task needs beyond its arguments (a compiled circuit, a proving key) is loaded by the worker
    function itself, once per process. Each worker's numba kernels get ``threads`` threads
    (default: the usable CPUs shared out among the workers, at least 1; an explicit
    ``NUMBA_NUM_THREADS`` in the environment wins when numba is not yet loaded).
    """

    def __init__(
        self, workers: int, *, start_method: str | None = None, threads: int | None = None
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.in_flight = 2 * workers
        self.start_method = start_method or default_start_method()
        self.threads = threads if threads is not None else max(1, usable_cpus() // workers)
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(self.start_method),
            initializer=_init_worker,
            initargs=(self.threads,),
        )

    def _submit(self, fn: Callable[[T], R], task: T) -> _Pending:
        return self._pool.submit(fn, task)

    def close(self, *, abort: bool = False) -> None:
        if not abort:
            self._pool.shutdown(wait=True)
            return
        self._pool.shutdown(wait=False, cancel_futures=True)
        # Running tasks cannot be cancelled; a batch proof may take minutes, so stop them.
        terminate = getattr(self._pool, "terminate_workers", None)  # Python >= 3.14
        if terminate is not None:
            terminate()
        else:
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True)

    def __repr__(self) -> str:
        return (
            f"LocalPool({self.workers}, start_method={self.start_method!r}, threads={self.threads})"
        )


class DaskExecutor(Executor):
    """Tasks on a Dask distributed cluster: a ``distributed.Client`` of ``address``.

    ``in_flight`` is twice the larger of ``workers`` and the cluster's threads at connection
    time. The cluster's workers need zkmargin installed, at the same version, and must be able
    to read every path a task names.
    """

    def __init__(self, address: str, workers: int = 1, *, timeout: float = 10.0) -> None:
        distributed = _import_distributed(address)
        self.address = address
        try:
            self._client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except OSError as err:  # also TimeoutError: nothing answers there
            raise InputError(
                "--executor", "", f"no Dask scheduler answers at {address}: {_one_line(err)}"
            ) from None
        threads = sum(self._client.nthreads().values())
        self.workers = max(workers, threads, 1)
        self.in_flight = 2 * self.workers

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (for diagnostics: ``client.nthreads()``, dashboard...)."""
        return self._client

    def _submit(self, fn: Callable[[T], R], task: T) -> _Pending:
        # pure=False: never deduplicate or tokenize tasks (each batch is its own work)
        return self._client.submit(fn, task, pure=False)

    def close(self, *, abort: bool = False) -> None:
        # the client's futures are released with it; the cluster itself is not ours to stop
        self._client.close()

    def __repr__(self) -> str:
        return f"DaskExecutor({self.address!r}, workers={self.workers})"


def _import_distributed(address: str) -> Any:
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise InputError(
            "--executor",
            "",
            f"dask://{address.removeprefix('tcp://')} needs Dask, which is not installed: "
            f"{DASK_INSTALL}",
        ) from None


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__


def dask_address(spec: str) -> str:
    """The scheduler address (``tcp://HOST:PORT``) of a ``dask://HOST:PORT`` spec.

    >>> dask_address("dask://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    >>> dask_address("dask://[::1]:8786")
    'tcp://[::1]:8786'
    """
    bad = InputError("--executor", "", f"{spec!r}: expected dask://HOST:PORT")
    parts = urlsplit(spec)
    if parts.scheme != "dask" or parts.path or parts.query or parts.fragment:
        raise bad
    try:
        port = parts.port
    except ValueError:  # not a number or out of range
        raise bad from None
    if not parts.hostname or port is None or port == 0 or "@" in parts.netloc:
        raise bad
    return f"tcp://{parts.netloc}"


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
