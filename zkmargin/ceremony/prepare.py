"""``powersoftau prepare phase2``: the Lagrange sections 12–15 a circuit setup reads, from one
inverse FFT per power and section (:mod:`zkmargin.ceremony.group_fft`), written after a copy
of sections 1–7 — snarkjs's file, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from zkmargin.ceremony.group_fft import inverse_fft
from zkmargin.ceremony.keys import (
    CURVE,
)
from zkmargin.ceremony.powersoftau import MAX_PREPARE_POWER, Log, point_shape, power_scalars, quiet
from zkmargin.errors import InputError
from zkmargin.field.roots import roots_of_unity
from zkmargin.formats.ptau import (
    CONTRIBUTIONS,
    FQ,
    HEADER,
    LAGRANGE,
    POINT_SECTIONS,
    SECTION_NAMES,
    TAU_G1,
    PtauFile,
    is_g2,
    point_count,
)
from zkmargin.formats.ptau_writer import PtauWriter, header_bytes


def copy_section(pf: PtauFile, sid: int) -> Iterator[bytes]:
    """Section ``sid`` of ``pf`` as it is, in 64 MiB pieces."""
    off, length = pf.section(sid)
    step = 1 << 26
    for start in range(0, length, step):
        yield pf.map[off + start : off + min(length, start + step)]


def lagrange_level(pf: PtauFile, sid: int, p: int) -> np.ndarray:
    """The ``2^p`` Lagrange points of the first ``2^p`` powers of section ``sid``."""
    n = 1 << p
    shape = point_shape(sid)
    pts = np.zeros((n, *shape), dtype=np.uint64)
    avail = min(n, point_count(sid, pf.power))  # tauG1's top level lacks its last power
    pts[:avail] = pf.points(sid, 0, avail).reshape(avail, *shape)
    r = CURVE.r
    w_inv = pow(roots_of_unity(CURVE.fr)[p], -1, r)
    tw = power_scalars(1, w_inv, 0, max(1, n // 2))
    out = inverse_fft(pts, tw, pow(n, -1, r), FQ)
    return out.reshape(n, *((2, 2, 4) if is_g2(sid) else (2, 4)))


def prepare_phase2(src: str, dst: str, log: Log = quiet) -> None:
    """Copy sections 1–7 and add the Lagrange sections 12–15 (snarkjs's, byte for byte)."""
    pf = PtauFile(src)
    if pf.power > MAX_PREPARE_POWER:
        raise InputError(src, "section 1 (header)", f"power {pf.power} > {MAX_PREPARE_POWER}")

    def levels(sid: int) -> Iterator[np.ndarray]:
        top = pf.power + 1 if sid == TAU_G1 else pf.power
        for p in range(top + 1):
            yield lagrange_level(pf, sid, p)
            log(f"{SECTION_NAMES[LAGRANGE[sid]]}: 2^{p}")

    with PtauWriter(dst, 11) as w:
        w.section(HEADER, [header_bytes(pf.power)])  # snarkjs writes power twice
        for sid in (*POINT_SECTIONS, CONTRIBUTIONS):
            w.section(sid, copy_section(pf, sid))
        for sid, lag in LAGRANGE.items():
            w.section(lag, levels(sid))
        w.commit()
