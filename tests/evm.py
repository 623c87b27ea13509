"""Solidity in a real EVM for the on-chain tests: solc-js (npm ``solc``) compiles, revm (the
``pyrevm`` package) executes. Both are installed by the README's set-up command.

``compile_solidity`` returns each contract's creation code and function selectors;
:class:`Chain` deploys and calls, and reports each transaction's gas as a node would charge it
(intrinsic 21,000 and calldata included).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

from interop import ROOT, missing

EVM_VERSION = "cancun"
_SOLC = (
    "const solc = require('solc'); let d = '';"
    "process.stdin.on('data', c => d += c).on('end', () => process.stdout.write(solc.compile(d)));"
)


@dataclass(frozen=True)
class Compiled:
    creation: bytes
    runtime_size: int
    selectors: dict[str, bytes]  # "verifyProof(uint256[2],...)" -> 4 bytes


def compile_solidity(sources: dict[str, str]) -> dict[str, Compiled]:
    """Compile ``{file name: source}`` with solc-js (optimizer on, 200 runs); every contract by
    name. Fails the test with solc's messages on any compiler error."""
    if not (ROOT / "node_modules" / "solc").is_dir():
        missing("solc not installed: run `npm install` at the repository root")
    request = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            "evmVersion": EVM_VERSION,
            "optimizer": {"enabled": True, "runs": 200},
            "outputSelection": {
                "*": {
                    "*": [
                        "evm.bytecode.object",
                        "evm.deployedBytecode.object",
                        "evm.methodIdentifiers",
                    ]
                }
            },
        },
    }
    proc = subprocess.run(
        ["node", "-e", _SOLC],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    out = json.loads(proc.stdout)
    errors = [e["formattedMessage"] for e in out.get("errors", []) if e["severity"] == "error"]
    assert not errors, "\n".join(errors)
    return {
        name: Compiled(
            bytes.fromhex(c["evm"]["bytecode"]["object"]),
            len(c["evm"]["deployedBytecode"]["object"]) // 2,
            {sig: bytes.fromhex(sel) for sig, sel in c["evm"]["methodIdentifiers"].items()},
        )
        for contracts in out["contracts"].values()
        for name, c in contracts.items()
    }


def words(*values: int) -> bytes:
    """ABI encoding of static uint256 arguments: 32-byte big-endian words."""
    return b"".join(int(v).to_bytes(32, "big") for v in values)


class Chain:
    """One in-memory chain (revm, Cancun rules) with a funded sender."""

    SENDER = "0x" + "5e" * 20

    def __init__(self) -> None:
        from pyrevm import EVM

        self.evm = EVM(spec_id="CANCUN")
        self.evm.set_balance(self.SENDER, 10**24)

    def deploy(self, contract: Compiled) -> str:
        return self.evm.deploy(self.SENDER, contract.creation, gas=30_000_000)

    def call(self, to: str, data: bytes) -> tuple[bool, bytes, int]:
        """Send a transaction (committed): success, return data, gas used by the transaction."""
        try:
            out = self.evm.message_call(self.SENDER, to, data, gas=30_000_000)
        except RuntimeError as err:  # a revert or halt: revm reports it as an error
            return False, str(err).encode(), self.evm.result.gas_used if self.evm.result else 0
        return self.evm.result.is_success, bytes(out), self.evm.result.gas_used
