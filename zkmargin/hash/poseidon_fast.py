"""A faster Poseidon permutation, equal to :func:`zkmargin.hash.poseidon.permute` (tested).

The partial rounds apply the dense MDS matrix to a state of which only word 0 went through an
S-box. Factor ``M·M'_{k−1} = M'_k·S_k`` with ``M'_k = diag(1, P_k)`` and ``S_k`` sparse
(``[[n00, n01], [P_k^{-1}·n10, I]]``): ``M'`` leaves word 0 alone, so it commutes with the next
S-box and can be carried along (the next round constants become ``M'_{k−1}^{-1}·c``) and applied
once after the last partial round. A partial round then costs O(t) multiplications instead of
O(t^2): the idea of the Poseidon paper's appendix B, derived and precomputed here per
parameter set. Worth it for wide states (t = 17); at t = 3 both are alike.

>>> from zkmargin.hash import poseidon_params, permute
>>> params = poseidon_params(17)
>>> permute_fast(list(range(17)), params) == permute(list(range(17)), params)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from zkmargin.hash.modp_linalg import identity, mat_inv, mat_mul, mat_vec
from zkmargin.hash.poseidon_constants import ALPHA, PoseidonParams


@dataclass(frozen=True)
class SparseSchedule:
    """The precomputed partial rounds of one parameter set (see the module doc)."""

    constants: tuple[tuple[int, ...], ...]  # per partial round: M'_{k-1}^{-1}·c_k
    row0: tuple[tuple[int, ...], ...]  # per partial round: row 0 of S_k
    col0: tuple[tuple[int, ...], ...]  # per partial round: column 0 of S_k below row 0
    final: tuple[tuple[int, ...], ...]  # M' of the last partial round


def _block(p_block: list[list[int]]) -> list[list[int]]:
    """``diag(1, p_block)``."""
    return [[1] + [0] * len(p_block)] + [[0, *row] for row in p_block]


@cache
def sparse_schedule(params: PoseidonParams) -> SparseSchedule:
    """The partial rounds' sparse factors and carried constants for ``params`` (module doc)."""
    p, first = params.field.p, params.r_f // 2
    mds = [list(row) for row in params.mds]
    carried, carried_inv = identity(params.t), identity(params.t)
    constants, row0, col0 = [], [], []
    for k in range(params.r_p):
        constants.append(tuple(mat_vec(carried_inv, list(params.round_constants[first + k]), p)))
        n = mat_mul(mds, carried, p)
        p_block = [row[1:] for row in n[1:]]
        p_inv = mat_inv(p_block, p)
        row0.append(tuple(n[0]))
        col0.append(tuple(mat_vec(p_inv, [row[0] for row in n[1:]], p)))
        carried, carried_inv = _block(p_block), _block(p_inv)
    return SparseSchedule(tuple(constants), tuple(row0), tuple(col0), tuple(map(tuple, carried)))


def permute_fast(state: Sequence[int], params: PoseidonParams) -> list[int]:
    """The Poseidon permutation (same values as :func:`zkmargin.hash.poseidon.permute`)."""
    p, t, half = params.field.p, params.t, params.r_f // 2
    if len(state) != t:
        raise ValueError(f"state has {len(state)} words, the permutation takes {t}")
    schedule = sparse_schedule(params)
    mds = params.mds
    s = [x % p for x in state]

    def full_round(r: int) -> None:
        nonlocal s
        s = [pow(x + c, ALPHA, p) for x, c in zip(s, params.round_constants[r], strict=True)]
        s = [sum(m * x for m, x in zip(row, s, strict=True)) % p for row in mds]

    for r in range(half):
        full_round(r)
    for constants, row0, col0 in zip(schedule.constants, schedule.row0, schedule.col0, strict=True):
        s = [x + c for x, c in zip(s, constants, strict=True)]
        head = pow(s[0], ALPHA, p)
        s[0] = head
        s = [sum(m * x for m, x in zip(row0, s, strict=True)) % p] + [
            (v * head + x) % p for v, x in zip(col0, s[1:], strict=True)
        ]
    s = [sum(m * x for m, x in zip(row, s, strict=True)) % p for row in schedule.final]
    for r in range(half + params.r_p, params.rounds):
        full_round(r)
    return s
