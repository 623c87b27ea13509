"""A prepared ptau whose secrets the test knows, built without the group FFT.

The contribution is a real one (made by :func:`zkmargin.ceremony.powersoftau.contribute` from a
seeded stream, so its secrets are the stream's first three field elements); the Lagrange
sections are then computed from τ, α, β directly — fixed-base multiples of ``L_i(τ)`` —
instead of by ``prepare phase2``. That makes a power-12 file (what a margin circuit needs) in
seconds, and gives an independent oracle for ``prepare phase2``.
"""

from __future__ import annotations

from pathlib import Path

from zkmargin.ceremony import powersoftau as pt
from zkmargin.ceremony.chacha import ChaCha, field_from_rng
from zkmargin.curve import BN254
from zkmargin.curve.fast.fixed_base import multiples_arrays
from zkmargin.field.roots import roots_of_unity
from zkmargin.formats.ptau import HEADER, LAGRANGE, TAU_G1, PtauFile, PtauWriter, header_bytes
from zkmargin.groth16.setup import lagrange_at

SEED = [20261203, 1, 2, 3, 4, 5, 6, 7]


def secrets() -> tuple[int, int, int]:
    """τ, α, β of :func:`dealer_ptau`'s contribution."""
    rng = ChaCha(SEED)
    return tuple(field_from_rng(rng, BN254.r) for _ in range(3))  # type: ignore[return-value]


def lagrange_scalars(p: int, tau: int, top_missing: bool) -> list[int]:
    """``L_i(τ)`` of the size-``2^p`` domain; with ``top_missing`` the inverse FFT of powers
    whose last one is zero (tauG1's top level)."""
    n, r = 1 << p, BN254.r
    lag = lagrange_at(BN254.fr, n, tau) if n > 1 else [1]
    if not top_missing:
        return lag
    w = roots_of_unity(BN254.fr)[p]
    last = pow(tau, n - 1, r) * pow(n, -1, r) % r
    return [(v - pow(w, i * (n - 1) * (r - 2), r) * last) % r for i, v in enumerate(lag)]


def dealer_ptau(directory: Path, power: int) -> Path:
    """A contributed and prepared ptau of ``power`` in ``directory`` (secrets: :func:`secrets`)."""
    pt.new(power, str(directory / "dealer0.ptau"))
    pt.contribute(str(directory / "dealer0.ptau"), str(directory / "dealer1.ptau"), "dealer",
                  ChaCha(SEED))  # fmt: skip
    tau, alpha, beta = secrets()
    src = PtauFile(directory / "dealer1.ptau")
    out = directory / "dealer.ptau"
    r = BN254.r
    with PtauWriter(out, 11) as w:
        w.section(HEADER, [header_bytes(power)])
        for sid in (*pt.POINT_SECTIONS, pt.CONTRIBUTIONS):
            w.section(sid, pt._copy(src, sid))
        for sid, lag in LAGRANGE.items():
            factor = {pt.ALPHA_TAU_G1: alpha, pt.BETA_TAU_G1: beta}.get(sid, 1)
            top = power + 1 if sid == TAU_G1 else power
            group, base = ("g2", BN254.g2) if lag == 13 else ("g1", BN254.g1)
            scalars = [
                v * factor % r
                for p in range(top + 1)
                for v in lagrange_scalars(p, tau, sid == TAU_G1 and p == power + 1)
            ]
            w.section(lag, [multiples_arrays("bn128", group, base, scalars)])
        w.commit()
    return out
