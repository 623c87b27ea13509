"""The three MDS checks reject the matrices they exist to reject, and accept the real ones."""

from __future__ import annotations

import pytest

from zkmargin.field import BLS12_381_FR, BN254_FR
from zkmargin.hash import poseidon_params
from zkmargin.hash.mds_security import algorithm_1, algorithm_2, algorithm_3, is_secure_mds

P = BN254_FR.p


def test_identity_fails_everything() -> None:
    eye = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert not algorithm_1(eye, P)  # a scalar matrix
    assert not algorithm_2(eye, P)  # e_0 spans only itself
    assert not is_secure_mds(eye, P)


def test_eigenvector_in_the_inactive_subspace_fails_check_1_only() -> None:
    # M e_1 = 3 e_1 and e_1 has word 0 = 0: a difference the partial S-box never sees
    m = [[1, 0, 1], [1, 3, 0], [1, 0, 2]]
    assert not algorithm_1(m, P)
    assert algorithm_2(m, P)  # e_0, (1,1,1), (2,4,3) are independent


def test_involution_fails_check_3_only() -> None:
    # the swap matrix: M^2 = I, so M^2 keeps span(e_0) — caught by check 3 (powers of M)
    swap = [[0, 1], [1, 0]]
    assert algorithm_1(swap, P)
    assert algorithm_2(swap, P)
    assert not algorithm_3(swap, P)


def test_invariant_subspace_fails_check_1() -> None:
    # block diagonal: span(e_1, e_2) is invariant and inside {v : v_0 = 0}
    m = [[2, 0, 0], [0, 1, 1], [0, 1, 2]]
    assert not algorithm_1(m, P)


@pytest.mark.parametrize("field", [BN254_FR, BLS12_381_FR], ids=lambda f: f.name)
@pytest.mark.parametrize("t", [2, 3, 4])
def test_generated_matrices_pass(field, t: int) -> None:
    assert is_secure_mds([list(r) for r in poseidon_params(t, field).mds], field.p)
