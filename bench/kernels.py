"""Fast-kernel benchmark: numba MSM and NTT against the reference code, py_ecc and natives.

    python bench/kernels.py                       # MSM 2^12..2^16, NTT 2^12..2^18, compile times
    python bench/kernels.py --max-log 18 --ref-max-log 14 --section msm

Columns (seconds): ``fast`` is the steady-state wall time of the numba backend (second run;
both cores), ``fast cpu`` its CPU time (both threads), ``reference`` is the pure-Python
Pippenger backend (measured up to ``--ref-max-log``, beyond that scaled linearly from the
largest measured size and marked ``~``), ``py_ecc`` is the naive sum of py_ecc
multiplications timed on ``--pyecc-n`` points and scaled linearly (always ``~``), ``arkworks``
is ``py_arkworks_bls12381``'s multiexp (BLS12-381 only, when installed).  Scalars are uniform
in ``[0, r)``.  Ratios divide CPU seconds (reference and py_ecc are single-threaded): the
work saved; on an idle machine the fast backend's wall time is about half its CPU time, as
it runs on both cores.  Compile times are measured in fresh processes with an empty numba cache, then
with the cache filled.  On a shared machine the numbers are noisy: compare ratios in one run.
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

from msm import points  # bench/msm.py: cheap distinct subgroup points

from zkmargin.curve import curve_by_name, get_backend
from zkmargin.curve.fast import FastMsm
from zkmargin.field import BLS12_381_FR, BN254_FR, Domain
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


def msm_table(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    print(
        f"{'curve':9} {'grp':3} {'n':>7} {'fast':>8} {'fast cpu':>9} {'reference':>10} "
        f"{'py_ecc':>9} {'arkworks':>9} {'ref/fast':>9} {'py_ecc/fast':>12}"
    )
    for name in args.curve or ["bn128", "bls12381"]:
        curve = curve_by_name(name)
        fast = FastMsm(curve.q, curve.r)
        for group in args.group or ["g1", "g2"]:
            pts_all = points(curve, group, 1 << args.max_log, rng)
            ks_all = [rng.randrange(curve.r) for _ in pts_all]
            fast_fn = getattr(fast, group)
            ref_fn = getattr(get_backend("reference"), f"{group}_msm")
            pyecc_fn = getattr(get_backend("py_ecc"), f"{group}_msm")
            small = args.pyecc_n
            pyecc_per_point = wall_and_cpu(pyecc_fn, curve, pts_all[:small], ks_all[:small])[1]
            pyecc_per_point /= small
            ark = arkworks_msm(group) if name == "bls12381" else None
            ref_per_point = None
            for log_n in range(args.min_log, args.max_log + 1):
                n = 1 << log_n
                pts, ks = pts_all[:n], ks_all[:n]
                fast_fn(pts, ks)  # first run: compile or cache load, conversions warmed
                f_wall, f_cpu = wall_and_cpu(fast_fn, pts, ks)
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
                    if log_n == args.min_log and not same_point(got, fast_fn(pts, ks)):
                        raise AssertionError("arkworks and the fast backend disagree")
                pyecc = pyecc_per_point * n
                print(
                    f"{name:9} {group:3} {n:>7} {fmt(f_wall):>8} {fmt(f_cpu):>9} "
                    f"{fmt(ref, ref_extra):>10} {fmt(pyecc, True):>9} {ark_s:>9} "
                    f"{ref / f_cpu:>8.1f}x {pyecc / f_cpu:>11.0f}x",
                    flush=True,
                )


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
        "import time; t = time.perf_counter(); "
        "from zkmargin.curve.fast import warm_up; from zkmargin.field.fast_ntt import "
        "warm_up as ntt_warm_up; i = time.perf_counter() - t; "
        "print(f'{i:.1f} {warm_up():.1f} {ntt_warm_up():.1f}')"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in ("cold (empty cache)", "warm (cache filled)"):
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            print(f"{label:20}: import {out[0]} s, MSM kernels {out[1]} s, NTT kernels {out[2]} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--section", action="append", help="msm / ntt / compile (default all)")
    parser.add_argument("--min-log", type=int, default=12)
    parser.add_argument("--max-log", type=int, default=16)
    parser.add_argument("--ref-max-log", type=int, default=13)
    parser.add_argument("--ntt-min-log", type=int, default=12)
    parser.add_argument("--ntt-max-log", type=int, default=18)
    parser.add_argument("--ref-ntt-max-log", type=int, default=14)
    parser.add_argument("--curve", action="append", help="bn128 / bls12381 (default both)")
    parser.add_argument("--group", action="append", help="g1 / g2 (default both)")
    parser.add_argument("--pyecc-n", type=int, default=8)
    args = parser.parse_args()
    sections = args.section or ["compile", "msm", "ntt"]
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    if "compile" in sections:
        compile_times()
    if "msm" in sections:
        msm_table(args)
    if "ntt" in sections:
        ntt_table(args)


if __name__ == "__main__":
    main()
