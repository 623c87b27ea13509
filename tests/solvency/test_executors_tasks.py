"""Task functions and a Dask ``LocalCluster`` for the executor tests (no tests in here).

Worker processes unpickle a task function by its module name. Pytest imports test modules
under names the workers cannot import (``tests.solvency.test_...``), so the functions live in
this module and the tests import it as ``solvency.test_executors_tasks`` (``tests/`` is on the
path, for the workers too). It is named ``test_executors_*`` only because that is the file
pattern these tests own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from typing import Any


class TaskFailed(Exception):
    """A task's own exception type (the executors must hand back this type, not a wrapper)."""


def cube(x: int) -> int:
    """Some deterministic work whose result depends on the task."""
    return pow(x, 3, (1 << 61) - 1)


def stamped_sleep(task: tuple[int, float]) -> tuple[int, int]:
    """Sleep ``delay`` seconds, then return ``(index, finish time in ns, system-wide clock)``."""
    index, delay = task
    time.sleep(delay)
    return index, time.monotonic_ns()


def fail_on(task: tuple[int, int]) -> int:
    """Return ``n``, or raise :class:`TaskFailed` when ``n`` is the bad one."""
    n, bad = task
    if n == bad:
        raise TaskFailed(f"task {n} is bad")
    return n


def fail_or_sleep(task: tuple[int, float]) -> int:
    """Raise for a zero delay, else sleep: a failure while long tasks are still running."""
    n, delay = task
    if delay == 0:
        raise TaskFailed(f"task {n} failed")
    time.sleep(delay)
    return n


def numba_threads(_task: object) -> int:
    """How many threads numba's parallel kernels would use in this process."""
    import numba

    return numba.get_num_threads()


def worker_pid(_task: object) -> int:
    """The process a task ran in (a short sleep so one worker cannot take every task)."""
    time.sleep(0.05)
    return os.getpid()


@contextlib.contextmanager
def local_cluster(workers: int = 2) -> Iterator[str]:
    """A real Dask ``LocalCluster`` on 127.0.0.1 (processes, 1 thread each): yields its
    ``dask://HOST:PORT`` spec. Skips locally (fails in CI) when Dask is not installed."""
    from interop import missing  # (not at the top: workers unpickling a task skip pytest)

    try:
        from distributed import LocalCluster
    except ImportError:
        missing("dask[distributed] not installed: pip install 'zkmargin[dask]'")
    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",  # any free port: xdist workers each run one
        silence_logs=logging.ERROR,
    ) as cluster:
        yield "dask://" + cluster.scheduler_address.removeprefix("tcp://")


def _computed(dask_scheduler: Any, prefix: str) -> int:
    # run on the scheduler by Client.run_on_scheduler (which passes itself by this name)
    found = dask_scheduler.task_prefixes.get(prefix)
    return 0 if found is None else found.state_counts["memory"]


def computed_on_cluster(spec: str, function_name: str) -> int:
    """How many tasks of ``function_name`` the cluster at ``spec`` has computed (so a test can
    tell work really went through it)."""
    from zkmargin.solvency.executors import open_executor

    with open_executor(spec, 1) as ex:
        return ex.client.run_on_scheduler(_computed, prefix=function_name)
