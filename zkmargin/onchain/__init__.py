"""Groth16 verification on the EVM: Solidity verifiers, their calldata, and the report contract.

:func:`solidity_verifier` writes snarkjs's kind of verifier (``zkey export solidityverifier``)
for a BN254 key; :func:`solidity_calldata` the arguments of its ``verifyProof`` in snarkjs's text
form; :mod:`zkmargin.onchain.report_contract` a contract that verifies a report's batches
against their statement fields and records a snapshot as proven (``docs/onchain.md``).
"""

from zkmargin.onchain.calldata import proof_words, solidity_calldata
from zkmargin.onchain.verifier import require_evm_curve, solidity_verifier

__all__ = ["proof_words", "require_evm_curve", "solidity_calldata", "solidity_verifier"]
