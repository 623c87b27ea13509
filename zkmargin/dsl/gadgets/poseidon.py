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
namespace; the sponge nests ``poseidon_sponge/block[k]/poseidon/...``. In partial rounds the
S-box input of round r + 1 is a hint wire ``round[r+1]/sbox[0]/x`` and round r's ``x5``
constraint reads ``x4 · x = (x_next − rest)/M[0][0]``, which pins it down (see
:class:`_PartialPhase`): same count, about half the non-zeros (3,192 for n = 2; circom --O2
makes 3,040 for circomlib's ``Poseidon(2)``).

>>> from zkmargin.dsl.gadgets.testing import compile_gadget
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

from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets.bounded import Bounded, Value
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
class _Linear:
    """``Σ coeffs[j]·v_j + constant`` over a prefix of a variable list."""

    coeffs: tuple[int, ...]
    constant: int

    def lc(self, api: API, variables: Sequence[LC]) -> LC:
        used = variables[: len(self.coeffs)]
        return _combine(api, zip(self.coeffs, used, strict=True), self.constant)


@dataclass(frozen=True)
class _PartialPhase:
    """The partial rounds over the variables ``(u_0..u_{t-1}, x_1..x_{R-1}, z)``: ``u`` is the
    state entering the phase, ``x_k`` the S-box input of partial round k (a wire for k ≥ 1) and
    ``z`` the last partial S-box output. With ``y_k = x_k^5``:

    * ``first_input``: ``x_0`` (over u);
    * ``rest[k]``: ``x_{k+1} − m·y_k`` (over u, x_1..x_k), so round k's S-box constraint reads
      ``x4_k · x_k = (x_{k+1} − rest[k]) / m`` and ``x_{k+1}`` is a hint wire it pins down;
    * ``outputs``: the state leaving the phase (over all variables).
    """

    first_input: _Linear
    rest: tuple[_Linear, ...]
    m: int
    outputs: tuple[_Linear, ...]


@cache
def _partial_phase(params: PoseidonParams) -> _PartialPhase:
    """Precompute the partial rounds once per parameter set (see :class:`_PartialPhase`).

    Why: as plain linear combinations of the partial S-box outputs, every S-box input has
    ``t + k`` terms and appears three times in its S-box's constraints (about 6,700 non-zeros
    for t = 3). Taking the S-box inputs as the wires instead (the variable choice circom's
    --O2 arrives at) leaves one long combination per S-box, in C (about 3,200; circom: 3,040),
    with the same constraint count and an equivalent system: ``m = M[0][0] ≠ 0`` makes each
    ``x_{k+1}`` a function of earlier values.
    """
    p, t, r_p, first = params.field.p, params.t, params.r_p, params.r_f // 2
    mds = params.mds
    # 1. round by round, each word as (coefficients on u_0.., y_0.., constant)
    words = [[int(i == j) for j in range(t)] + [0] * r_p + [0] for i in range(t)]
    inputs = []  # the S-box input of each partial round, same representation
    for k in range(r_p):
        for word, rc in zip(words, params.round_constants[first + k], strict=True):
            word[-1] = (word[-1] + rc) % p
        inputs.append(words[0])
        words[0] = [int(j == t + k) for j in range(t + r_p)] + [0]
        words = [
            [sum(m * w[j] for m, w in zip(row, words, strict=True)) % p for j in range(t + r_p + 1)]
            for row in mds
        ]
    # 2. change variables from y_0..y_{R-2} to x_1..x_{R-1} (y_{R-1} stays, as z)
    size = t + r_p  # u, x_1..x_{R-1}, z
    m = mds[0][0]
    m_inv = pow(m, -1, p)
    y_as: list[list[int]] = []  # y_k over (u, x, z, constant)
    rest = []
    for k in range(r_p - 1):
        nxt = inputs[k + 1]
        if nxt[t + k] != m:
            raise AssertionError("partial S-box output enters the next input with M[0][0]")
        acc = nxt[:t] + [0] * r_p + [nxt[-1]]
        for i in range(k):
            coef = nxt[t + i]
            acc = [(a + coef * y) % p for a, y in zip(acc, y_as[i], strict=True)]
        rest.append(_Linear(tuple(acc[: t + k]), acc[-1]))
        x_next = [int(j == t + k) for j in range(size)] + [0]
        y_as.append([(x - a) * m_inv % p for x, a in zip(x_next, acc, strict=True)])
    y_as.append([int(j == size - 1) for j in range(size)] + [0])
    outputs = []
    for word in words:
        acc = word[:t] + [0] * r_p + [word[-1]]
        for i in range(r_p):
            acc = [(a + word[t + i] * y) % p for a, y in zip(acc, y_as[i], strict=True)]
        outputs.append(_Linear(tuple(acc[:size]), acc[-1]))
    first_input = _Linear(tuple(inputs[0][:t]), inputs[0][-1])
    return _PartialPhase(first_input, tuple(rest), m, tuple(outputs))


def _partial_rounds(api: API, params: PoseidonParams, entry: list[LC]) -> list[LC]:
    phase = _partial_phase(params)
    p, m = api.p, phase.m
    m_inv = pow(m, -1, p)

    def next_input(rest: int, x4: int, x: int) -> int:
        return (rest + m * x4 * x) % p

    first = params.r_f // 2
    variables = list(entry)
    x = phase.first_input.lc(api, variables)
    for k in range(params.r_p):
        r = first + k
        with api.namespace(f"round[{r}]"):
            x2 = api.mul(x, x, name="sbox[0]/x2")
            x4 = api.mul(x2, x2, name="sbox[0]/x4")
            if k == params.r_p - 1:
                variables.append(api.mul(x4, x, name="sbox[0]/x5"))
                break
            rest = phase.rest[k].lc(api, variables)
        if x.is_constant:  # constant inputs fold: no wire, no constraint
            x_next = rest + m * pow(x.constant_value, 5, p)
        else:
            with api.namespace(f"round[{r + 1}]"):
                (x_next,) = api.hint(next_input, rest, x4, x, name="sbox[0]/x")
            with api.namespace(f"round[{r}]"):
                api.assert_product(x4, x, (x_next - rest) * m_inv, name="sbox[0]/x5")
        variables.append(x_next)
        x = x_next
    return [out.lc(api, variables) for out in phase.outputs]


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
    half = params.r_f // 2
    with api.namespace("poseidon"):
        s = _full_rounds(api, params, s, range(half))
        s = _partial_rounds(api, params, s)
        s = _full_rounds(api, params, s, range(half + params.r_p, params.rounds))
    return s


def _full_rounds(api: API, params: PoseidonParams, s: list[LC], rounds: range) -> list[LC]:
    for r in rounds:
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
        for k, block in enumerate(sponge_blocks([as_lc(api, x) for x in inputs])):
            with api.namespace(f"block[{k}]"):
                state = [state[0]] + [
                    s + as_lc(api, x) for s, x in zip(state[1:], block, strict=True)
                ]
                state = poseidon_permutation(api, state)
    return state[1]
