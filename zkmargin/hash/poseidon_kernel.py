"""The Poseidon permutation as a numba kernel on 64-bit Montgomery limbs (fast path).

Same schedule as :func:`zkmargin.hash.poseidon_fast.permute_fast` (full rounds with the dense
MDS matrix, partial rounds with the sparse factors of the Poseidon paper's appendix B), same
values as the reference :func:`zkmargin.hash.poseidon.permute` (tested), and faster than either
at width 17: the account leaves, id hashes and statement hashes of a batch
(about seven permutations an account) were a quarter of a batch's proving time.

>>> from zkmargin.hash import permute, poseidon_params
>>> params = poseidon_params(3)
>>> permute_kernel([0, 1, 2], params) == permute([0, 1, 2], params)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, add, copy, mul
from zkmargin.field.fast.word import Modulus
from zkmargin.hash.poseidon_constants import ALPHA, PoseidonParams
from zkmargin.hash.poseidon_fast import sparse_schedule


@kernel
def _sbox(x: np.ndarray, m: Modulus, t: np.ndarray, x2: np.ndarray) -> None:
    """``x = x^5`` in place (``x2``: one element of scratch)."""
    mul(x2, x, x, m, t)
    mul(x2, x2, x2, m, t)
    mul(x, x2, x, m, t)


@kernel
def _dense(
    s: np.ndarray,
    matrix: np.ndarray,
    m: Modulus,
    t: np.ndarray,
    acc: np.ndarray,
    prod: np.ndarray,
    out: np.ndarray,
) -> None:
    """``s = matrix · s``."""
    width = s.shape[0]
    for i in range(width):
        mul(acc, matrix[i, 0], s[0], m, t)
        for j in range(1, width):
            mul(prod, matrix[i, j], s[j], m, t)
            add(acc, acc, prod, m)
        copy(out[i], acc)
    for i in range(width):
        copy(s[i], out[i])


@kernel
def _full_round(
    s: np.ndarray,
    constants: np.ndarray,
    mds: np.ndarray,
    m: Modulus,
    t: np.ndarray,
    acc: np.ndarray,
    prod: np.ndarray,
    out: np.ndarray,
) -> None:
    for i in range(s.shape[0]):
        add(s[i], s[i], constants[i], m)
        _sbox(s[i], m, t, acc)
    _dense(s, mds, m, t, acc, prod, out)


@kernel
def _permute(
    s: np.ndarray,
    round_constants: np.ndarray,
    mds: np.ndarray,
    partial_constants: np.ndarray,
    row0: np.ndarray,
    col0: np.ndarray,
    final: np.ndarray,
    m: Modulus,
) -> None:
    """The permutation on ``s`` (``(t, N)`` Montgomery limbs) in place."""
    width, n = s.shape
    t = np.zeros(n + 2, dtype=np.uint64)
    acc = np.zeros(n, dtype=np.uint64)
    prod = np.zeros(n, dtype=np.uint64)
    out = np.zeros((width, n), dtype=np.uint64)
    half = (round_constants.shape[0] - partial_constants.shape[0]) // 2
    for r in range(half):
        _full_round(s, round_constants[r], mds, m, t, acc, prod, out)
    for k in range(partial_constants.shape[0]):
        for i in range(width):
            add(s[i], s[i], partial_constants[k, i], m)
        _sbox(s[0], m, t, acc)
        # word 0 <- row0 · s; word i <- col0[i-1] · (S-boxed word 0) + word i
        mul(acc, row0[k, 0], s[0], m, t)
        for j in range(1, width):
            mul(prod, row0[k, j], s[j], m, t)
            add(acc, acc, prod, m)
            mul(prod, col0[k, j - 1], s[0], m, t)
            add(s[j], s[j], prod, m)
        copy(s[0], acc)
    _dense(s, final, m, t, acc, prod, out)
    for r in range(half + partial_constants.shape[0], round_constants.shape[0]):
        _full_round(s, round_constants[r], mds, m, t, acc, prod, out)


@dataclass(frozen=True)
class _Tables:
    field: Field64
    round_constants: np.ndarray  # (rounds, t, N)
    mds: np.ndarray  # (t, t, N)
    partial_constants: np.ndarray  # (r_p, t, N)
    row0: np.ndarray  # (r_p, t, N)
    col0: np.ndarray  # (r_p, t - 1, N)
    final: np.ndarray  # (t, t, N)


@cache
def _tables(params: PoseidonParams) -> _Tables:
    if ALPHA != 5:  # the S-box kernel is x^5
        raise ValueError(f"the kernel's S-box is x^5, the parameters use x^{ALPHA}")
    f = Field64.of(params.field.p)
    schedule = sparse_schedule(params)

    def mont(rows: Sequence[Sequence[int]]) -> np.ndarray:
        return f.to_mont([v for row in rows for v in row]).reshape(len(rows), -1, f.n_limbs)

    return _Tables(
        f,
        mont(params.round_constants),
        mont(params.mds),
        mont(schedule.constants),
        mont(schedule.row0),
        mont(schedule.col0),
        mont(schedule.final),
    )


def permute_kernel(state: Sequence[int], params: PoseidonParams) -> list[int]:
    """The Poseidon permutation (same values as :func:`zkmargin.hash.poseidon.permute`)."""
    if len(state) != params.t:
        raise ValueError(f"state has {len(state)} words, the permutation takes {params.t}")
    tb = _tables(params)
    s = tb.field.to_mont(state)
    _permute(
        s, tb.round_constants, tb.mds, tb.partial_constants, tb.row0, tb.col0, tb.final, tb.field.m
    )
    return tb.field.from_mont(s)
