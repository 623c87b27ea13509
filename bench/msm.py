"""MSM benchmark: the reference Pippenger backend against naive py_ecc, G1 and G2.

    python bench/msm.py                      # 2^10 .. 2^14 points, both curves, both groups
    python bench/msm.py --max-log 16 --curve bn128 --group g1

py_ecc is timed on a small n (``--pyecc-n``) per scalar class (bits, 64-bit, full) and scaled
to each sample's class counts (it is a sum of independent multiplications).  Two scalar mixes: ``full`` (uniform in [0, r)) and ``margin`` (80 % bits,
15 % 64-bit values, 5 % full: a range-checked witness).  Also reports ns per G1 addition in
our Jacobian code versus py_ecc.  Timings only; correctness lives in tests/curve.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from zkmargin.curve import Curve, curve_by_name
from zkmargin.curve import jacobian as jac
from zkmargin.curve.affine import add_pairs
from zkmargin.curve.fq2 import Fq2
from zkmargin.curve.points import g2_from_internal, g2_to_internal
from zkmargin.curve.pyecc import g1_to_pyecc, g2_to_pyecc
from zkmargin.field.bigint import HAVE_GMPY2, big


def timed(fn: Callable[..., object], *args: object, repeat: int = 1) -> float:
    """Best CPU seconds of ``repeat`` runs: the code measured is single-threaded, and CPU time
    keeps the numbers steady on a shared, loaded machine (wall time equals it when idle)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn(*args)
        best = min(best, time.process_time() - start)
    return best


def points(curve: Curve, group: str, n: int, rng: random.Random) -> list:
    """n distinct subgroup points: an arithmetic progression P0 + i·H (cheap to make)."""
    q = curve.q
    if group == "g1":
        start, step = curve.g1_mul(curve.g1, rng.randrange(curve.r)), curve.g1_mul(curve.g1, 7)
        step_i = step
    else:
        start = g2_to_internal(curve.g2_mul(curve.g2, rng.randrange(curve.r)))
        step_i = g2_to_internal(curve.g2_mul(curve.g2, 7))
    acc = (start[0], start[1], 1)
    out = []
    for _ in range(n):
        out.append(acc)
        acc = jac.add_affine(acc, step_i, q)
    affine = jac.batch_to_affine(out, q)
    if group == "g2":
        return [g2_from_internal(a, q) for a in affine]
    return affine


def scalar_classes(curve: Curve) -> dict[str, Callable[[random.Random], int]]:
    return {
        "bit": lambda rng: rng.randrange(2),
        "u64": lambda rng: rng.randrange(2, 2**64),
        "full": lambda rng: rng.randrange(2**64, curve.r),
    }


def scalar_class(k: int) -> str:
    return "bit" if k < 2 else "u64" if k < 2**64 else "full"


def scalars(curve: Curve, mix: str, n: int, rng: random.Random) -> list[int]:
    if mix == "full":
        return [rng.randrange(curve.r) for _ in range(n)]
    out = []
    for _ in range(n):
        u = rng.random()
        out.append(
            rng.randrange(2)
            if u < 0.8
            else rng.randrange(2**64)
            if u < 0.95
            else rng.randrange(curve.r)
        )
    return out


def addition_ns(curve: Curve, kernel_int: Callable[[int], object]) -> None:
    m = curve.pyecc
    q = kernel_int(curve.q)
    public_a, public_b = curve.g1_mul(curve.g1, 3), curve.g1_mul(curve.g1, 5)
    a, b = tuple(map(kernel_int, public_a)), tuple(map(kernel_int, public_b))
    ja, jb = jac.double((a[0], a[1], 1), q), jac.double((b[0], b[1], 1), q)  # Z != 1
    pa, pb = m.double(g1_to_pyecc(m, public_a)), m.double(g1_to_pyecc(m, public_b))
    n = 20000
    full = timed(lambda: [jac.add(ja, jb, q) for _ in range(n)], repeat=3) / n
    mixed = timed(lambda: [jac.add_affine(ja, b, q) for _ in range(n)], repeat=3) / n
    dbl = timed(lambda: [jac.double(ja, q) for _ in range(n)], repeat=3) / n
    ref = timed(lambda: [m.add(pa, pb) for _ in range(n // 10)], repeat=3) / (n // 10)
    a2, b2 = (tuple(Fq2(*map(kernel_int, c)) for c in curve.g2_mul(curve.g2, k)) for k in (3, 5))
    ja2 = jac.double((a2[0], a2[1], 1), q)
    mixed2 = timed(lambda: [jac.add_affine(ja2, b2, q) for _ in range(n // 10)], repeat=3) / (
        n // 10
    )
    pairs = [(jac.to_affine(jac.add_affine(ja, b, q), q), b)] * 1000
    batched = timed(add_pairs, pairs, q, repeat=3) / len(pairs)
    pa2, pb2 = m.double(g2_to_pyecc(m, curve.g2)), m.double(m.double(g2_to_pyecc(m, curve.g2)))
    ref2 = timed(lambda: [m.add(pa2, pb2) for _ in range(n // 100)], repeat=3) / (n // 100)
    print(
        f"{curve.name} [{kernel_int.__name__}]: G1 add {full * 1e9:,.0f} ns, mixed add {mixed * 1e9:,.0f} ns, "
        f"double {dbl * 1e9:,.0f} ns, batched affine {batched * 1e9:,.0f} ns; py_ecc add {ref * 1e9:,.0f} ns "
        f"({ref / full:.1f}x full, {ref / mixed:.1f}x mixed) | G2 mixed add {mixed2 * 1e9:,.0f} ns, "
        f"py_ecc G2 add {ref2 * 1e9:,.0f} ns ({ref2 / mixed2:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-log", type=int, default=10)
    parser.add_argument("--max-log", type=int, default=14)
    parser.add_argument("--curve", action="append", help="bn128 / bls12381 (default both)")
    parser.add_argument("--group", action="append", help="g1 / g2 (default both)")
    parser.add_argument("--mix", action="append", help="full / margin (default both)")
    parser.add_argument("--pyecc-n", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(1)
    for name in args.curve or ["bn128", "bls12381"]:
        curve = curve_by_name(name)
        addition_ns(curve, int)
        if HAVE_GMPY2:
            addition_ns(curve, big)
        print(
            f"{'curve':9} {'grp':3} {'mix':6} {'n':>7} {'pippenger cpu s':>15} {'py_ecc cpu s (scaled)':>22} {'ratio':>7}"
        )
        for group in args.group or ["g1", "g2"]:
            naive = curve.with_backend("py_ecc")
            msm = getattr(curve, f"{group}_msm")
            naive_msm = getattr(naive, f"{group}_msm")
            pts_all = points(curve, group, 1 << args.max_log, rng)
            # py_ecc's cost per point for each scalar class, on --pyecc-n points each.
            small = pts_all[: args.pyecc_n]
            per_point = {
                cls: timed(naive_msm, small, [draw(rng) for _ in small]) / len(small)
                for cls, draw in scalar_classes(curve).items()
            }
            for mix in args.mix or ["full", "margin"]:
                for log_n in range(args.min_log, args.max_log + 1):
                    n = 1 << log_n
                    pts, sc = pts_all[:n], scalars(curve, mix, n, rng)
                    ours = timed(msm, pts, sc)
                    ref = sum(per_point[scalar_class(k)] for k in sc)
                    print(
                        f"{name:9} {group:3} {mix:6} {n:>7} {ours:>15.2f} {ref:>22.1f} {ref / ours:>6.0f}x"
                    )


if __name__ == "__main__":
    main()
