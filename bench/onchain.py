"""Gas of on-chain verification, beside snarkjs's exported verifier, in one EVM run (revm).

    python bench/onchain.py                          # the tests' tiny market, batches of 2
    python bench/onchain.py --keys KEYS/ --report REPORT/

Every figure is the gas of a whole transaction (intrinsic 21,000 and calldata included), as a
node charges it, with the contracts compiled by solc-js (optimizer on, 200 runs):

* ``verifyProof``: snarkjs's exported verifier and ours, on each batch proof of the report;
* ``proveBatch``: the report-level contract (statement fields in calldata, hashed in Solidity)
  per batch, and per snapshot (``commitSnapshot`` plus every batch);
* the other option — the statement fields as the proof's public inputs — measured as our
  verifier for a key with that many public inputs (a synthetic key: the precompiles charge the
  same for any valid points) plus the report contract's own bookkeeping (its batch gas less its
  hash and its one-input verification, each measured alone).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from zkmargin.batch.statement import Statement
from zkmargin.curve import curve_by_name
from zkmargin.formats.snarkjs_json import VerifyingKey, read_proof, read_verification_key
from zkmargin.margin import load_market
from zkmargin.onchain import proof_words, solidity_verifier
from zkmargin.onchain.report_contract import export_report_contract
from zkmargin.solvency import prove_snapshot, setup_keys

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the tests' EVM helpers and tiny market
from evm import Chain, compile_solidity, statement_hash_harness, words  # noqa: E402
from solvency.tiny import ACCOUNTS, BATCH_SIZE, CIRCUIT, MARKET  # noqa: E402

VERIFY = "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[{}])"
BN = curve_by_name("bn128")


def tiny_report(tmp: Path) -> tuple[Path, Path]:
    setup_keys(CIRCUIT, load_market(MARKET), BATCH_SIZE, tmp / "keys", random.Random(1))
    prove_snapshot(ACCOUNTS, MARKET, tmp / "keys", tmp / "report", seed=1)
    return tmp / "keys", tmp / "report"


def synthetic_key(n_public: int) -> VerifyingKey:
    """A key with ``n_public`` inputs whose points are generator multiples (gas only)."""
    ic = tuple(BN.g1_mul(BN.g1, k + 2) for k in range(n_public + 1))
    return VerifyingKey("bn128", n_public, BN.g1, BN.g2, BN.g2, BN.g2, ic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=Path, help="a keys folder (default: the tiny market's)")
    parser.add_argument("--report", type=Path, help="a report proven with --keys")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        keys, report = (args.keys, args.report) if args.keys else tiny_report(tmp)
        doc = json.loads((report / "report.json").read_text())
        batches = [
            (
                Statement.from_json(b["statement"]),
                [int(v) for v in json.loads((report / b["public"]).read_text())],
                proof_words(read_proof(report / b["proof"])),
            )
            for b in doc["batches"]
        ]
        n_fields = len(batches[0][0].fields())
        snarkjs_sol = tmp / "snarkjs.sol"
        subprocess.run(
            [str(ROOT / "node_modules/.bin/snarkjs"), "zkey", "export", "solidityverifier",
             str(keys / "circuit.zkey"), str(snarkjs_sol)],
            check=True, capture_output=True,
        )  # fmt: skip
        vk = read_verification_key(keys / "verification_key.json")
        sources = {
            "snarkjs.sol": snarkjs_sol.read_text(),
            "ours.sol": solidity_verifier(vk),
            "report.sol": export_report_contract(keys),
            "hash.sol": statement_hash_harness(),
            "fields.sol": solidity_verifier(synthetic_key(n_fields)),
            "folded.sol": solidity_verifier(synthetic_key(n_fields - 1)),
        }
        c = compile_solidity(sources)
        chain = Chain()
        at = {name: chain.deploy(contract) for name, contract in c.items()}

        def verify_gas(name: str, proof: list[int], public: list[int]) -> int:
            contract = c[f"{name}:Groth16Verifier"]
            sel = contract.selectors[VERIFY.format(len(public))]
            receipt = chain.call(at[f"{name}:Groth16Verifier"], sel + words(*proof, *public))
            assert receipt.success
            return receipt.gas

        snarkjs = [verify_gas("snarkjs.sol", p, pub) for _, pub, p in batches]
        ours = [verify_gas("ours.sol", p, pub) for _, pub, p in batches]
        gen = proof_words(read_proof(report / doc["batches"][0]["proof"]))  # any valid points
        fields_gas = verify_gas("fields.sol", gen, [1] * n_fields)
        folded_gas = verify_gas("folded.sol", gen, [1] * (n_fields - 1))

        rc, raddr = c["report.sol:ZkmarginSnapshots"], at["report.sol:ZkmarginSnapshots"]
        first = batches[0][0]
        commit = chain.call(
            raddr,
            rc.selectors["commitSnapshot(uint256,uint256,uint256,uint64)"]
            + words(
                first.epoch,
                first.table_root,
                first.market_hash,
                sum(st.count for st, *_ in batches),
            ),
        )
        assert commit.success
        sel = rc.selectors["proveBatch(uint256[],uint256[2],uint256[2][2],uint256[2])"]
        per_batch = []
        for st, _, p in batches:
            f = st.fields()
            receipt = chain.call(raddr, sel + words(32 * 9, *p, len(f), *f))
            assert receipt.success, rc.error(receipt.output)
            per_batch.append(receipt.gas)
        h = c["hash.sol:StatementHash"]
        f = first.fields()
        hash_gas = chain.call(
            at["hash.sol:StatementHash"], h.selectors["hash(uint256[])"] + words(32, len(f), *f)
        ).gas
        # the report contract's own work: its batch less the hash and the 1-input verification
        bookkeeping = [
            g - (hash_gas - 21_000) - (o - 21_000) for g, o in zip(per_batch, ours, strict=True)
        ]

    n = len(batches)
    print(
        f"report: {n} batches, {n_fields} statement fields, batch size {doc['shape']['batch_size']}"
    )
    print(f"{'transaction':58} {'gas':>10} {'vs snarkjs':>10}")
    ref = snarkjs[0]

    def row(label: str, gas: int) -> None:
        print(f"{label:58} {gas:>10,} {gas / ref:>9.2f}x")

    row("snarkjs verifyProof (1 public input)", ref)
    row("zkmargin verifyProof (1 public input)", ours[0])
    row("report contract proveBatch, first batch", per_batch[0])
    for i in range(1, n):
        row(f"report contract proveBatch, batch {i}", per_batch[i])
    row("  of which the statement hash in Solidity (alone)", hash_gas)
    row(f"report contract, whole snapshot (commit + {n} batches)", commit.gas + sum(per_batch))
    row(f"fields as public inputs: verifyProof, {n_fields} inputs", fields_gas)
    row(f"fields as public inputs: verifyProof, {n_fields - 1} (circuit id folded)", folded_gas)
    row("fields as public inputs: + bookkeeping, first batch", folded_gas + bookkeeping[0] - 21_000)
    row(
        f"fields as public inputs: + bookkeeping, batch {n - 1}",
        folded_gas + bookkeeping[-1] - 21_000,
    )
    print(f"target: verifyProof <= 300,000; report contract <= snarkjs + 30% = {int(ref * 1.3):,}")


if __name__ == "__main__":
    main()
