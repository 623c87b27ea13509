"""A pool of worker processes on this machine (``--workers N``): :class:`LocalPool`, and how
its workers start (start method, numba threads, Ctrl-C)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from zkmargin.solvency.executors.base import Executor, Pending, R, T


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

    def _submit(self, fn: Callable[[T], R], task: T) -> Pending:
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
