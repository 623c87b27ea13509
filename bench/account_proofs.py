"""Single-account proofs (a margin-call notice, a health attestation): zkmargin vs snarkjs.

    python bench/account_proofs.py                  # the tests' tiny health market
    python bench/account_proofs.py --market M.json --repeat 5

For each circuit: the keys from zkmargin's (unsafe, dev) setup in snarkjs's layout, one witness
from the reference calculator (an account in margin call, its leaf at depth 3), then

* ``prove``: zkmargin's fast prover in this process (CPU seconds, the best of ``--repeat`` after
  a warm-up that compiles or loads the numba kernels) beside ``snarkjs groth16 prove`` on the same
  ``.zkey`` and ``.wtns`` (a child process: wall seconds, Node start-up included);
* ``verify``: zkmargin's ``verify`` (milliseconds, the median of ``--repeat`` after a warm-up)
  beside ``snarkjs groth16 verify`` (a child: wall, start-up included).

Every proof is checked by the other tool too. On a shared machine the numbers are noisy:
compare within one run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zkmargin.batch import load_model_circuit
from zkmargin.formats.snarkjs_json import (
    proof_to_json,
    public_to_json,
    read_proof,
    read_public,
    write_json,
)
from zkmargin.formats.wtns import write_wtns
from zkmargin.formats.zkey_arrays import ZKeyArrays
from zkmargin.groth16 import prove, verify, verifying_key
from zkmargin.hash import MerkleTree
from zkmargin.margin import load_market, parse_account
from zkmargin.solvency import setup_keys
from zkmargin.solvency.batch_model import batch_model
from zkmargin.solvency.keys import load_keys

ROOT = Path(__file__).resolve().parent.parent
SNARKJS = ROOT / "node_modules" / ".bin" / "snarkjs"
TINY = ROOT / "tests" / "solvency" / "data" / "market.json"
ACCOUNT = {"id": "mia", "positions": {"BTC-PERP": "2"}, "collateral": {"USDT": "1000"}}
CLAIMS = {"notice": {}, "attestation": {"min_excess": 100 * 10**8}}


def snarkjs(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([str(SNARKJS), *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"snarkjs {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return wall, proc.stdout


def bench(circuit: str, market_path: Path, work: Path, repeat: int) -> list[str]:
    market = load_market(market_path)
    keys_dir = work / circuit
    if not (keys_dir / "circuit.json").is_file():
        setup_keys(circuit, market, 1, keys_dir, random.Random(1))
    keys = load_keys(keys_dir)
    model = batch_model(circuit, market, keys.info.shape)
    cls = load_model_circuit(circuit)
    account = parse_account(ACCOUNT, market=market)
    leaf = cls.account_leaf(market, account, 9, model.shape, 5)
    tree = MerkleTree([11, leaf, 13, 14, 15], depth=3)
    inputs, statement = cls.account_inputs(
        market, model.shape, account, (5, 9), (1, tree.path(1)[0]), tree.root, 100,
        model.circuit_digest, **CLAIMS[circuit],
    )  # fmt: skip
    witness = model.compiled.solve(inputs)
    model.check(witness, fast=False)
    zkey = ZKeyArrays.from_zkey(keys.zkey)
    vk = verifying_key(keys.zkey)
    prove(zkey, witness, random.Random(0))  # warm-up
    cpu = []
    for i in range(repeat):
        start = time.process_time()
        proof, public = prove(zkey, witness, random.Random(i))
        cpu.append(time.process_time() - start)
    verify(vk, public, proof)  # warm-up
    ms = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert verify(vk, public, proof)
        ms.append(1e3 * (time.perf_counter() - start))
    files = {n: work / f"{circuit}.{n}" for n in ("wtns", "proof.json", "public.json")}
    files["vk.json"] = keys_dir / "verification_key.json"
    write_wtns(files["wtns"], witness, model.compiled.field.p)
    write_json(files["proof.json"], proof_to_json(proof))
    write_json(files["public.json"], public_to_json(public))
    out = work / f"{circuit}.snarkjs-proof.json"
    out_public = work / f"{circuit}.snarkjs-public.json"
    js_prove, _ = snarkjs("groth16", "prove", str(keys_dir / "circuit.zkey"), str(files["wtns"]),
                          str(out), str(out_public))  # fmt: skip
    js_verify, text = snarkjs("groth16", "verify", str(files["vk.json"]), str(files["public.json"]),
                              str(files["proof.json"]))  # fmt: skip
    assert "OK" in text, text
    assert verify(vk, read_public(out_public, model.compiled.field.p), read_proof(out))
    best, mid = min(cpu), statistics.median(ms)
    return [
        f"{circuit:<12} {model.compiled.r1cs.n_constraints:>7,} {best:>9.2f} {js_prove:>11.2f} "
        f"{js_prove / best:>6.1f}x {mid:>10.1f} {1e3 * js_verify:>12.0f} "
        f"{1e3 * js_verify / mid:>6.0f}x  ({statement.hash() == public[0]})"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--market", type=Path, default=TINY)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(
            "circuit      constraints  prove CPU-s  snarkjs s  ratio  verify ms  snarkjs ms  ratio"
        )
        for circuit in CLAIMS:
            for line in bench(circuit, args.market, work, args.repeat):
                print(line)


if __name__ == "__main__":
    main()
