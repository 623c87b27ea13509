"""Multi-scalar-multiplication backends behind one small interface, selectable by name.

* ``"fast"``: numba kernels (:mod:`zkmargin.curve.fast`), the default whenever numba imports
  (a hard dependency; the kernels themselves load on first use);
* ``"reference"``: Pippenger in pure Python on plain ints (:mod:`zkmargin.curve.pippenger`);
* ``"py_ecc"``: the naive sum of py_ecc scalar multiplications, an independent oracle for
  tests and the baseline in ``bench/msm.py``.

A faster backend implements :class:`MsmBackend` and is added with :func:`register_backend`;
the registered backend with the highest ``priority`` is the default (:func:`default_backend`),
so a fast backend that registers itself with a priority above 0 is chosen automatically, and
``Curve.with_backend("reference")`` still forces the reference.

>>> from zkmargin.curve import BN254
>>> get_backend("reference").g1_msm(BN254, [BN254.g1], [3]) == BN254.g1_mul(BN254.g1, 3)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from zkmargin.curve import jacobian as jac
from zkmargin.curve import pyecc
from zkmargin.curve.pippenger import msm
from zkmargin.curve.points import (
    G1,
    G2,
    g1_from_jacobian,
    g1_to_internal,
    g2_from_jacobian,
    g2_to_internal,
)
from zkmargin.field.bigint import big

if TYPE_CHECKING:
    from zkmargin.curve.curve import Curve


class MsmBackend(Protocol):
    """Computes ``sum(k_i · P_i)`` in G1 and G2; scalars are reduced mod the group order."""

    name: str

    def g1_msm(self, curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1: ...

    def g2_msm(self, curve: Curve, points: Sequence[G2], scalars: Sequence[int]) -> G2: ...

    def g2_in_subgroup(self, curve: Curve, point: G2) -> bool:
        """Whether a point on the twist is in the order-``r`` subgroup."""
        ...


class ReferenceBackend:
    """Pure-Python Pippenger with signed digits; skips zeros and sums scalar-one points."""

    name = "reference"

    def g1_msm(self, curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        internal = [g1_to_internal(p) for p in points]
        return g1_from_jacobian(msm(internal, scalars, curve.fr.p, big(curve.q)), curve.q)

    def g2_msm(self, curve: Curve, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        internal = [g2_to_internal(p) for p in points]
        return g2_from_jacobian(msm(internal, scalars, curve.fr.p, big(curve.q)), curve.q)

    def g2_in_subgroup(self, curve: Curve, point: G2) -> bool:
        """``[r]Q`` is infinity."""
        return point is None or jac.multiply(g2_to_internal(point), curve.r, big(curve.q)) is None


class PyEccBackend:
    """The naive sum of py_ecc multiplications: slow, simple, independent of our formulas."""

    name = "py_ecc"

    def g1_msm(self, curve: Curve, points: Sequence[G1], scalars: Sequence[int]) -> G1:
        m = curve.pyecc
        _check_lengths(points, scalars)
        acc = m.Z1
        for p, k in zip(points, scalars, strict=True):
            acc = m.add(acc, m.multiply(pyecc.g1_to_pyecc(m, p), k % curve.fr.p))
        return pyecc.g1_from_pyecc(m, acc)

    def g2_msm(self, curve: Curve, points: Sequence[G2], scalars: Sequence[int]) -> G2:
        m = curve.pyecc
        _check_lengths(points, scalars)
        acc = m.Z2
        for p, k in zip(points, scalars, strict=True):
            acc = m.add(acc, m.multiply(pyecc.g2_to_pyecc(m, p), k % curve.fr.p))
        return pyecc.g2_from_pyecc(m, acc)

    def g2_in_subgroup(self, curve: Curve, point: G2) -> bool:
        """``[r]Q`` is infinity, in py_ecc."""
        m = curve.pyecc
        return point is None or bool(m.is_inf(m.multiply(pyecc.g2_to_pyecc(m, point), curve.r)))


def _check_lengths(points: Sequence[object], scalars: Sequence[int]) -> None:
    if len(points) != len(scalars):
        raise ValueError(f"{len(points)} points but {len(scalars)} scalars")


FAST_PRIORITY = 10
"""The fast backend's priority: above the reference's 0, so it is the default (registered by
the package, :mod:`zkmargin.curve`, so that this registry does not import the kernels that use
it)."""

# name -> (priority, factory)
_BACKENDS: dict[str, tuple[int, Callable[[], MsmBackend]]] = {
    "reference": (0, ReferenceBackend),
    "py_ecc": (-1, PyEccBackend),
}


def register_backend(name: str, factory: Callable[[], MsmBackend], *, priority: int = 0) -> None:
    """Make a backend available to :func:`get_backend` under ``name``.

    The highest-priority backend is the default; the reference backend has priority 0.
    """
    _BACKENDS[name] = (priority, factory)


def available_backends() -> list[str]:
    """Names accepted by :func:`get_backend`."""
    return sorted(_BACKENDS)


def default_backend() -> str:
    """The name of the registered backend with the highest priority."""
    return max(_BACKENDS, key=lambda name: _BACKENDS[name][0])


def get_backend(name: str | None = None) -> MsmBackend:
    """The backend called ``name`` (see :func:`available_backends`), or the default one."""
    if name is None:
        name = default_backend()
    try:
        _, factory = _BACKENDS[name]
    except KeyError:
        raise ValueError(
            f"unknown MSM backend {name!r}; expected one of {available_backends()}"
        ) from None
    return factory()
