"""Poseidon in R1CS: the permutation, circomlib's hash and our sponge (reference: zkmargin.hash).

Each x^5 S-box costs 3 constraints (``x2 = x·x``, ``x4 = x2·x2``, ``x5 = x4·x``) and none when
its input is a constant; round constants and the MDS layer are linear, hence free. A width-t
permutation has ``8·t + R_P`` S-boxes:

| gadget | inputs | cost (constraints) |
|---|---|---|
| ``poseidon_permutation(api, state)`` | t = 2..17 words | ``3·(8t + R_P)`` minus 3 per constant first-round word |
| ``poseidon_hash(api, inputs)`` | 1..16 words, t = n + 1 | ``3·(8t + R_P) − 3``: 213 (n=1), 240 (n=2), 609 (n=16) |
| ``poseidon_sponge(api, inputs)`` | any number | ≤ 612 per 16-word block (first block ≤ 609) |

(R_P per t: 56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68 for t = 2..17.)
The capacity word of :func:`poseidon_hash` is the constant 0, so its first S-box is free, which
is why n = 2 costs 240 like circomlib's ``Poseidon(2)``. Inputs are any field elements (LCs, ints or ``Bounded`` values): no bounds.

Constraint names: ``poseidon/round[r]/sbox[i]/x2`` (``x4``, ``x5``), under the caller's
namespace; the sponge nests ``poseidon_sponge/block[k]/poseidon/...``.

>>> from zkmargin.circuit.gadgets.testing import compile_gadget
>>> from zkmargin.hash import poseidon
>>> h = compile_gadget(lambda api, xs: poseidon_hash(api, xs), xs=(2,))
>>> h.n_constraints
240
>>> h.value(h.result, h.solve(xs=[1, 2])) == poseidon([1, 2])
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from zkmargin.circuit import API, LC
from zkmargin.circuit.gadgets.bounded import Bounded, Value
from zkmargin.hash.poseidon import SPONGE_RATE, sponge_blocks, sponge_domain_tag
from zkmargin.hash.poseidon_constants import ALPHA, MAX_T, PoseidonParams, poseidon_params

assert ALPHA == 5, "the S-box gadget below computes x^5"


def as_lc(api: API, x: Value) -> LC:
    """A gadget operand as a linear combination (a ``Bounded`` value contributes its LC)."""
    return x.lc if isinstance(x, Bounded) else api.lc(x)


def _sbox(api: API, x: LC, i: int) -> LC:
    x2 = api.mul(x, x, name=f"sbox[{i}]/x2")
    x4 = api.mul(x2, x2, name=f"sbox[{i}]/x4")
    return api.mul(x4, x, name=f"sbox[{i}]/x5")


def _combine(api: API, pairs: Iterable[tuple[int, LC]], constant: int = 0) -> LC:
    """``Σ coef·lc + constant`` accumulated on raw term dicts, one reduction per term."""
    acc: dict[int, int] = {0: constant} if constant else {}
    for coef, lc in pairs:
        if coef:
            for w, c in lc.terms.items():
                acc[w] = acc.get(w, 0) + coef * c
    p = api.p
    return LC(api, {w: c % p for w, c in acc.items() if c % p})


@dataclass(frozen=True)
class _Affine:
    """``Σ on_entry[j]·u_j + Σ on_sbox[k]·y_k + constant``: u is the state entering the partial
    rounds, y_k the output of the k-th partial S-box."""

    on_entry: tuple[int, ...]
    on_sbox: tuple[int, ...]
    constant: int

    def lc(self, api: API, entry: list[LC], sbox_outputs: list[LC]) -> LC:
        pairs = [
            *zip(self.on_entry, entry, strict=True),
            *zip(self.on_sbox, sbox_outputs, strict=True),
        ]
        return _combine(api, pairs, self.constant)


@cache
def _partial_phase(params: PoseidonParams) -> tuple[tuple[_Affine, ...], tuple[_Affine, ...]]:
    """The partial rounds as affine maps of (entry state, partial S-box outputs), computed once
    per parameter set: the S-box inputs of each partial round, and the state leaving the phase.

    Same linear forms as applying the round constants and MDS round by round, but a gadget then
    builds each S-box input in O(t^2 + R_P) instead of O(t^2·(t + R_P)) per round.
    """
    p, t, first = params.field.p, params.t, params.r_f // 2
    # word i = (coefficients on u, coefficients on y_0.., constant)
    words = [([int(i == j) for j in range(t)], [0] * params.r_p, 0) for i in range(t)]
    sbox_inputs = []
    for k in range(params.r_p):
        constants = params.round_constants[first + k]
        words = [(a, b, (c + rc) % p) for (a, b, c), rc in zip(words, constants, strict=True)]
        a0, b0, c0 = words[0]
        sbox_inputs.append(_Affine(tuple(a0), tuple(b0[:k]), c0))
        words[0] = ([0] * t, [int(j == k) for j in range(params.r_p)], 0)
        words = [
            (
                [sum(m * w[0][j] for m, w in zip(row, words, strict=True)) % p for j in range(t)],
                [
                    sum(m * w[1][j] for m, w in zip(row, words, strict=True)) % p
                    for j in range(k + 1)
                ]
                + [0] * (params.r_p - k - 1),
                sum(m * w[2] for m, w in zip(row, words, strict=True)) % p,
            )
            for row in params.mds
        ]
    outputs = tuple(_Affine(tuple(a), tuple(b), c) for a, b, c in words)
    return tuple(sbox_inputs), outputs


def poseidon_permutation(
    api: API, state: Sequence[Value], params: PoseidonParams | None = None
) -> list[LC]:
    """The Poseidon permutation of ``len(state)`` words (params default to circomlib's for that
    width over ``api.field``); returns the output words as linear combinations."""
    if params is None:
        params = poseidon_params(len(state), api.field)
    if params.field != api.field or params.t != len(state):
        raise ValueError("Poseidon parameters do not match the circuit's field or state width")
    s = [as_lc(api, x) for x in state]
    sbox_inputs, partial_out = _partial_phase(params)
    first_partial = params.r_f // 2
    with api.namespace("poseidon"):
        for r in range(params.rounds):
            if r == first_partial:
                entry, ys = s, []
                for k, affine in enumerate(sbox_inputs):
                    with api.namespace(f"round[{r + k}]"):
                        ys.append(_sbox(api, affine.lc(api, entry, ys), 0))
                s = [affine.lc(api, entry, ys) for affine in partial_out]
            if not params.is_full_round(r):
                continue
            with api.namespace(f"round[{r}]"):
                s = [x + c for x, c in zip(s, params.round_constants[r], strict=True)]
                s = [_sbox(api, x, i) for i, x in enumerate(s)]
                s = [_combine(api, zip(row, s, strict=True)) for row in params.mds]
    return s


def poseidon_hash(api: API, inputs: Sequence[Value]) -> LC:
    """circomlib's ``Poseidon(n)`` for 1 ≤ n ≤ 16 inputs: ``permutation([0, *inputs])[0]``.

    Cost ``3·(8(n+1) + R_P) − 3`` constraints (240 for n = 2); the result is a linear
    combination (no wire of its own).
    """
    n = len(inputs)
    if not 1 <= n <= MAX_T - 1:
        raise ValueError(f"poseidon_hash takes 1..{MAX_T - 1} inputs, got {n}; use poseidon_sponge")
    return poseidon_permutation(api, [0, *inputs])[0]


def poseidon_sponge(api: API, inputs: Sequence[Value]) -> LC:
    """The width-17 Poseidon sponge of any number of inputs (construction in zkmargin.hash.poseidon).

    Cost at most 612 constraints per 16-input block (609 for the first).
    """
    with api.namespace("poseidon_sponge"):
        state = [api.constant(sponge_domain_tag(len(inputs)))] + [api.constant(0)] * SPONGE_RATE
        for k, block in enumerate(sponge_blocks(list(inputs))):
            with api.namespace(f"block[{k}]"):
                state = [state[0]] + [
                    s + as_lc(api, x) for s, x in zip(state[1:], block, strict=True)
                ]
                state = poseidon_permutation(api, state)
    return state[1]
