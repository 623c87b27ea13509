"""Batched affine additions against the Jacobian formulas, over Fq (G1) and Fq2 (G2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import Curve
from zkmargin.curve import jacobian as jac
from zkmargin.curve.affine import add_pairs, batch_invert, sum_lists
from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.points import g1_to_internal, g2_to_internal
from zkmargin.field.bigint import big


def internal_points(curve: Curve, pool, group: str) -> list:
    if group == "g1":
        return [g1_to_internal(p) for p in pool.g1]
    return [g2_to_internal(p) for p in pool.g2]


def neg(a, q):
    return jac.negate_affine(a, q)


@pytest.mark.parametrize("group", ["g1", "g2"])
@settings(max_examples=15)
@given(data=st.data())
def test_add_pairs_matches_jacobian(curve: Curve, pool, group: str, data) -> None:
    q = big(curve.q)
    pts = internal_points(curve, pool, group)
    pick = st.integers(0, len(pts) - 1)
    # Each pair: a + b, a + a (doubling) or a + (-a) (infinity).
    shapes = st.lists(
        st.tuples(pick, pick, st.sampled_from(["other", "same", "opposite"])), max_size=8
    )
    pairs = []
    for i, j, shape in data.draw(shapes):
        a = pts[i]
        b = pts[j] if shape == "other" else a if shape == "same" else neg(a, q)
        pairs.append((a, b))
    got = add_pairs(pairs, q)
    want = [jac.to_affine(jac.add_affine((a[0], a[1], 1), b, q), q) for a, b in pairs]
    assert got == want


@pytest.mark.parametrize("group", ["g1", "g2"])
def test_sum_lists(curve: Curve, pool, group: str) -> None:
    q = big(curve.q)
    pts = internal_points(curve, pool, group)
    a, b, c = pts[:3]
    lists = [[], [a], [a, a], [a, neg(a, q)], [a, b, c, a, neg(b, q)], [a] * 7, [a, neg(a, q), b]]
    want = []
    for points in lists:
        acc = None
        for p in points:
            acc = jac.add_affine(acc, p, q)
        want.append(jac.to_affine(acc, q))
    assert sum_lists(lists, q) == want


@given(values=st.lists(st.integers(1, 2**64), max_size=20))
def test_batch_invert(values: list[int]) -> None:
    q = 2**127 - 1
    assert batch_invert(values, q) == [pow(v, -1, q) for v in values]


def test_batch_invert_fq2() -> None:
    q = 2**127 - 1
    values = [Fq2(3, 4), Fq2(0, 1), Fq2(5, 0)]
    for v, inv in zip(values, batch_invert(values, q), strict=True):
        assert (v * inv) % q == Fq2(1, 0)
