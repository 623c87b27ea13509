"""Solidity in a real EVM for the on-chain tests: solc-js (npm ``solc``) compiles, revm (the
``pyrevm`` package) executes. Both are installed by the README's set-up command.

``compile_solidity`` returns each contract's creation code and function selectors;
:class:`Chain` deploys and calls, and reports each transaction's gas as a node would charge it
(intrinsic 21,000 and calldata included).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from interop import ROOT, missing

from zkmargin.batch.statement import Statement
from zkmargin.formats.snarkjs_json import Proof, read_proof

EVM_VERSION = "cancun"
# Compiles a standard-JSON request from stdin; adds each custom error's selector to the output
# (solc lists functions' selectors only), computed with solc's own keccak dependency.
_SOLC = """
const solc = require('solc'); const { keccak256 } = require('js-sha3'); let d = '';
process.stdin.on('data', c => d += c).on('end', () => {
  const out = JSON.parse(solc.compile(d));
  for (const file of Object.values(out.contracts || {}))
    for (const c of Object.values(file))
      c.errorIdentifiers = Object.fromEntries(c.abi.filter(e => e.type === 'error').map(e => {
        const sig = `${e.name}(${e.inputs.map(i => i.type).join(',')})`;
        return [sig, keccak256(sig).slice(0, 8)];
      }));
  process.stdout.write(JSON.stringify(out));
});
"""


@dataclass(frozen=True)
class Compiled:
    creation: bytes
    runtime_size: int
    selectors: dict[str, bytes]  # "verifyProof(uint256[2],...)" -> 4 bytes
    errors: dict[str, bytes]  # "InvalidProof()" -> 4 bytes

    def error(self, revert_output: bytes) -> str:
        """The custom error a revert's output starts with (its signature), or ``""``."""
        return next((sig for sig, sel in self.errors.items() if revert_output[:4] == sel), "")


def compile_solidity(sources: dict[str, str], cache: Path | None = None) -> dict[str, Compiled]:
    """Compile ``{file name: source}`` with solc-js (via IR, optimizer on, 200 runs); every
    contract as ``"file:Name"``. Fails the test with solc's messages on any compiler error.

    ``cache``: a folder keeping solc's output under the SHA-256 of the request and the installed
    solc's version, so unchanged sources are compiled once across runs and xdist workers."""
    if not (ROOT / "node_modules" / "solc").is_dir():
        missing("solc not installed: run `npm install` at the repository root")
    request = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            "evmVersion": EVM_VERSION,
            "viaIR": True,
            "optimizer": {"enabled": True, "runs": 200},
            "outputSelection": {
                "*": {
                    "*": [
                        "abi",
                        "evm.bytecode.object",
                        "evm.deployedBytecode.object",
                        "evm.methodIdentifiers",
                    ]
                }
            },
        },
    }
    key = json.dumps([request, _solc_version()], sort_keys=True).encode()
    stored = cache / f"{hashlib.sha256(key).hexdigest()}.json" if cache else None
    if stored is not None and stored.is_file():
        out = json.loads(stored.read_text())
    else:
        proc = subprocess.run(
            ["node", "-e", _SOLC], input=json.dumps(request), capture_output=True, text=True,
            cwd=ROOT, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, f"solc-js failed:\n{proc.stderr}"
        out = json.loads(proc.stdout)
        errors = [e["formattedMessage"] for e in out.get("errors", []) if e["severity"] == "error"]
        assert not errors, "\n".join(errors)
        if stored is not None:  # written under a temporary name: a reader never sees half
            tmp = stored.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(out))
            os.replace(tmp, stored)
    return {
        f"{file}:{name}": Compiled(
            bytes.fromhex(c["evm"]["bytecode"]["object"]),
            len(c["evm"]["deployedBytecode"]["object"]) // 2,
            {sig: bytes.fromhex(sel) for sig, sel in c["evm"]["methodIdentifiers"].items()},
            {sig: bytes.fromhex(sel) for sig, sel in c["errorIdentifiers"].items()},
        )
        for file, contracts in out["contracts"].items()
        for name, c in contracts.items()
    }


def _solc_version() -> str:
    return json.loads((ROOT / "node_modules" / "solc" / "package.json").read_text())["version"]


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

    def call(self, to: str, data: bytes, sender: str = SENDER) -> Receipt:
        """Send a transaction (committed if it succeeds) and return its outcome."""
        try:
            out = self.evm.message_call(sender, to, data, gas=30_000_000)
        except RuntimeError as err:  # revm reports a revert as an error naming its output
            match = re.search(r"output: 0x([0-9a-f]*)", str(err))
            assert match, f"not a revert: {err}"
            return Receipt(False, bytes.fromhex(match.group(1)), self.evm.result.gas_used)
        return Receipt(self.evm.result.is_success, bytes(out), self.evm.result.gas_used)


@dataclass(frozen=True)
class Receipt:
    success: bool
    output: bytes  # return data, or the revert's output
    gas: int  # what the whole transaction costs (intrinsic 21,000 and calldata included)

    @property
    def word(self) -> int:
        return int.from_bytes(self.output[:32], "big")


@dataclass(frozen=True)
class Batch:
    """One batch of a report as a contract takes it."""

    statement: Statement
    public: list[int]
    proof: Proof


def read_batches(report: Path) -> tuple[list[Batch], dict]:
    """A report folder's batches (statement, public signals, proof) and its report.json."""
    doc = json.loads((report / "report.json").read_text())
    batches = [
        Batch(
            Statement.from_json(b["statement"]),
            [int(v) for v in json.loads((report / b["public"]).read_text())],
            read_proof(report / b["proof"]),
        )
        for b in doc["batches"]
    ]
    return batches, doc


def statement_hash_harness() -> str:
    """A contract ``StatementHash`` exposing the Solidity statement hash as ``hash(uint256[])``."""
    from zkmargin.field import BN254_FR
    from zkmargin.onchain.statement_hash import statement_hash_function

    return f"""pragma solidity >=0.8.0 <0.9.0;
contract StatementHash {{
    uint256 internal constant R = {BN254_FR.p};
{statement_hash_function()}
    function hash(uint256[] calldata fields) external pure returns (uint256) {{
        return statementHash(fields);
    }}
}}
"""
