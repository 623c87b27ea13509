"""Fast fixed-base multiples against the pure-Python reference, on both curves, G1 and G2.

The reference (:mod:`zkmargin.curve.fixed_base`) is itself checked against single scalar
multiplications in ``tests/curve``; here every fast result must equal it point for point:
zero scalars, 1, r - 1, scalars >= r, powers of two and r - 2^j (long carry chains through
the signed digits), random ones; the base at infinity; sizes across the batch and thread
boundaries.  The equal and opposite cases of one accumulator addition are driven directly
through :func:`add_selected`.
"""

from __future__ import annotations

import random

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zkmargin.curve import BLS12_381, BN254, Curve
from zkmargin.curve import fixed_base as reference
from zkmargin.curve.fast import fixed_base as fast
from zkmargin.field.fast.mont64 import Field64

CURVES = {"bn128": BN254, "bls12381": BLS12_381}
GROUPS = ["g1", "g2"]


def special(r: int) -> st.SearchStrategy[int]:
    return st.one_of(
        st.sampled_from([0, 1, 2, r - 1, r, r + 1, 2 * r - 1]),
        st.integers(0, 253).map(lambda j: 1 << j),
        st.integers(0, 252).map(lambda j: r - (1 << j)),
        st.integers(0, r - 1),
    )


def base_of(curve: Curve, group: str, log: int):
    return curve.g1_mul(curve.g1, log) if group == "g1" else curve.g2_mul(curve.g2, log)


def both(curve: Curve, group: str, base, scalars: list[int]) -> tuple[list, list]:
    name = f"{group}_multiples"
    return (
        getattr(fast, name)(curve, base, scalars),
        getattr(reference, name)(curve, base, scalars),
    )


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("name", CURVES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_equals_reference(name: str, group: str, data: st.DataObject) -> None:
    curve = CURVES[name]
    scalars = data.draw(st.lists(special(curve.r), max_size=24), label="scalars")
    log = data.draw(st.integers(1, curve.r - 1), label="base log")
    got, want = both(curve, group, base_of(curve, group, log), scalars)
    assert got == want


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("name", CURVES)
def test_special_scalars_against_scalar_multiplication(name: str, group: str) -> None:
    curve = CURVES[name]
    scalars = [0, 1, curve.r - 1, curve.r, 5]
    base = base_of(curve, group, 3)
    mul = curve.g1_mul if group == "g1" else curve.g2_mul
    got = getattr(fast, f"{group}_multiples")(curve, base, scalars)
    assert got == [None, base, mul(base, curve.r - 1), None, mul(base, 5)]
    assert got[2] == (curve.g1_neg if group == "g1" else curve.g2_neg)(base)


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("name", CURVES)
def test_base_at_infinity(name: str, group: str) -> None:
    curve = CURVES[name]
    arr = fast.multiples_arrays(name, group, None, [0, 1, curve.r - 1, 12345])
    assert arr.shape[0] == 4 and not arr.any()
    assert getattr(fast, f"{group}_multiples")(curve, None, [1, 7]) == [None, None]


@pytest.mark.parametrize("name", CURVES)
def test_layout(name: str) -> None:
    curve = CURVES[name]
    limbs = Field64.of(curve.q).n_limbs
    g1 = fast.multiples_arrays(name, "g1", curve.g1, [3, 0])
    g2 = fast.multiples_arrays(name, "g2", curve.g2, [3, 0])
    assert (g1.shape, g2.shape) == ((2, 2, limbs), (2, 2, 2, limbs))
    assert g1.dtype == g2.dtype == np.uint64
    assert not g1[1].any() and not g2[1].any()  # zero scalar: all-zero row
    f = Field64.of(curve.q)
    assert tuple(f.from_mont(g1[0])) == curve.g1_mul(curve.g1, 3)
    x0, x1, y0, y1 = f.from_mont(g2[0])
    assert ((x0, x1), (y0, y1)) == curve.g2_mul(curve.g2, 3)
    assert fast.multiples_arrays(name, "g1", curve.g1, []).shape == (0, 2, limbs)
    with pytest.raises(ValueError, match="group"):
        fast.multiples_arrays(name, "g3", curve.g1, [1])


def test_many_scalars_cross_batches_and_threads() -> None:
    """More than one batch of additions in every thread's slice; the digit width grows with
    n, so more table levels are exercised too."""
    rng = random.Random("fixed-base-many")
    r = BN254.r
    scalars = [rng.randrange(r) for _ in range(numba.get_num_threads() * (fast.ADD_BATCH + 37))] + [
        0,
        1,
        r - 1,
    ] * 5
    rng.shuffle(scalars)
    got, want = both(BN254, "g1", BN254.g1_mul(BN254.g1, 987654321), scalars)
    assert got == want


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("name", CURVES)
def test_add_selected_doubles_cancels_and_negates(name: str, group: str) -> None:
    """acc += ±source[i]: P + P doubles, P + (-P) empties the accumulator, 0 adds nothing,
    a negative selector subtracts."""
    curve = CURVES[name]
    f = Field64.of(curve.q)
    dim = 1 if group == "g1" else 2
    p, two_p = base_of(curve, group, 11), base_of(curve, group, 22)
    neg = curve.g1_neg if group == "g1" else curve.g2_neg

    def rows(points) -> np.ndarray:
        flat = [c for pt in points for c in (pt if dim == 1 else (*pt[0], *pt[1]))]
        return f.to_mont(flat).reshape(len(points), 2, dim, f.n_limbs)

    acc = rows([p, p, p, two_p])
    source = rows([p, neg(p)])
    present = np.ones(4, dtype=np.uint8)
    over = np.zeros((4, 3, dim, f.n_limbs), dtype=np.uint64)
    select = np.array([1, 2, 0, -1], dtype=np.int64)
    fast._add(f, acc, present, over, source, select)
    assert present.tolist() == [1, 0, 1, 1]
    assert not over.any()
    v = f.from_mont(acc[[0, 2, 3]])
    if dim == 1:
        decoded = [(v[i], v[i + 1]) for i in range(0, len(v), 2)]
    else:
        decoded = [((v[i], v[i + 1]), (v[i + 2], v[i + 3])) for i in range(0, len(v), 4)]
    assert decoded == [two_p, p, p]
