"""Groth16 proving: zkmargin (per MSM backend) vs snarkjs on the same circuit, .zkey and .wtns.

The circuit is shaped like a margin batch: N private balances, each range-checked to 64 bits
(circomlib's Num2Bits, 65 constraints each) and multiplied by a private price, summed into one
public total. N is chosen so the constraint count fills about 94% of a 2^k domain.

For each size every prover runs as a child process on the same files; wall time and peak
resident memory (``ru_maxrss`` of that child, from ``os.wait4``) are measured the same way for
all. zkmargin's child is this script (``--child``): import, read the key (arrays from the file
bytes for the fast path, :func:`read_zkey` for the reference), read the witness, prove, write
the JSON — what ``zkmargin groth16 prove`` does — and it reports its phases (load, witness
polynomials, NTT, each MSM); the ``cli`` row runs ``zkmargin groth16 prove`` itself, which
today reads the key with the reference reader. ``fast`` is the steady state (numba cache
filled by an earlier run; the best of ``--repeat`` runs); the compile time of a first run is
measured apart, with an empty ``NUMBA_CACHE_DIR``. Every proof is checked with ``snarkjs groth16 verify`` (outside the
timings).

    python bench/groth16_vs_snarkjs.py                         # sizes 2^12 and 2^14
    python bench/groth16_vs_snarkjs.py --sizes 12,14,16 --setup zkmargin --workdir /tmp/g16bench
    python bench/groth16_vs_snarkjs.py --ntt 18               # the prover's NTT step alone

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
import tempfile
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


def measured(*args: str, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a child; return (wall seconds, peak RSS in MiB, stdout) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(args)} failed:\n{out.decode()}\n{err.decode()}")
    return wall, usage.ru_maxrss / 1024, out.decode()  # Linux reports KiB


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


PHASES = ["import", "load", "wtns", "rows", "ntt", "msm_a", "msm_b1", "msm_b2", "msm_c",
          "msm_h", "assemble", "write"]  # fmt: skip


def child(backend: str, zkey: str, wtns: str, proof: str, public: str) -> None:
    """Prove as ``zkmargin groth16 prove`` would, printing the phases' seconds as JSON."""
    phases: dict[str, float] = {}
    start = time.perf_counter()
    from zkmargin.formats.snarkjs_json import write_proof, write_public
    from zkmargin.formats.wtns import read_wtns
    from zkmargin.formats.zkey import read_zkey
    from zkmargin.formats.zkey_arrays import read_zkey_arrays
    from zkmargin.groth16 import prove
    from zkmargin.groth16.prove import PURE_BACKENDS

    phases["import"] = time.perf_counter() - start
    start = time.perf_counter()
    key = read_zkey(zkey) if backend in PURE_BACKENDS else read_zkey_arrays(zkey)
    phases["load"] = time.perf_counter() - start
    start = time.perf_counter()
    _, witness = read_wtns(wtns)
    phases["wtns"] = time.perf_counter() - start
    pi, signals = prove(key, witness, backend=backend, timings=phases)
    start = time.perf_counter()
    write_proof(proof, pi)
    write_public(public, signals)
    phases["write"] = time.perf_counter() - start
    print(json.dumps(phases))


def ours(backend: str, zkey: Path, wtns: Path, out: Path, env=None) -> tuple[float, float, dict]:
    """(wall, MiB, phases) of one zkmargin child proving into ``out``/{proof,public}.json;
    ``backend`` ``"cli"`` runs ``zkmargin groth16 prove`` itself (no phases)."""
    if backend == "cli":
        wall, mem, _ = measured(sys.executable, "-c", "from zkmargin.cli import main; main()",
                                "groth16", "prove", str(zkey), str(wtns), str(out / "proof.json"),
                                str(out / "public.json"), env=env)  # fmt: skip
        return wall, mem, {}
    wall, mem, stdout = measured(sys.executable, str(Path(__file__).resolve()), "--child",
                                 backend, str(zkey), str(wtns), str(out / "proof.json"),
                                 str(out / "public.json"), env=env)  # fmt: skip
    return wall, mem, json.loads(stdout.strip().splitlines()[-1])


def ntt_table(max_log: int) -> None:
    """The prover's NTT step alone: A, B and C (``(3, n, 4)``) to the odd coset in one batched
    transform (:meth:`FastDomain.to_odd_coset_array`), one thread vs both cores."""
    import numpy as np

    from zkmargin.field import BLS12_381_FR, BN254_FR, fast_ntt
    from zkmargin.field.fast_ntt import FastDomain

    print(
        "| field | n | 1 thread s | 1 thread cpu | 2 cores s | 2 cores cpu | ns/butterfly (cpu) |"
    )
    print("|---|---|---|---|---|---|---|")
    rng = np.random.default_rng(7)
    for field in (BN254_FR, BLS12_381_FR):
        for log_n in range(12, max_log + 1):
            n = 1 << log_n
            d = FastDomain(field, n)
            polys = rng.integers(0, 2**62, size=(3, n, 4), dtype=np.uint64)  # < r: top limb small
            cells = []
            for min_size in (1 << 62, 1):  # never parallel, always parallel
                fast_ntt.PARALLEL_MIN_SIZE = min_size
                d.to_odd_coset_array(polys.copy())  # tables, compile/load
                best = min(_timed(d.to_odd_coset_array, polys.copy()) for _ in range(3))
                cells += [f"{best[0]:.3f}", f"{best[1]:.3f}"]
            per = float(cells[1]) / (2 * 3 * (n // 2) * log_n) * 1e9
            print(f"| {field.name} | 2^{log_n} | " + " | ".join(cells) + f" | {per:.0f} |")
    fast_ntt.PARALLEL_MIN_SIZE = 1 << 14


def _timed(fn, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:7])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--ntt":
        ntt_table(int(sys.argv[2]) if len(sys.argv) > 2 else 18)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="12,14", help="log2 domain sizes, e.g. 12,14,16")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zkmargin-bench-groth16"))
    parser.add_argument(
        "--setup", choices=["snarkjs", "zkmargin"], default="snarkjs", help="who makes the .zkey"
    )
    parser.add_argument(
        "--backends",
        default="fast,reference,cli",
        help="zkmargin MSM backends; 'cli' = `zkmargin groth16 prove` with its default backend",
    )
    parser.add_argument("--reference-max", type=int, default=14,
                        help="largest log2 size the (slow) reference backend runs at")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=2, help="runs per prover; best kept")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")

    rows = []
    for k in sizes:
        zkey, wtns, vk, m = artifacts(args.workdir, k, args.setup, max(sizes) + 1)
        d = zkey.parent
        snark = min(
            measured(str(BIN / "snarkjs"), "groth16", "prove", str(zkey), str(wtns),
                     str(d / "snarkjs_proof.json"), str(d / "snarkjs_public.json"))[:2]
            for _ in range(args.repeat)
        )  # fmt: skip
        ok = verified(vk, d / "snarkjs_public.json", d / "snarkjs_proof.json")
        rows.append((k, m, "snarkjs", *snark, {}, ok))
        print(f"2^{k}: {m} constraints, snarkjs {snark[0]:.2f} s", flush=True)
        for backend in backends:
            if backend in ("reference", "py_ecc") and k > args.reference_max:
                continue
            out = d / f"zk_{backend}"
            out.mkdir(exist_ok=True)
            wall, mem, phases = min(
                (ours(backend, zkey, wtns, out) for _ in range(args.repeat)), key=lambda r: r[0]
            )
            ok = verified(vk, out / "public.json", out / "proof.json")
            rows.append((k, m, backend, wall, mem, phases, ok))
            print(f"2^{k}: zkmargin {backend} {wall:.2f} s", flush=True)

    print()
    print("| domain | constraints | prover | wall s | MiB | time / snarkjs | verifies |")
    print("|---|---|---|---|---|---|---|")
    base = {k: wall for k, _, who, wall, *_ in rows if who == "snarkjs"}
    for k, m, who, wall, mem, _, ok in rows:
        print(f"| 2^{k} | {m} | {who} | {wall:.2f} | {mem:.0f} | {wall / base[k]:.2f}x "
              f"| {'yes' if ok else 'NO'} |")  # fmt: skip

    print()
    print("zkmargin phases (seconds, wall, inside the child; rows = witness polynomials)")
    print("| domain | backend | " + " | ".join(PHASES) + " |")
    print("|---|---|" + "---|" * len(PHASES))
    for k, _, who, _, _, phases, _ in rows:
        if phases:
            cells = " | ".join(f"{phases.get(p, 0.0):.3f}" for p in PHASES)
            print(f"| 2^{k} | {who} | {cells} |")

    if "fast" in backends:
        # First run in a fresh process with an empty numba cache: compile time, apart.
        k = sizes[0]
        zkey, wtns, *_ = artifacts(args.workdir, k, args.setup, max(sizes) + 1)
        out = zkey.parent / "zk_cold"
        out.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache)
            cold, _, _ = ours("fast", zkey, wtns, out, env=env)
            warm, _, _ = ours("fast", zkey, wtns, out, env=env)
        print()
        print(f"first run with an empty numba cache (2^{k}, fast): {cold:.1f} s; "
              f"then {warm:.1f} s with the cache filled: compile ≈ {cold - warm:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
