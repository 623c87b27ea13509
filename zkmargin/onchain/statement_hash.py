"""The statement hash (the width-17 Poseidon sponge of :mod:`zkmargin.hash.poseidon`) in
Solidity inline assembly, for a contract that checks a batch against its statement fields.

The permutation is the textbook one (every round multiplies by the full 17×17 MDS matrix) with
the round constants of the partial rounds folded forward: a partial round's constants on words
1..16 pass its S-box unchanged, so they are added after the next linear layer instead
(``M·(0, c')`` joins the next round's constants). That leaves 8×17 + 68 constants instead of
76×17, which with the matrix (289 words) is what fits in a contract's 24 KiB of code.

>>> from zkmargin.hash.poseidon import permute
>>> from zkmargin.hash.poseidon_constants import MAX_T, poseidon_params
>>> params = poseidon_params(MAX_T)
>>> state = list(range(MAX_T))
>>> permute_folded(state, params) == permute(state, params)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from zkmargin.batch.statement import STATEMENT_TAG
from zkmargin.field import BN254_FR
from zkmargin.hash.poseidon import SPONGE_DOMAIN_BASE, SPONGE_RATE
from zkmargin.hash.poseidon_constants import ALPHA, MAX_T, PoseidonParams, poseidon_params

# Fixed memory: the hash runs first in its external function, before anything is allocated.
_BASE = 0x80
_STATE = _BASE
_NEXT = _STATE + 32 * MAX_T
_MDS = _NEXT + 32 * MAX_T
_RC = _MDS + 32 * MAX_T * MAX_T


def folded_constants(params: PoseidonParams) -> list[list[int]]:
    """Per round, the constants the folded permutation adds: ``t`` words in a full round, one
    (word 0's) in a partial round."""
    p, t = params.field.p, params.t
    consts = [list(c) for c in params.round_constants]
    for r in range(params.rounds):
        if params.is_full_round(r):
            continue
        carry = [0, *consts[r][1:]]
        consts[r] = consts[r][:1]
        moved = [sum(m * x for m, x in zip(row, carry, strict=True)) % p for row in params.mds]
        consts[r + 1] = [(a + b) % p for a, b in zip(consts[r + 1], moved, strict=True)]
    assert all(len(c) == t for r, c in enumerate(consts) if params.is_full_round(r))
    return consts


def permute_folded(state: Sequence[int], params: PoseidonParams) -> list[int]:
    """The permutation as the contract computes it (equal to :func:`~zkmargin.hash.poseidon.permute`)."""
    p = params.field.p
    s = [x % p for x in state]
    for r, c in enumerate(folded_constants(params)):
        if params.is_full_round(r):
            s = [pow((x + k) % p, ALPHA, p) for x, k in zip(s, c, strict=True)]
        else:
            s[0] = pow((s[0] + c[0]) % p, ALPHA, p)
        s = [sum(m * x for m, x in zip(row, s, strict=True)) % p for row in params.mds]
    return s


@cache
def statement_hash_function(name: str = "statementHash") -> str:
    """A Solidity ``internal pure`` function ``name(uint256[] calldata fields) returns
    (uint256)``: :meth:`Statement.hash` of ``fields``, the sponge of ``[STATEMENT_TAG, *fields]``
    (each field must already be checked ``< R``; ``R`` the BN254
    scalar prime, a constant of the enclosing contract). It uses memory from 0x80 on and moves
    the free-memory pointer past it, so it must run before the caller allocates memory."""
    params = poseidon_params(MAX_T, BN254_FR)
    tag = STATEMENT_TAG
    consts = folded_constants(params)
    t = MAX_T
    table = [v for row in params.mds for v in row]
    rc: list[int] = []
    rc_at: list[int] = []  # each round's address of its first constant
    for c in consts:
        rc_at.append(_RC + 32 * len(rc))
        rc += c
    end = _RC + 32 * len(rc)
    init = [f"mstore({hex(_MDS + 32 * i)}, {v})" for i, v in enumerate(table)]
    init += [f"mstore({hex(_RC + 32 * i)}, {v})" for i, v in enumerate(rc)]
    mix_row = [f"let acc := mulmod(mload(row), mload({hex(_STATE)}), R)"]
    mix_row += [
        f"acc := addmod(acc, mulmod(mload(add(row, {32 * j})), mload({hex(_STATE + 32 * j)}), R), R)"
        for j in range(1, t)
    ]
    copy = [f"mstore({hex(_STATE + 32 * j)}, mload({hex(_NEXT + 32 * j)}))" for j in range(t)]
    sbox_all = []
    for j in range(t):
        a = hex(_STATE + 32 * j)
        sbox_all.append(f"mstore({a}, pow5(addmod(mload({a}), mload(add(c, {32 * j})), R)))")
    half = params.r_f // 2
    body = [
        "function pow5(x) -> y {",
        "    let x2 := mulmod(x, x, R)",
        "    y := mulmod(mulmod(x2, x2, R), x, R)",
        "}",
        "function mix() {",
        f"    for {{ let i := 0 }} lt(i, {t}) {{ i := add(i, 1) }} {{",
        f"        let row := add({hex(_MDS)}, mul(i, {32 * t}))",
        *(f"        {line}" for line in mix_row),
        f"        mstore(add({hex(_NEXT)}, mul(i, 32)), acc)",
        "    }",
        *(f"    {line}" for line in copy),
        "}",
        "function fullRounds(c, n) {",
        "    for { let k := 0 } lt(k, n) { k := add(k, 1) } {",
        *(f"        {line}" for line in sbox_all),
        "        mix()",
        f"        c := add(c, {32 * t})",
        "    }",
        "}",
        "function permute() {",
        f"    fullRounds({hex(rc_at[0])}, {half})",
        f"    for {{ let c := {hex(rc_at[half])} }} lt(c, {hex(rc_at[half + params.r_p])}) "
        "{ c := add(c, 32) } {",
        f"        mstore({hex(_STATE)}, pow5(addmod(mload({hex(_STATE)}), mload(c), R)))",
        "        mix()",
        "    }",
        f"    fullRounds({hex(rc_at[half + params.r_p])}, {half})",
        "}",
        "if gt(mload(0x40), 0x80) { revert(0, 0) } // memory already in use: a caller's bug",
        f"mstore(0x40, {hex(end)})",
        *init,
        "let n := add(fields.length, 1) // the tag, then the fields",
        f"mstore({hex(_STATE)}, add({SPONGE_DOMAIN_BASE}, n))",
        f"mstore({hex(_STATE + 32)}, {tag})",
        *(f"mstore({hex(_STATE + 32 * j)}, 0)" for j in range(2, t)),
        "let k := 1 // inputs absorbed",
        "let i := 1 // their position in the current block",
        "for {} 1 {} {",
        f"    for {{}} and(lt(i, {SPONGE_RATE}), lt(k, n)) {{ i := add(i, 1) }} {{",
        f"        let a := add({hex(_STATE + 32)}, mul(i, 32))",
        "        let x := calldataload(add(fields.offset, mul(sub(k, 1), 32)))",
        "        mstore(a, addmod(mload(a), x, R))",
        "        k := add(k, 1)",
        "    }",
        "    permute()",
        "    if iszero(lt(k, n)) { break }",
        "    i := 0",
        "}",
        f"digest := mload({hex(_STATE + 32)})",
    ]
    lines = "\n".join(f"            {line}" for line in body)
    return f"""    /// zkmargin's statement hash: the Poseidon sponge of [STATEMENT_TAG, fields...] (each < R).
    function {name}(uint256[] calldata fields) internal pure returns (uint256 digest) {{
        assembly {{
{lines}
        }}
    }}
"""
