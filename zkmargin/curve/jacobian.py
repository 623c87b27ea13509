"""Short-Weierstrass ``y^2 = x^3 + b`` arithmetic in Jacobian coordinates on plain integers.

One set of formulas serves G1 (coordinates are ``int``) and G2 (coordinates are
:class:`~zkmargin.curve.fq2.Fq2`): both types support ``+ - *`` and ``% q``.  A Jacobian point
is a tuple ``(X, Y, Z)`` standing for ``(X/Z^2, Y/Z^3)``; the point at infinity is ``None``
(never a tuple with ``Z = 0``), so "is it infinity?" is one identity test in the hot loops.
Affine points are ``(x, y)`` tuples, infinity ``None``.  Formulas are the ``a = 0`` ones from
the Explicit-Formulas Database (dbl-2009-l, add-2007-bl, madd-2007-bl).

>>> q, b = 7, 3                      # tiny curve y^2 = x^3 + 3 over F_7, point (1, 2)
>>> to_affine(double((1, 2, 1), q), q)
(6, 3)
"""

from __future__ import annotations

from typing import Any

from zkmargin.curve.fq2 import Fq2

# Coordinates are ints or Fq2; "Any" keeps the one set of formulas typed for both.
Jacobian = tuple[Any, Any, Any] | None
Affine = tuple[Any, Any] | None


def double(p: Jacobian, q: int) -> Jacobian:
    """``2·p``."""
    if p is None:
        return None
    x, y, z = p
    if not y:
        return None  # a point of order 2 (only on curves with even order: the twists)
    a = x * x % q
    b = y * y % q
    c = b * b % q
    t = x + b
    d = 2 * (t * t - a - c) % q
    e = 3 * a
    f = e * e % q
    x3 = (f - 2 * d) % q
    y3 = (e * (d - x3) - 8 * c) % q
    z3 = 2 * y * z % q
    return (x3, y3, z3)


def add(p1: Jacobian, p2: Jacobian, q: int) -> Jacobian:
    """``p1 + p2`` for Jacobian points (equal points and opposite points included)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1, z1 = p1
    x2, y2, z2 = p2
    z1z1 = z1 * z1 % q
    z2z2 = z2 * z2 % q
    u1 = x1 * z2z2 % q
    u2 = x2 * z1z1 % q
    s1 = y1 * z2 * z2z2 % q
    s2 = y2 * z1 * z1z1 % q
    h = (u2 - u1) % q
    r = 2 * (s2 - s1) % q
    if not h:
        return double(p1, q) if not r else None
    i = 4 * h * h % q
    j = h * i % q
    v = u1 * i % q
    x3 = (r * r - j - 2 * v) % q
    y3 = (r * (v - x3) - 2 * s1 * j) % q
    t = z1 + z2
    z3 = (t * t - z1z1 - z2z2) * h % q
    return (x3, y3, z3)


def add_affine(p1: Jacobian, a2: tuple[Any, Any], q: int) -> Jacobian:
    """``p1 + a2`` where ``a2`` is an affine point (not infinity): the cheaper mixed addition."""
    x2, y2 = a2
    if p1 is None:
        return (x2, y2, 1)
    x1, y1, z1 = p1
    z1z1 = z1 * z1 % q
    u2 = x2 * z1z1 % q
    s2 = y2 * z1 * z1z1 % q
    h = (u2 - x1) % q
    r = 2 * (s2 - y1) % q
    if not h:
        return double(p1, q) if not r else None
    hh = h * h % q
    i = 4 * hh
    j = h * i % q
    v = x1 * i % q
    x3 = (r * r - j - 2 * v) % q
    y3 = (r * (v - x3) - 2 * y1 * j) % q
    t = z1 + h
    z3 = (t * t - z1z1 - hh) % q
    return (x3, y3, z3)


def invert(z: Any, q: int) -> Any:
    """``1/z`` in Fq (int or mpz) or Fq2."""
    if isinstance(z, Fq2):
        return z.inverse(q)
    return pow(z, -1, q)


def to_affine(p: Jacobian, q: int) -> Affine:
    """The affine ``(x, y)`` of a Jacobian point (``None`` stays ``None``)."""
    if p is None:
        return None
    x, y, z = p
    zi = invert(z, q)
    zi2 = zi * zi % q
    return (x * zi2 % q, y * zi2 * zi % q)


def batch_to_affine(points: list[Jacobian], q: int) -> list[Affine]:
    """Affine forms of many points with one inversion (Montgomery's trick)."""
    prefix = []
    acc: Any = 1
    for p in points:
        if p is not None:
            acc = acc * p[2] % q
        prefix.append(acc)
    inv = invert(acc, q)
    out: list[Affine] = [None] * len(points)
    for k in range(len(points) - 1, -1, -1):
        p = points[k]
        if p is None:
            continue
        before = prefix[k - 1] if k else 1
        zi = inv * before % q  # 1/z_k
        inv = inv * p[2] % q
        zi2 = zi * zi % q
        out[k] = (p[0] * zi2 % q, p[1] * zi2 * zi % q)
    return out


def negate_affine(a: Affine, q: int) -> Affine:
    """``-a`` for an affine point."""
    if a is None:
        return None
    return (a[0], (-a[1]) % q)


def multiply(a: Affine, k: int, q: int) -> Jacobian:
    """``k·a`` for an affine point and a non-negative integer ``k`` (not reduced mod anything).

    Left-to-right double-and-add with mixed additions.  Not constant time: the prover's
    secrets are protected by the proof system's blinding, not by this routine.
    """
    if a is None or k == 0:
        return None
    if k < 0:
        raise ValueError("multiply expects k >= 0; negate the point instead")
    acc: Jacobian = None
    for bit in bin(k)[2:]:
        acc = double(acc, q)
        if bit == "1":
            acc = add_affine(acc, a, q)
    return acc


def is_on_curve(a: Affine, b: Any, q: int) -> bool:
    """Whether the affine point satisfies ``y^2 = x^3 + b`` (infinity counts as on the curve)."""
    if a is None:
        return True
    x, y = a
    return not ((y * y - x * x % q * x - b) % q)
