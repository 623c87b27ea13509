"""The kernel decorator caches compiled code when it can and compiles in memory when it can't."""

from __future__ import annotations

import numba
import pytest

from zkmargin.field.fast import jit


def test_falls_back_without_a_writable_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    real_njit = numba.njit

    def refusing_njit(fn, *, cache: bool, **options):
        if cache:
            raise RuntimeError("cannot cache function: no locator available")
        return real_njit(fn, cache=False, **options)

    monkeypatch.setattr(jit, "_njit", refusing_njit)
    monkeypatch.setattr(jit, "CACHING", True)

    @jit.kernel
    def add_one(x):
        return x + 1

    assert add_one(41) == 42
    assert jit.CACHING is False


def test_caches_when_possible() -> None:
    """This checkout is writable, so the kernels got numba's on-disk cache."""
    from numba.core.caching import NullCache

    from zkmargin.field.fast.mont64 import mul_loop

    assert not isinstance(mul_loop._cache, NullCache)
