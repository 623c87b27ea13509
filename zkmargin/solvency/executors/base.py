"""The executor API (:class:`Executor`: ``imap`` over a stream of tasks, results in task order,
at most ``in_flight`` submitted) and its simplest backend, :class:`InProcess`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Pending(Protocol):
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
        pending: deque[Pending] = deque()
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
    def _submit(self, fn: Callable[[T], R], task: T) -> Pending:
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

    def _submit(self, fn: Callable[[T], R], task: T) -> Pending:
        return _Deferred(fn, task)

    def __repr__(self) -> str:
        return "InProcess()"
