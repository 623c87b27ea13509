"""numba's ``njit`` with an on-disk cache when a writable cache directory exists.

Compiling the kernels takes seconds; ``cache=True`` stores the machine code next to the
sources (or in ``NUMBA_CACHE_DIR``) so later processes load it instead.  numba refuses
``cache=True`` at decoration time when no location is writable: then the kernels are compiled
in memory each process, which is slower to start but correct.

>>> @kernel
... def twice(x):
...     return 2 * x
>>> twice(21)
42
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

import numba

_njit = numba.njit  # indirection so tests can simulate an unwritable cache

CACHING: bool = True
"""False once a kernel could not be cached (no writable cache directory)."""


@overload
def kernel(fn: Callable[..., Any], *, parallel: bool = ..., inline: bool = ...) -> Any: ...


@overload
def kernel(
    fn: None = None, *, parallel: bool = ..., inline: bool = ...
) -> Callable[[Callable[..., Any]], Any]: ...


def kernel(
    fn: Callable[..., Any] | None = None, *, parallel: bool = False, inline: bool = False
) -> Any:
    """``numba.njit(fn, cache=True, ...)``, without the cache if it can't be written.

    ``inline`` inlines the function into its callers at numba's IR level: worth it for the
    small field operations called in inner loops.  Returns the dispatcher, typed ``Any``: its
    argument types are numba's to infer at each call.
    """
    how: Literal["always", "never"] = "always" if inline else "never"

    def wrap(f: Callable[..., Any]) -> Any:
        global CACHING
        if CACHING:
            try:
                return _njit(f, cache=True, parallel=parallel, inline=how)
            except RuntimeError:  # "cannot cache function ...: no locator available"
                CACHING = False
        return _njit(f, cache=False, parallel=parallel, inline=how)

    return wrap if fn is None else wrap(fn)
