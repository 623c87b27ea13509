"""Building and solving circuits: zkmargin's DSL vs circom2 + snarkjs on the same circuit.

The circuit is the margin-shaped one of ``bench/groth16_vs_snarkjs.py``: N private balances,
each range-checked to 64 bits, multiplied by a private price and summed into a public total
(N = 1008 gives 2^16 constraints). Measured per size, in this one run:

- build: ``compile_circuit`` vs ``circom2 --r1cs --wasm`` (both produce the constraint system
  and a witness generator);
- solve: ``CompiledCircuit.solve`` vs ``snarkjs wtns calculate`` (wasm witness generator);
- constraints per second for each, and the ratios (snarkjs/circom time ÷ ours: > 1 means we
  are faster). The two constraint systems are checked to have the same size.

    python bench/dsl_vs_circom.py                 # N = 63, 252, 1008 (2^12, 2^14, 2^16)
    python bench/dsl_vs_circom.py --sizes 1008
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groth16_vs_snarkjs import BIN, CIRCUIT, run

from zkmargin.dsl import API, Circuit, Public, Secret, compile_circuit
from zkmargin.dsl.gadgets import range_check
from zkmargin.formats.r1cs import read_r1cs


class MarginBatch(Circuit):
    """The same statement as the circom template: total = Σ balance·price, balances 64-bit."""

    def __init__(self, n: int) -> None:
        self.total = Public()
        self.balance = Secret(n)
        self.price = Secret(n)

    def define(self, api: API) -> None:
        acc = api.constant(0)
        for i, (b, p) in enumerate(zip(self.balance, self.price, strict=True)):
            with api.namespace(f"item[{i}]"):
                range_check(api, b, 64)
                acc = acc + api.mul(b, p, name="value")
        api.assert_equal(acc, self.total, name="total")


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def bench(n: int, work: Path) -> dict:
    balances = [(i * 7919 + 13) % (1 << 64) for i in range(n)]
    prices = [(i * 104729 + 7) % (1 << 40) for i in range(n)]
    inputs = {
        "balance": balances,
        "price": prices,
        "total": sum(b * p for b, p in zip(balances, prices, strict=True)),
    }

    compiled, t_build = timed(lambda: compile_circuit(MarginBatch(n)))
    _, t_solve = timed(lambda: compiled.solve(inputs))
    m = compiled.r1cs.n_constraints

    d = work / f"n{n}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "c.circom").write_text(CIRCUIT % n)
    _, t_circom = timed(lambda: run(str(BIN / "circom2"), str(d / "c.circom"), "--r1cs", "--wasm",
                                    "-o", str(d), "-l", "node_modules"))  # fmt: skip
    (d / "input.json").write_text(json.dumps({"balance": [str(b) for b in balances],
                                              "price": [str(p) for p in prices]}))  # fmt: skip
    _, t_wtns = timed(lambda: run(str(BIN / "snarkjs"), "wtns", "calculate",
                                  str(d / "c_js" / "c.wasm"), str(d / "input.json"),
                                  str(d / "w.wtns")))  # fmt: skip
    theirs = read_r1cs(d / "c.r1cs").n_constraints
    # circom keeps one linear constraint per running-sum step (acc[i+1] <== acc[i] + value[i]);
    # our sum is a free linear combination. Anything else differing means different circuits.
    if abs(theirs - (m + n - 1)) > 1:
        sys.exit(f"constraint counts differ: circom {theirs}, zkmargin {m}")
    return {"n": n, "constraints": m, "circom": theirs, "build": t_build, "circom2": t_circom,
            "solve": t_solve, "wtns": t_wtns}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="63,252,1008", help="comma-separated N")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            rows.append(bench(n, Path(tmp)))
    print(f"{'N':>5} {'constraints':>11} {'circom':>7} | {'build s':>8} {'circom2 s':>9} {'ratio':>6} "
          f"{'build c/s':>10} | {'solve s':>8} {'wtns s':>7} {'ratio':>6} {'solve c/s':>10}")  # fmt: skip
    for r in rows:
        print(f"{r['n']:>5} {r['constraints']:>11} {r['circom']:>7} | {r['build']:>8.2f} {r['circom2']:>9.2f} "
              f"{r['circom2'] / r['build']:>6.2f} {r['constraints'] / r['build']:>10.0f} | "
              f"{r['solve']:>8.3f} {r['wtns']:>7.2f} {r['wtns'] / r['solve']:>6.1f} "
              f"{r['constraints'] / r['solve']:>10.0f}")  # fmt: skip
    print("ratio = circom2 (or snarkjs wtns calculate) time / zkmargin time; > 1: zkmargin faster."
          " External tools' times include process start-up.")  # fmt: skip


if __name__ == "__main__":
    main()
