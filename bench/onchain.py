"""Gas of on-chain verification, beside snarkjs's exported verifier, in one EVM run (revm).

    python bench/onchain.py                          # the tests' tiny market, batches of 2
    python bench/onchain.py --keys KEYS/ --report REPORT/ [--keys KEYS2/ --report REPORT2/]

Every figure is the gas of a whole transaction (intrinsic 21,000 and calldata included), as a
node charges it, with the contracts compiled by solc-js (via IR, optimizer on, 200 runs). By
default the tiny market is set up twice, once per design of the report contract (the keys'
shape field ``statement``), and the same accounts proven under each:

* ``verifyProof``: snarkjs's exported verifier and ours, for each set of keys;
* ``proveBatch`` of the report-level contract per batch and per snapshot (``commitSnapshot``
  plus every batch): with ``statement=fields`` the statement's fields are the proof's public
  inputs; with ``statement=hash`` the contract hashes them in Solidity (the hash alone is
  measured too).

Ratios are against snarkjs's verifier for the one-input (hash) keys when the run has them.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from zkmargin.margin import load_market
from zkmargin.onchain import proof_words, solidity_verifier
from zkmargin.onchain.report_contract import export_report_contract
from zkmargin.solvency import ProveOptions, Snapshot, prove_snapshot, setup_keys

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the tests' EVM helpers and tiny market
from evm import Chain, compile_solidity, read_batches, statement_hash_harness, words  # noqa: E402
from solvency.tiny import ACCOUNTS, BATCH_SIZE, CIRCUIT, MARKET  # noqa: E402

from zkmargin.formats.snarkjs_json import read_verification_key  # noqa: E402

VERIFY = "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[{}])"
COMMIT = "commitSnapshot(uint256,uint256,uint256,uint256,uint64)"
PROVE = "proveBatch(uint256[],uint256[2],uint256[2][2],uint256[2])"


def tiny_reports(tmp: Path) -> list[tuple[Path, Path]]:
    """The tiny market's keys and report in each statement mode."""
    out = []
    for mode in ("fields", "hash"):
        keys, report = tmp / f"keys-{mode}", tmp / f"report-{mode}"
        market = load_market(MARKET)
        setup_keys(CIRCUIT, market, BATCH_SIZE, keys, random.Random(1), params={"statement": mode})
        prove_snapshot(Snapshot(ACCOUNTS, MARKET, keys), report, ProveOptions(seed=1))
        out.append((keys, report))
    return out


def measure(tmp: Path, keys: Path, report: Path) -> tuple[str, list[tuple[str, int]]]:
    """The keys' statement mode and its rows: (label, gas)."""
    batches, doc = read_batches(report)
    snarkjs_sol = tmp / f"snarkjs-{keys.name}.sol"
    subprocess.run(
        [str(ROOT / "node_modules/.bin/snarkjs"), "zkey", "export", "solidityverifier",
         str(keys / "circuit.zkey"), str(snarkjs_sol)],
        check=True, capture_output=True,
    )  # fmt: skip
    contract, mode = export_report_contract(keys)
    sources = {
        "snarkjs.sol": snarkjs_sol.read_text(),
        "ours.sol": solidity_verifier(read_verification_key(keys / "verification_key.json")),
        "report.sol": contract,
        "hash.sol": statement_hash_harness(),
    }
    c = compile_solidity(sources)
    chain = Chain()
    at = {name: chain.deploy(compiled) for name, compiled in c.items()}
    n_public = len(batches[0].public)

    def verify_gas(name: str) -> int:
        key = f"{name}:Groth16Verifier"
        b = batches[0]
        data = c[key].selectors[VERIFY.format(n_public)] + words(*proof_words(b.proof), *b.public)
        receipt = chain.call(at[key], data)
        assert receipt.success and receipt.word == 1
        return receipt.gas

    inputs = f"{n_public} public input{'s' * (n_public > 1)}"
    rows = [
        (f"snarkjs verifyProof ({inputs})", verify_gas("snarkjs.sol")),
        (f"zkmargin verifyProof ({inputs})", verify_gas("ours.sol")),
    ]
    rc, raddr = c["report.sol:ZkmarginSnapshots"], at["report.sol:ZkmarginSnapshots"]
    first = batches[0].statement
    accounts = sum(b.statement.count for b in batches)
    commit = chain.call(
        raddr,
        rc.selectors[COMMIT]
        + words(first.epoch, first.table_root, first.market_hash, first.previous, accounts),
    )
    assert commit.success
    per_batch = []
    for b in batches:
        f = b.statement.fields()
        receipt = chain.call(
            raddr, rc.selectors[PROVE] + words(32 * 9, *proof_words(b.proof), len(f), *f)
        )
        assert receipt.success, rc.error(receipt.output)
        per_batch.append(receipt.gas)
    design = f"report contract ({mode})"
    rows.append((f"{design} commitSnapshot", commit.gas))
    rows += [(f"{design} proveBatch, batch {i}", g) for i, g in enumerate(per_batch)]
    if mode == "hash":
        h = c["hash.sol:StatementHash"]
        f = first.fields()
        data = h.selectors["hash(uint256[])"] + words(32, len(f), *f)
        rows.append(
            (
                "  of which the statement hash in Solidity (alone)",
                chain.call(at["hash.sol:StatementHash"], data).gas,
            )
        )
    rows.append(
        (f"{design}, whole snapshot (commit + {len(batches)} batches)", commit.gas + sum(per_batch))
    )
    print(
        f"{report}: {len(batches)} batches, {len(first.fields())} statement fields, batch size {doc['shape']['batch_size']}, statement={mode}"
    )
    return mode, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=Path, action="append", help="a keys folder (repeatable)")
    parser.add_argument("--report", type=Path, action="append", help="a report proven with --keys")
    args = parser.parse_args()
    if len(args.keys or []) != len(args.report or []):
        parser.error("give one --report per --keys")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pairs = list(zip(args.keys, args.report, strict=True)) if args.keys else tiny_reports(tmp)
        results = [measure(tmp, keys, report) for keys, report in pairs]
    rows = [row for _, design_rows in results for row in design_rows]
    one_input = [g for label, g in rows if label == "snarkjs verifyProof (1 public input)"]
    ref = one_input[0] if one_input else rows[0][1]
    print(f"{'transaction':62} {'gas':>10} {'vs snarkjs':>10}")
    for label, gas in rows:
        print(f"{label:62} {gas:>10,} {gas / ref:>9.2f}x")
    print(
        f"target: verifyProof <= 300,000; report contract <= snarkjs + 30% = {int(ref * 1.3):,} a batch"
    )


if __name__ == "__main__":
    main()
