"""Ceremony steps: zkmargin vs snarkjs on the same files, side by side, with ratios.

For each power: one contributed ptau (made once by zkmargin, cached in --workdir), then
``powersoftau prepare phase2`` by snarkjs and by zkmargin (``zkmargin powersoftau prepare
phase2``), each a child process timed the same way (wall, CPU of the child, peak resident
memory from ``os.wait4``); the outputs must be byte-identical (checked, outside the timings).
With ``--zkey-powers``, also a phase-2 contribution (``zkey contribute`` by both) to a
synthetic key whose L and H sections hold 2^power points each (what a contribution rescales;
the other sections are a tiny circuit's). With ``--subgroup-powers``, the G2 subgroup check of
``import response`` on 2^power G2 points (a contributed ptau's tauG2 points, repeated): the
batch check (random combinations) against the per-point test, in this process, CPU seconds.

    python bench/ceremony.py --powers 8,10,12
    python bench/ceremony.py --powers 12,13,14,15,16,17 --workdir /tmp/ceremony-bench
    python bench/ceremony.py --powers '' --zkey-powers 15,17
    python bench/ceremony.py --powers '' --subgroup-powers 14,16,17

snarkjs's prepare phase2 takes tens of minutes above power 15 here; --skip-snarkjs-above P
measures only zkmargin above P (the ratio column then reads "-").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNARKJS = ROOT / "node_modules" / ".bin" / "snarkjs"
ZKMARGIN = Path(sys.executable).parent / "zkmargin"


def timed(args: list[str]) -> tuple[float, float, float]:
    """``(wall s, child CPU s, peak RSS MB)`` of one child process (raises if it fails)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def contributed_ptau(work: Path, power: int) -> Path:
    p1 = work / f"pot{power}_1.ptau"
    if not p1.exists():
        p0 = work / f"pot{power}_0.ptau"
        subprocess.run([ZKMARGIN, "powersoftau", "new", "bn128", str(power), p0], check=True,
                       capture_output=True)  # fmt: skip
        subprocess.run([ZKMARGIN, "powersoftau", "contribute", p0, p1, "-n", "b", "-e", "bench"],
                       check=True, capture_output=True)  # fmt: skip
    return p1


def synthetic_zkey(work: Path, power: int) -> Path:
    """A key with 2^power points in L and H (copies of the generator) and no contribution."""
    from zkmargin.curve import BN254
    from zkmargin.dsl.r1cs import R1CS, Constraint
    from zkmargin.field import BN254_FR
    from zkmargin.formats.binfile import read_binfile, write_binfile
    from zkmargin.formats.ptau import g1_bytes
    from zkmargin.formats.zkey import write_zkey
    from zkmargin.groth16 import setup_unsafe_dev

    path = work / f"synthetic{power}.zkey"
    if not path.exists():
        cs = R1CS(BN254_FR, 1, 0, 0, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "sq")])
        write_zkey(path, setup_unsafe_dev(cs))
        bf = read_binfile(path, "zkey", 1)
        big = g1_bytes(BN254.g1) * (1 << power)
        sections = dict(bf.sections) | {8: big, 9: big, 10: bytes(64) + bytes(4)}
        bf.sections = [(sid, sections[sid]) for sid in range(1, 11)]
        write_binfile(path, bf)
    return path


def subgroup_row(work: Path, power: int) -> None:
    import numpy as np

    from zkmargin.ceremony.keys import CURVE
    from zkmargin.ceremony.subgroup import first_outside_g2
    from zkmargin.curve.fast.pairing.subgroup import G2Membership
    from zkmargin.formats.ptau import TAU_G2, PtauFile

    g2 = PtauFile(contributed_ptau(work, 8)).points(TAU_G2)
    pts = np.resize(g2, (1 << power, *g2.shape[1:]))
    per_point = G2Membership.of(CURVE).first_outside
    first_outside_g2(pts[:300]), per_point(pts[:2])  # compile or load the kernels
    cpu = []
    for check in (per_point, first_outside_g2):
        start = time.process_time()
        assert check(pts) == -1
        cpu.append(time.process_time() - start)
    print(f"{'G2 subgroup':<16}{power:>6}{'per point':>11}{cpu[0]:>8.1f}{'':>7}"
          f"{'batch':>12}{cpu[1]:>8.1f}{'':>7}{cpu[0] / cpu[1]:>7.1f}x")  # fmt: skip


def row(step: str, power: int, ours: tuple, theirs: tuple | None) -> None:
    if theirs:
        cols = f"{theirs[0]:>11.1f}{theirs[1]:>8.1f}{theirs[2]:>7.0f}"
        ratio = f"{theirs[0] / ours[0]:>7.1f}x"
    else:
        cols, ratio = f"{'-':>11}{'-':>8}{'-':>7}", f"{'-':>8}"
    print(f"{step:<16}{power:>6}{cols}{ours[0]:>12.1f}{ours[1]:>8.1f}{ours[2]:>7.0f}{ratio}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--powers", default="8,10,12")
    ap.add_argument("--workdir", default="/tmp/zkmargin-ceremony-bench")
    ap.add_argument("--zkey-powers", default="")
    ap.add_argument("--subgroup-powers", default="")
    ap.add_argument("--skip-snarkjs-above", type=int, default=99)
    args = ap.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    print(f"cores: {os.cpu_count()}, load average at start: {load:.1f}")
    print(
        f"{'step':<16}{'power':>6}{'snarkjs s':>11}{'cpu':>8}{'MB':>7}"
        f"{'zkmargin s':>12}{'cpu':>8}{'MB':>7}{'ratio':>8}"
    )
    for power in (int(p) for p in args.powers.split(",") if p):
        src = contributed_ptau(work, power)
        ours, theirs = work / f"pot{power}_z.ptau", work / f"pot{power}_s.ptau"
        z = timed([str(ZKMARGIN), "powersoftau", "prepare", "phase2", str(src), str(ours)])
        s = None
        if power <= args.skip_snarkjs_above:
            s = timed([str(SNARKJS), "powersoftau", "prepare", "phase2", str(src), str(theirs)])
            if theirs.read_bytes() != ours.read_bytes():
                raise SystemExit(f"power {power}: the prepared files differ")
        row("prepare phase2", power, z, s)
    for power in (int(p) for p in args.zkey_powers.split(",") if p):
        key = synthetic_zkey(work, power)
        z = timed([str(ZKMARGIN), "zkey", "contribute", str(key), str(work / "z.zkey"), "-e=x"])
        s = None
        if power <= args.skip_snarkjs_above:
            s = timed([str(SNARKJS), "zkey", "contribute", str(key), str(work / "s.zkey"), "-e=x"])
        row("zkey contribute", power, z, s)
    for power in (int(p) for p in args.subgroup_powers.split(",") if p):
        subgroup_row(work, power)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
