"""Fast-kernel benchmark: numba MSM and NTT against the reference code, py_ecc and natives.

    python bench/kernels.py                       # compile times, MSM 2^12..2^16, buckets, NTT
    python bench/kernels.py --max-log 18 --section msm --curve bn128 --group g1

MSM columns (seconds): ``fast`` is the steady-state wall time of
:func:`zkmargin.curve.fast.msm_arrays` on zkey-layout arrays (what the prover calls; second
run, both cores), ``fast cpu`` its CPU time (both threads), ``reference`` the pure-Python
Pippenger backend (CPU; measured up to ``--ref-max-log``, beyond that scaled linearly and
marked ``~``), ``py_ecc`` the naive sum of py_ecc multiplications timed on ``--pyecc-n``
points and scaled (always ``~``), ``arkworks`` ``py_arkworks_bls12381``'s multiexp (BLS12-381
only, when installed; wall, including the conversion from Python ints its API needs).
Scalars are uniform in ``[0, r)``.  Ratios divide CPU seconds (the work saved).

``buckets`` compares, on one window of 2^16 points, Jacobian buckets with mixed additions
against batch-affine buckets, and the whole MSM on one thread against two.  Compile times are
measured in fresh processes with an empty numba cache, then with the cache filled.  On a
shared machine the numbers are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import numba
import numpy as np
from msm import points  # bench/msm.py: cheap distinct subgroup points

from zkmargin.curve import Curve, curve_by_name, get_backend
from zkmargin.curve.fast import msm_arrays
from zkmargin.curve.fast.buckets import BATCH, fill_buckets
from zkmargin.curve.fast.jacobian import WS_ROWS, jac_add_affine
from zkmargin.curve.fast.pippenger import signed_digits
from zkmargin.field import BLS12_381_FR, BN254_FR, Domain
from zkmargin.field.fast.ext import e_neg
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs
from zkmargin.field.fast_ntt import FastDomain


def wall_and_cpu(fn: Callable[..., object], *args: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def fmt(seconds: float, extrapolated: bool = False) -> str:
    return ("~" if extrapolated else "") + f"{seconds:.3g}"


def arkworks_msm(group: str) -> Callable[[list, list[int]], object] | None:
    """BLS12-381 multiexp from py_arkworks_bls12381 on our public points, or None."""
    try:
        import py_arkworks_bls12381 as ark
    except ImportError:
        return None

    def run(pts: list, ks: list[int]) -> object:
        if group == "g1":
            ark_pts = [
                ark.G1Point.from_xy_bytes_unchecked_be(
                    x.to_bytes(48, "big") + y.to_bytes(48, "big")
                )
                for x, y in pts
            ]
        else:
            ark_pts = [
                ark.G2Point.from_xy_bytes_unchecked_be(
                    b"".join(c.to_bytes(48, "big") for c in (x0, x1, y0, y1))
                )
                for (x0, x1), (y0, y1) in pts
            ]
        scal = [ark.Scalar.from_le_bytes(k.to_bytes(32, "little")) for k in ks]
        cls = ark.G1Point if group == "g1" else ark.G2Point
        return cls.multiexp_unchecked(ark_pts, scal)

    return run


def same_point(ark_point: object, ours: object) -> bool:
    """Whether an arkworks point equals our public affine point (uncompressed big-endian)."""
    raw = ark_point.to_xy_bytes_be()
    ints = [int.from_bytes(raw[i : i + 48], "big") for i in range(0, len(raw), 48)]
    if len(ints) == 2:
        return tuple(ints) == ours
    (x0, x1), (y0, y1) = ours
    return ints == [x0, x1, y0, y1]


def as_arrays(curve: Curve, group: str, pts: list) -> np.ndarray:
    """Public points as the zkey layout: ``(n, 2, N)`` / ``(n, 2, 2, N)`` Montgomery limbs."""
    f = Field64.of(curve.q)
    if group == "g1":
        return f.to_mont([c for p in pts for c in p]).reshape(len(pts), 2, f.n_limbs)
    flat = [c for p in pts for pair in p for c in pair]
    return f.to_mont(flat).reshape(len(pts), 2, 2, f.n_limbs)


def msm_table(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    print(
        f"{'curve':9} {'grp':3} {'n':>7} {'fast':>8} {'fast cpu':>9} {'reference':>10} "
        f"{'py_ecc':>9} {'arkworks':>9} {'ref/fast':>9} {'py_ecc/fast':>12}"
    )
    for name in args.curve or ["bn128", "bls12381"]:
        curve = curve_by_name(name)
        for group in args.group or ["g1", "g2"]:
            pts_all = points(curve, group, 1 << args.max_log, rng)
            ks_all = [rng.randrange(curve.r) for _ in pts_all]
            arr_all, limbs_all = as_arrays(curve, group, pts_all), ints_to_limbs(ks_all, 4)
            ref_fn = getattr(get_backend("reference"), f"{group}_msm")
            pyecc_fn = getattr(get_backend("py_ecc"), f"{group}_msm")
            small = args.pyecc_n
            pyecc_per_point = wall_and_cpu(pyecc_fn, curve, pts_all[:small], ks_all[:small])[1]
            pyecc_per_point /= small
            ark = arkworks_msm(group) if name == "bls12381" else None
            ref_per_point = None
            if args.ref_max_log < args.min_log:  # measured below the table, scaled up in it
                m = 1 << args.ref_max_log
                ref_per_point = wall_and_cpu(ref_fn, curve, pts_all[:m], ks_all[:m])[1] / m
            for log_n in range(args.min_log, args.max_log + 1):
                n = 1 << log_n
                pts, ks = pts_all[:n], ks_all[:n]
                arr, limbs = arr_all[:n], limbs_all[:n]
                fast = msm_arrays(name, group, arr, limbs)  # first run: compile or cache load
                f_wall, f_cpu = wall_and_cpu(msm_arrays, name, group, arr, limbs)
                if log_n <= args.ref_max_log:
                    ref = wall_and_cpu(ref_fn, curve, pts, ks)[1]
                    ref_per_point, ref_extra = ref / n, False
                else:
                    ref, ref_extra = ref_per_point * n, True
                ark_s = "-"
                if ark:
                    start = time.perf_counter()
                    got = ark(pts, ks)
                    ark_s = fmt(time.perf_counter() - start)
                    if not same_point(got, fast):
                        raise AssertionError("arkworks and the fast kernels disagree")
                pyecc = pyecc_per_point * n
                print(
                    f"{name:9} {group:3} {n:>7} {fmt(f_wall):>8} {fmt(f_cpu):>9} "
                    f"{fmt(ref, ref_extra):>10} {fmt(pyecc, True):>9} {ark_s:>9} "
                    f"{ref / f_cpu:>8.1f}x {pyecc / f_cpu:>11.0f}x",
                    flush=True,
                )


@kernel
def jacobian_buckets(points, digits, buckets, one, m, s):
    """One window's buckets by mixed Jacobian additions (the alternative measured)."""
    ws = np.empty((WS_ROWS, points.shape[2], points.shape[3]), dtype=np.uint64)
    neg_y = np.empty((points.shape[2], points.shape[3]), dtype=np.uint64)
    for i in range(points.shape[0]):
        d = digits[i]
        if d > 0:
            b = buckets[d - 1]
            jac_add_affine(b, b, points[i, 0], points[i, 1], one, m, s, ws)
        elif d < 0:
            b = buckets[-d - 1]
            e_neg(neg_y, points[i, 1], m)
            jac_add_affine(b, b, points[i, 0], neg_y, one, m, s, ws)


def best_cpu(fn: Callable[[], object], repeat: int = 3) -> float:
    return min(wall_and_cpu(fn)[1] for _ in range(repeat))


def bucket_costs(curve: Curve, group: str, n: int, c: int, rng: random.Random) -> str:
    """One table row: ns per point for both bucket kinds, MSM wall on 1 and 2 threads."""
    f = Field64.of(curve.q)
    dim = 1 if group == "g1" else 2
    arr = as_arrays(curve, group, points(curve, group, n, rng))
    pts = arr.reshape(n, 2, dim, f.n_limbs)
    limbs = ints_to_limbs([rng.randrange(curve.r) for _ in range(n)], 4)
    digits = np.empty(((254 + c) // c, n), dtype=np.int64)
    signed_digits(limbs, np.zeros(n, dtype=np.bool_), c, digits)
    row, nb = digits[3], 1 << (c - 1)
    s = np.zeros((4, f.n_limbs + 2), dtype=np.uint64)

    def jacobian() -> None:
        buckets = np.zeros((nb, 3, dim, f.n_limbs), np.uint64)
        jacobian_buckets(pts, row, buckets, f.one, f.m, s)

    def batch_affine() -> None:
        aff = np.empty((nb, 2, dim, f.n_limbs), dtype=np.uint64)
        over = np.zeros((nb, 3, dim, f.n_limbs), dtype=np.uint64)
        present = np.zeros(nb, dtype=np.uint8)
        fill_buckets(pts, row, aff, present, over, BATCH, f.one, f.p_minus_2, f.m, s)

    jacobian(), batch_affine()
    t_jac, t_aff = best_cpu(jacobian) / n * 1e9, best_cpu(batch_affine) / n * 1e9
    walls = []
    for threads in (1, 2):
        numba.set_num_threads(threads)
        msm_arrays(curve.name, group, arr, limbs)
        walls.append(min(wall_and_cpu(msm_arrays, curve.name, group, arr, limbs)[0] for _ in "ab"))
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    return (
        f"{curve.name:9} {group:3} {t_jac:>9.0f} {t_aff:>9.0f} {t_jac / t_aff:>5.2f}x "
        f"{fmt(walls[0]):>9} {fmt(walls[1]):>9}"
    )


def buckets_table(args: argparse.Namespace) -> None:
    """Per-point cost of one window's bucket filling, Jacobian vs batch-affine; threads."""
    rng = random.Random(9)
    n, c = 1 << args.buckets_log, 13
    print(f"one window of {n} points, c = {c}: ns per point (best CPU of 3); MSM wall, threads")
    print(
        f"{'curve':9} {'grp':3} {'jacobian':>9} {'batch-aff':>9} {'ratio':>6} "
        f"{'1 thread':>9} {'2 threads':>9}"
    )
    for name in args.curve or ["bn128", "bls12381"]:
        for group in args.group or ["g1", "g2"]:
            print(bucket_costs(curve_by_name(name), group, n, c, rng), flush=True)


def ntt_table(args: argparse.Namespace) -> None:
    rng = random.Random(11)
    print(f"{'field':9} {'n':>7} {'fast':>8} {'fast cpu':>9} {'reference':>10} {'ref/fast':>9}")
    for field in (BN254_FR, BLS12_381_FR):
        for log_n in range(args.ntt_min_log, args.ntt_max_log + 1):
            n = 1 << log_n
            values = [rng.randrange(field.p) for _ in range(n)]
            fast = FastDomain(field, n)
            fast.ntt(values)
            f_wall, f_cpu = wall_and_cpu(fast.ntt, values)
            if log_n <= args.ref_ntt_max_log:
                ref = wall_and_cpu(Domain(field, n).ntt, values)[1]
                ref_s = fmt(ref)
                ratio = f"{ref / f_cpu:>8.0f}x"
            else:
                ref_s, ratio = "-", "-"
            print(
                f"{field.name:9} {n:>7} {fmt(f_wall):>8} {fmt(f_cpu):>9} {ref_s:>10} {ratio:>9}",
                flush=True,
            )


def compile_times() -> None:
    code = (
        "import time; w, c = time.perf_counter(), time.process_time(); "
        "from zkmargin.curve.fast import warm_up; from zkmargin.field.fast_ntt import "
        "warm_up as ntt_warm_up; i = time.perf_counter() - w; "
        "c1 = time.process_time(); m = warm_up(); c2 = time.process_time(); t = ntt_warm_up(); "
        "c3 = time.process_time(); "
        "print(f'{i:.1f} {m:.1f} {c2 - c1:.1f} {t:.1f} {c3 - c2:.1f}')"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in ("cold (empty cache)", "warm (cache filled)"):
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            print(
                f"{label:20}: import {out[0]} s, MSM kernels {out[1]} s ({out[2]} s CPU), "
                f"NTT kernels {out[3]} s ({out[4]} s CPU)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--section", action="append", help="compile / msm / buckets / ntt (default all)"
    )
    parser.add_argument("--min-log", type=int, default=12)
    parser.add_argument("--max-log", type=int, default=16)
    parser.add_argument("--ref-max-log", type=int, default=13)
    parser.add_argument("--ntt-min-log", type=int, default=12)
    parser.add_argument("--ntt-max-log", type=int, default=18)
    parser.add_argument("--ref-ntt-max-log", type=int, default=14)
    parser.add_argument("--curve", action="append", help="bn128 / bls12381 (default both)")
    parser.add_argument("--group", action="append", help="g1 / g2 (default both)")
    parser.add_argument("--pyecc-n", type=int, default=8)
    parser.add_argument("--buckets-log", type=int, default=16)
    args = parser.parse_args()
    sections = args.section or ["compile", "msm", "buckets", "ntt"]
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    if "compile" in sections:
        compile_times()
    if "msm" in sections:
        msm_table(args)
    if "buckets" in sections:
        buckets_table(args)
    if "ntt" in sections:
        ntt_table(args)


if __name__ == "__main__":
    main()
