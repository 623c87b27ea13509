"""The arguments of a verifier's ``verifyProof`` call, as snarkjs's ``zkey export
soliditycalldata`` prints them: ``[a0, a1],[[b01, b00],[b11, b10]],[c0, c1],[s0,s1,...]`` with
every number a quoted 64-digit hex word and G2 coordinates imaginary part first.

>>> from zkmargin.formats.snarkjs_json import Proof
>>> print(solidity_calldata(Proof("bn128", (1, 2), ((3, 4), (5, 6)), (7, 8)), [9, 10])[:26])
["0x0000000000000000000000
>>> proof_words(Proof("bn128", (1, 2), ((3, 4), (5, 6)), (7, 8)))
[1, 2, 4, 3, 6, 5, 7, 8]
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.formats.snarkjs_json import Proof
from zkmargin.onchain.verifier import g1_words, g2_words, require_evm_curve


def proof_words(proof: Proof) -> list[int]:
    """``pA, pB, pC`` flattened in call order (8 words)."""
    require_evm_curve(proof.curve, "proof")
    return [*g1_words(proof.a), *g2_words(proof.b), *g1_words(proof.c)]


def _word(n: int) -> str:
    return f'"0x{n:064x}"'


def solidity_calldata(proof: Proof, public: Sequence[int]) -> str:
    """The call's arguments in snarkjs's text form (no trailing newline)."""
    a0, a1, bx1, bx0, by1, by0, c0, c1 = (_word(n) for n in proof_words(proof))
    return (
        f"[{a0}, {a1}],[[{bx1}, {bx0}],[{by1}, {by0}]],[{c0}, {c1}],"
        f"[{','.join(_word(int(s)) for s in public)}]"
    )
