"""Executors (``zkmargin.solvency.executors``): this process, a local pool, a real Dask cluster.

Every behaviour test runs on all three through :func:`open_executor`: results in task order
(also when later tasks finish first), the in-flight bound, a failing task's own exception.
The Dask cluster is a real ``LocalCluster`` on 127.0.0.1 (2 worker processes, 1 thread each).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solvency import test_executors_tasks as tasks

from zkmargin.errors import InputError
from zkmargin.solvency.executors import (
    DaskExecutor,
    Executor,
    InProcess,
    LocalPool,
    dask_address,
    open_executor,
    usable_cpus,
)

POOL_WORKERS = 2


@pytest.fixture(scope="module")
def dask_spec() -> Iterator[str]:
    with tasks.local_cluster(POOL_WORKERS) as spec:
        yield spec


@pytest.fixture(scope="module", params=["in-process", "pool", "dask"])
def executor(request: pytest.FixtureRequest) -> Iterator[Executor]:
    if request.param == "in-process":
        ex = open_executor(None, 1)
    elif request.param == "pool":
        ex = open_executor("local", POOL_WORKERS)
    else:
        ex = open_executor(request.getfixturevalue("dask_spec"), 1)
    with ex:
        yield ex


@pytest.fixture(params=["pool", "dask"])
def parallel(request: pytest.FixtureRequest) -> Iterator[Executor]:
    """A fresh executor with all its workers up (Python's pool starts its processes one by one,
    on demand; a test of parallel completion must not start while only one is running)."""
    if request.param == "pool":
        ex = open_executor("local", POOL_WORKERS)
    else:
        ex = open_executor(request.getfixturevalue("dask_spec"), 1)
    with ex:
        deadline = time.monotonic() + 30
        while len(set(ex.imap(tasks.worker_pid, range(2 * POOL_WORKERS)))) < POOL_WORKERS:
            assert time.monotonic() < deadline, f"{ex}: the workers did not start"
        yield ex


class CountingTasks:
    """``n`` tasks handed out one by one, counting how many the executor has taken."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.taken = 0

    def __iter__(self) -> Iterator[int]:
        for i in range(self.n):
            self.taken += 1
            yield i


# -- same results, same order ---------------------------------------------------------------


@settings(max_examples=15)
@given(xs=st.lists(st.integers(min_value=-(2**70), max_value=2**70), max_size=30))
def test_results_are_a_plain_map_in_task_order(executor: Executor, xs: list[int]) -> None:
    assert list(executor.imap(tasks.cube, xs)) == [tasks.cube(x) for x in xs]


@settings(max_examples=10)
@given(
    xs=st.lists(st.integers(min_value=0, max_value=10**6), max_size=20),
    in_flight=st.integers(min_value=1, max_value=7),
)
def test_any_window_gives_the_in_process_results(
    executor: Executor, xs: list[int], in_flight: int
) -> None:
    expected = list(InProcess().imap(tasks.cube, xs))
    assert list(executor.imap(tasks.cube, xs, in_flight=in_flight)) == expected


def test_order_is_kept_when_later_tasks_finish_first(parallel: Executor) -> None:
    # decreasing durations: with 2 workers, task 1 finishes before task 0, and so on
    work = [(i, 0.6 - 0.1 * i) for i in range(6)]
    results = list(parallel.imap(tasks.stamped_sleep, work))
    assert [i for i, _ in results] == list(range(6))
    finished = [t for _, t in results]
    assert finished != sorted(finished), "the test must really complete tasks out of order"


def test_tasks_run_in_several_processes(parallel: Executor) -> None:
    pids = set(parallel.imap(tasks.worker_pid, range(4 * parallel.workers)))
    assert len(pids) == parallel.workers == POOL_WORKERS


def test_pool_workers_share_the_cores_among_them() -> None:
    pytest.importorskip("numba")
    with LocalPool(POOL_WORKERS) as pool:
        assert pool.threads == max(1, usable_cpus() // POOL_WORKERS)
        assert set(pool.imap(tasks.numba_threads, range(4))) == {pool.threads}


def test_a_worker_with_numba_loaded_is_capped_at_run_time() -> None:
    pytest.importorskip("numba")
    code = (
        "import numba\n"
        "from zkmargin.solvency.executors.local_pool import _init_worker\n"
        "_init_worker(1)\n"
        "print(numba.get_num_threads())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


# -- bounded in flight ----------------------------------------------------------------------


def test_in_flight_is_bounded(executor: Executor) -> None:
    assert executor.in_flight == (1 if isinstance(executor, InProcess) else 2 * executor.workers)
    stream = CountingTasks(60)
    peak = 0
    for delivered, result in enumerate(executor.imap(tasks.cube, stream)):
        assert result == tasks.cube(delivered)
        # taken but not yet handed to us (this result included)
        peak = max(peak, stream.taken - delivered)
    assert peak == executor.in_flight  # reached, never exceeded


@pytest.mark.parametrize("window", [1, 3])
def test_in_flight_can_be_narrowed(executor: Executor, window: int) -> None:
    stream = CountingTasks(20)
    peak = 0
    for delivered, _ in enumerate(executor.imap(tasks.cube, stream, in_flight=window)):
        peak = max(peak, stream.taken - delivered)
    assert peak == window


def test_tasks_are_taken_lazily(executor: Executor) -> None:
    stream = CountingTasks(100_000)
    results = executor.imap(tasks.cube, stream)
    assert stream.taken == 0  # nothing happens before the first result is asked for
    first = [next(results) for _ in range(5)]
    results.close()  # abandon the rest
    assert first == [tasks.cube(i) for i in range(5)]
    assert stream.taken == 5 - 1 + executor.in_flight


def test_a_window_below_one_is_refused(executor: Executor) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        next(executor.imap(tasks.cube, [1], in_flight=0))


# -- failures -------------------------------------------------------------------------------


def test_a_failing_task_raises_its_own_exception(executor: Executor) -> None:
    got = []
    with pytest.raises(tasks.TaskFailed, match=r"^task 3 is bad$"):
        for result in executor.imap(tasks.fail_on, [(n, 3) for n in range(8)]):
            got.append(result)
    assert got == [0, 1, 2]  # the results before it were delivered, in order
    # and the executor still works afterwards
    assert list(executor.imap(tasks.cube, [2, 3])) == [8, 27]


def test_a_failure_does_not_wait_for_running_tasks() -> None:
    # task 0 fails at once while tasks 1 and 2 would run for a minute: leaving the `with`
    # on the error stops them (this is also what Ctrl-C does)
    start = time.monotonic()
    with (
        pytest.raises(tasks.TaskFailed, match="task 0 failed"),
        LocalPool(POOL_WORKERS) as ex,
    ):
        list(ex.imap(tasks.fail_or_sleep, [(0, 0.0), (1, 60.0), (2, 60.0)]))
    assert time.monotonic() - start < 20


# -- options --------------------------------------------------------------------------------


def test_local_options_pick_the_backend() -> None:
    assert isinstance(open_executor(None, 1), InProcess)
    assert isinstance(open_executor("local", 1), InProcess)
    with open_executor("local", 3) as pool:
        assert isinstance(pool, LocalPool)
        assert (pool.workers, pool.in_flight) == (3, 6)


def test_dask_executor_counts_the_clusters_threads(dask_spec: str) -> None:
    with open_executor(dask_spec, 1) as ex:
        assert isinstance(ex, DaskExecutor)
        assert ex.workers == POOL_WORKERS  # 2 workers x 1 thread, more than the 1 asked for
    with open_executor(dask_spec, 5) as ex:
        assert ex.workers == 5  # a larger request widens the window


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "remote",
        "local:2",
        "tcp://127.0.0.1:8786",
        "dask://",
        "dask://host",
        "dask://host:",
        "dask://host:port",
        "dask://host:0",
        "dask://host:70000",
        "dask://:8786",
        "dask://host:8786/path",
        "dask://user@host:8786",
    ],
)
def test_a_bad_executor_spec_is_one_input_error_line(spec: str) -> None:
    with pytest.raises(InputError) as err:
        open_executor(spec, 2)
    message = str(err.value)
    assert message.startswith(f"--executor: {spec!r}: expected ")
    assert "\n" not in message


def test_workers_below_one_are_refused() -> None:
    with pytest.raises(InputError, match=r"^--workers: must be at least 1, got 0$"):
        open_executor(None, 0)


def test_dask_addresses() -> None:
    assert dask_address("dask://scheduler.internal:8786") == "tcp://scheduler.internal:8786"
    assert dask_address("dask://127.0.0.1:1") == "tcp://127.0.0.1:1"
    assert dask_address("dask://[::1]:8786") == "tcp://[::1]:8786"


def test_a_dask_spec_without_dask_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with pytest.raises(InputError) as err:
        open_executor("dask://127.0.0.1:8786", 2)
    assert str(err.value) == (
        "--executor: dask://127.0.0.1:8786 needs Dask, which is not installed: "
        "pip install 'zkmargin[dask]'"
    )


def test_an_unreachable_scheduler_is_one_input_error_line(dask_spec: str) -> None:
    # (dask_spec: only to skip without Dask) a port nobody listens on
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(InputError) as err:
        open_executor(f"dask://127.0.0.1:{port}", 1, timeout=1.0)
    assert time.monotonic() - start < 15
    message = str(err.value)
    assert message.startswith(f"--executor: no Dask scheduler answers at tcp://127.0.0.1:{port}: ")
    assert "\n" not in message
