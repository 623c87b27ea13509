"""Groth16 proving: zkmargin vs snarkjs on the same margin-shaped circuit, .zkey and .wtns.

The circuit is shaped like a margin batch: N private balances, each range-checked to 64 bits
(circomlib's Num2Bits, 65 constraints each) and multiplied by a private price, summed into one
public total. N is chosen so the constraint count fills about 94% of a 2^k domain.

For each size both provers run as child processes on the same files; wall time and peak
resident memory (``ru_maxrss`` of that child, from ``os.wait4``) are measured the same way for
both. Both proofs are checked with ``snarkjs groth16 verify`` (outside the timings).

    python bench/groth16_vs_snarkjs.py                 # sizes 2^12 and 2^14
    python bench/groth16_vs_snarkjs.py --sizes 12,14,16 --workdir /tmp/g16bench

Artifacts (ptau, r1cs, zkey, wtns) are cached in --workdir, so reruns only measure proving.
snarkjs's ``powersoftau prepare phase2`` is slow at 2^15 and above (over 40 minutes on a loaded
2-core machine); ``--setup zkmargin`` makes the key with our (unsafe, dev) setup instead, in the
same snarkjs layout, and both provers still prove from that one ``.zkey``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "node_modules" / ".bin"
ENTROPY = "zkmargin bench entropy - public, not a real key"

CIRCUIT = """pragma circom 2.0.0;
include "circomlib/circuits/bitify.circom";
template MarginBatch(N) {
    signal input balance[N];
    signal input price[N];
    signal output total;
    component range[N];
    signal value[N];
    signal acc[N + 1];
    acc[0] <== 0;
    for (var i = 0; i < N; i++) {
        range[i] = Num2Bits(64);
        range[i].in <== balance[i];
        value[i] <== balance[i] * price[i];
        acc[i + 1] <== acc[i] + value[i];
    }
    total <== acc[N];
}
component main = MarginBatch(%d);
"""


def run(*args: str, cwd: Path = ROOT) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")


def measured(*args: str) -> tuple[float, float]:
    """Run a child; return (wall seconds, peak RSS in MiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(args)} failed:\n{out.decode()}\n{err.decode()}")
    return wall, usage.ru_maxrss / 1024  # Linux reports KiB


def ptau(work: Path, power: int) -> Path:
    final = work / f"pot{power}_final.ptau"
    if not final.exists():
        snarkjs = str(BIN / "snarkjs")
        p0, p1 = work / f"pot{power}_0.ptau", work / f"pot{power}_1.ptau"
        run(snarkjs, "powersoftau", "new", "bn128", str(power), str(p0))
        run(snarkjs, "powersoftau", "contribute", str(p0), str(p1), "--name=b", f"-e={ENTROPY}")
        run(snarkjs, "powersoftau", "prepare", "phase2", str(p1), str(final))
    return final


def artifacts(work: Path, k: int, setup: str, power: int) -> tuple[Path, Path, Path, int]:
    """(zkey, wtns, vk, constraints) for the 2^k circuit, built once per setup kind."""
    n = int(0.94 * (1 << k)) // 66
    d = work / (f"k{k}" if setup == "snarkjs" else f"k{k}_{setup}")
    d.mkdir(exist_ok=True)
    zkey, wtns, vk = d / "c.zkey", d / "c.wtns", d / "vk.json"
    if not vk.exists():
        (d / "c.circom").write_text(CIRCUIT % n)
        run(str(BIN / "circom2"), str(d / "c.circom"), "--r1cs", "--wasm", "-o", str(d),
            "-l", "node_modules")  # fmt: skip
        # Balances near 2^64 (many one bits), prices of 20 bits: realistic, not all-zero bits.
        inputs = {
            "balance": [str((1 << 64) - 1 - 7919 * i * i) for i in range(n)],
            "price": [str(1000003 + 17 * i) for i in range(n)],
        }
        (d / "input.json").write_text(json.dumps(inputs))
        snarkjs = str(BIN / "snarkjs")
        run(snarkjs, "wtns", "calculate", str(d / "c_js" / "c.wasm"), str(d / "input.json"),
            str(wtns))  # fmt: skip
        if setup == "snarkjs":
            run(snarkjs, "groth16", "setup", str(d / "c.r1cs"), str(ptau(work, power)), str(zkey))
            run(snarkjs, "zkey", "export", "verificationkey", str(zkey), str(vk))
        else:
            from zkmargin.formats.r1cs import read_r1cs
            from zkmargin.formats.snarkjs_json import write_json
            from zkmargin.formats.zkey import write_zkey
            from zkmargin.groth16 import setup_unsafe_dev, verification_key

            key = setup_unsafe_dev(read_r1cs(d / "c.r1cs"))
            write_zkey(zkey, key)
            write_json(vk, verification_key(key))
    from zkmargin.formats.r1cs import read_r1cs

    return zkey, wtns, vk, read_r1cs(d / "c.r1cs").n_constraints


def verified(vk: Path, public: Path, proof: Path) -> bool:
    proc = subprocess.run([str(BIN / "snarkjs"), "groth16", "verify", str(vk), str(public),
                           str(proof)], capture_output=True, text=True)  # fmt: skip
    return proc.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="12,14", help="log2 domain sizes, e.g. 12,14,16")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zkmargin-bench-groth16"))
    parser.add_argument(
        "--setup", choices=["snarkjs", "zkmargin"], default="snarkjs", help="who makes the .zkey"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.workdir.mkdir(parents=True, exist_ok=True)

    rows = []
    for k in sizes:
        zkey, wtns, vk, m = artifacts(args.workdir, k, args.setup, max(sizes) + 1)
        d = zkey.parent
        s_time, s_mem = measured(str(BIN / "snarkjs"), "groth16", "prove", str(zkey), str(wtns),
                                 str(d / "snarkjs_proof.json"), str(d / "snarkjs_public.json"))  # fmt: skip
        z_time, z_mem = measured(sys.executable, "-c", "from zkmargin.cli import main; main()",
                                 "groth16", "prove", str(zkey), str(wtns), str(d / "zk_proof.json"),
                                 str(d / "zk_public.json"))  # fmt: skip
        ok = verified(vk, d / "snarkjs_public.json", d / "snarkjs_proof.json") and verified(
            vk, d / "zk_public.json", d / "zk_proof.json"
        )
        rows.append((k, m, s_time, s_mem, z_time, z_mem, ok))
        print(
            f"2^{k}: {m} constraints, snarkjs {s_time:.2f} s, zkmargin {z_time:.2f} s", flush=True
        )

    print()
    print("| domain | constraints | snarkjs s | snarkjs MiB | zkmargin s | zkmargin MiB "
          "| time ratio | memory ratio | both verify |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for k, m, st, sm, zt, zm, ok in rows:
        print(f"| 2^{k} | {m} | {st:.2f} | {sm:.0f} | {zt:.2f} | {zm:.0f} | {zt / st:.1f}x "
              f"| {zm / sm:.2f}x | {'yes' if ok else 'NO'} |")  # fmt: skip


if __name__ == "__main__":
    main()
