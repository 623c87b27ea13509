"""Groth16 verification benchmark: one proof and batches, fast pairing vs py_ecc, both curves.

    python bench/verify.py                   # batches of 10 and 100, py_ecc batches up to 10
    python bench/verify.py --batch 10 100 --reference-max 100

Rows: ``reference`` is py_ecc (``backend="reference"``), ``numba`` the fast backend on the
numba kernels, ``arkworks`` the fast backend with arkworks's pairing (BLS12-381, when
installed).  Columns are wall milliseconds, median of ``--repeat`` runs after a warm-up run
(which compiles or loads the numba kernels and fills the per-key caches): ``verify`` is one
``verify`` call; ``batch N`` one ``batch_verify`` of N proofs; ``xN`` its ratio to ``verify``.
``pairing`` and ``validate`` split the single verify: the pairing check alone (4 pairs, key
data prepared) and the input validation (parsing, curve and subgroup checks of the proof, the
key's validation remembered).  py_ecc batches above ``--reference-max`` are scaled linearly
from the largest measured one and marked ``~``.  On a shared machine the numbers are noisy:
compare within one run.

The ``+psi`` rows are a what-if for a change outside the verifier: ``Curve.g2_is_valid`` with
the subgroup test ``ψ(Q) = [λ]Q`` (:mod:`zkmargin.curve.fast.pairing.subgroup`) instead of
``[r]Q = O`` in Python, patched in for those rows only.  ``--compile`` times the pairing
kernels' first use in a fresh process with an empty numba cache, then with it filled.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from zkmargin.curve import Curve, curve_by_name
from zkmargin.groth16 import batch_verify, prove, setup_unsafe_dev, verify, verifying_key

# the tests' cube circuit (out = x³ + x·k + 5, two public signals, as margin statements have few)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from groth16.conftest import cube_circuit

verify_module = importlib.import_module("zkmargin.groth16.verify")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: compile/load kernels, fill per-key caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        assert result, "a valid proof or batch did not verify"
    return 1e3 * statistics.median(times)


def engines(curve: str) -> list[str]:
    from zkmargin.curve.fast.pairing import arkworks

    names = ["reference", "numba", "numba+psi"]
    if curve == "bls12381" and arkworks.AVAILABLE:
        names += ["arkworks", "arkworks+psi"]
    return names


@contextlib.contextmanager
def engine(name: str) -> Iterator[str]:
    """Select the engine; for ``+psi`` rows patch the proposed G2 subgroup test in."""
    from zkmargin.curve.fast.pairing.subgroup import g2_in_subgroup

    verify_module.PREFER_NATIVE = name.startswith("arkworks")
    original = Curve.g2_is_valid
    if name.endswith("+psi"):
        Curve.g2_is_valid = lambda self, p: self.g2_is_on_curve(p) and g2_in_subgroup(self, p)
    try:
        yield "reference" if name == "reference" else "fast"
    finally:
        Curve.g2_is_valid = original


def bench_curve(curve: str, batches: list[int], repeat: int, reference_max: int) -> None:
    cs, witness = cube_circuit(curve)
    zkey = setup_unsafe_dev(cs, curve, rng=random.Random(1))
    vk = verifying_key(zkey)
    items = []
    for i in range(max(batches)):
        proof, public = prove(zkey, witness, rng=random.Random(i))
        items.append((public, proof))
    for name in engines(curve):
        with engine(name) as backend:
            cells = bench_row(curve_by_name(curve), name, backend, vk, items, repeat)
            cells += bench_batches(name, backend, vk, items, batches, cells[0], reference_max)
            print(f"{curve:9} {name:12} " + " ".join(_cell(v) for v in cells), flush=True)


def _cell(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:9.1f}"


def bench_row(c: Curve, name: str, backend: str, vk, items, repeat: int) -> list[float]:
    """Milliseconds: one verify, its pairing check alone, its validation."""
    public, proof = items[0]
    verify_module._VALIDATED_KEYS.clear()  # each row validates the key under its own rules
    single = median_ms(lambda: verify(vk, public, proof, backend=backend), repeat)
    validate = median_ms(lambda: verify_module._validated(vk, public, proof), repeat)
    if name == "reference":
        return [single, float("nan"), validate]
    key_obj = verify_module._validated_vk(vk)
    key = verify_module.fast_key(key_obj)
    x = verify_module._public_input_point(c, key_obj, public)
    pairs = [(c.g1_neg(proof.a), proof.b), (x, key.gamma), (proof.c, key.delta)]
    pairing = median_ms(lambda: key.engine.product_is_one(pairs, key.alphabeta), repeat)
    return [single, pairing, validate]


def bench_batches(name, backend, vk, items, batches, single, reference_max) -> list[str]:
    """Per batch size: milliseconds and the ratio to one verify."""
    cells, measured = [], {}
    for n in batches:
        if name == "reference" and n > reference_max:
            top = max(measured)
            ms, mark = measured[top] * n / top, "~"
        else:
            reps = 1 if name == "reference" else 3
            ms = median_ms(lambda n=n: batch_verify(vk, items[:n], backend=backend), reps)
            measured[n], mark = ms, ""
        cells.append(f"{mark + format(ms, '.1f'):>10} {ms / single:6.1f}x")
    return cells


COMPILE_SNIPPET = """
import time
start = time.perf_counter()
from zkmargin.curve import BLS12_381, BN254
from zkmargin.curve.fast.pairing import FastPairing
from zkmargin.curve.fast.pairing.subgroup import g2_in_subgroup
from zkmargin.curve.fast.pairing.scalar import g1_mul_many
imported = time.perf_counter()
for c in (BN254, BLS12_381):
    FastPairing.of(c).pairing(c.g1, c.g2)
    g2_in_subgroup(c, c.g2)
    g1_mul_many(c, [c.g1], [3])
print(f"import {imported - start:.1f} s, pairing kernels (both curves) {time.perf_counter() - imported:.1f} s")
"""


def bench_compile() -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("cold (empty cache)", "warm (cache filled)"):
            out = subprocess.run(
                [sys.executable, "-c", COMPILE_SNIPPET], env=env, capture_output=True, text=True
            )
            print(f"{label:20}: {out.stdout.strip() or out.stderr.strip()[-300:]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--curve", nargs="*", default=["bn128", "bls12381"])
    ap.add_argument("--batch", nargs="*", type=int, default=[10, 100])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reference-max", type=int, default=10)
    ap.add_argument("--compile", action="store_true", help="only the compile-time section")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    if args.compile:
        bench_compile()
        return
    head = f"{'curve':9} {'engine':12} {'verify':>9} {'pairing':>9} {'validate':>9}"
    for n in args.batch:
        head += f" {'batch ' + str(n):>10} {'x' + str(n):>7}"
    print(head)
    for curve in args.curve:
        bench_curve(curve, args.batch, args.repeat, args.reference_max)


if __name__ == "__main__":
    main()
