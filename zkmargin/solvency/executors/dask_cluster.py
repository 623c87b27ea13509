"""Batch tasks on a Dask distributed cluster (``--executor dask://HOST:PORT``):
:class:`DaskExecutor` and the address it connects to.  Needs the optional dependency
(``pip install 'zkmargin[dask]'``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from zkmargin.errors import InputError
from zkmargin.solvency.executors.base import Executor, Pending, R, T

DASK_SCHEME = "dask://"
DASK_INSTALL = "pip install 'zkmargin[dask]'"


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

    def _submit(self, fn: Callable[[T], R], task: T) -> Pending:
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
