"""The optimal ate Miller loop: G2 line coefficients, then one loop over many pairs.

The loop is split in two kernels so that a fixed G2 point (a verifying key's) pays its part
once: :func:`g2_lines` walks ``T`` through the loop's doublings and additions of ``Q`` (on
the twist, homogeneous projective ``(X, Y, Z)``) and records each line as three F_p2
coefficients ``(a, b, c)``; :func:`miller_loop` evaluates every pair's lines at its G1 point
``P = (xP, yP)`` and multiplies them into one accumulator, so the F_p12 squarings are shared
by all pairs.

A line through ``T`` untwisted to ``E(F_p12)`` is, up to a factor in a proper subfield (which
the final exponentiation removes), ``c·yP + b·xP·w + a·w³`` on a ``D``-type twist
(``ψ(x, y) = (x w², y w³)``) and ``a + b·xP·w² + c·yP·w³`` on an ``M``-type twist
(``ψ(x, y) = (x/w², y/w³)``, the line times ``w³``).  Doubling (``λ = 3x²/2y``):
``a = 3b'Z² - Y²``, ``b = 3X²``, ``c = -2YZ``; adding affine ``(x2, y2)`` with
``θ = Y - y2 Z``, ``λ = X - x2 Z``: ``a = θ x2 - λ y2``, ``b = -θ``, ``c = λ``.

``schedule(params)`` gives, per line, whether the accumulator is squared first (doubling
lines) or not (addition lines).  For BN curves the loop ends with the lines through ``π(Q)``
and ``-π²(Q)``, whose twist coordinates come from the Frobenius constants
(:attr:`.params.PairingParams.gamma`): ``π(x, y) = (x̄·γ₁₂, ȳ·γ₁₃)``, ``π²(x, y) = (x·γ₂₂,
y·γ₂₃)``.  Points must be finite and of order ``r`` (the verifier checks this first): then no
step meets the point at infinity.
"""

from __future__ import annotations

import numpy as np

from zkmargin.curve.fast.pairing.fp6 import conj2
from zkmargin.curve.fast.pairing.fp12 import conj12, mul12_by_line, set_one12, sqr12
from zkmargin.curve.fast.pairing.params import PairingParams
from zkmargin.field.fast.fp2 import add2, copy2, mul2, mul2_by_fp, neg2, sqr2, sub2
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus


def schedule(params: PairingParams) -> np.ndarray:
    """Per line: 1 if the accumulator is squared before it (a doubling), 0 if not."""
    steps = []
    for bit in params.loop_bits:
        steps.append(1)
        if bit:
            steps.append(0)
    if params.family == "bn":
        steps += [0, 0]
    return np.array(steps, dtype=np.int64)


@kernel
def double_step(
    t: np.ndarray, line: np.ndarray, b3: np.ndarray, m: Modulus, s: np.ndarray, ws: np.ndarray
) -> None:
    """``t = 2t`` and the tangent line's ``(a, b, c)``; ``b3 = 3b'``; ``ws``: 9 rows."""
    a, b, c, e, f, g, h, i, j = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7], ws[8]
    x, y, z = t[0], t[1], t[2]
    mul2(a, x, y, m, s)  # XY
    sqr2(b, y, m, s)  # B = Y²
    sqr2(c, z, m, s)  # C = Z²
    mul2(e, c, b3, m, s)  # E = 3b'C
    add2(f, e, e, m)
    add2(f, f, e, m)  # F = 3E
    add2(h, y, z, m)
    sqr2(h, h, m, s)
    sub2(h, h, b, m)
    sub2(h, h, c, m)  # H = (Y + Z)² - B - C = 2YZ
    sub2(line[0], e, b, m)  # a = E - B
    sqr2(j, x, m, s)
    add2(line[1], j, j, m)
    add2(line[1], line[1], j, m)  # b = 3X²
    neg2(line[2], h, m)  # c = -H
    # (X, Y, Z) <- (2·XY·(B - F), (B + F)² - 12E², 4·B·H): Costello-Lange-Naehrig scaled by 4
    sub2(i, b, f, m)
    mul2(x, a, i, m, s)
    add2(x, x, x, m)
    add2(g, b, f, m)
    sqr2(g, g, m, s)
    sqr2(i, e, m, s)
    add2(j, i, i, m)
    add2(i, j, i, m)  # 3E²
    add2(i, i, i, m)
    add2(i, i, i, m)  # 12E²
    sub2(y, g, i, m)
    mul2(z, b, h, m, s)
    add2(z, z, z, m)
    add2(z, z, z, m)


@kernel
def add_step(
    t: np.ndarray,
    q: np.ndarray,
    line: np.ndarray,
    update: bool,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``t = t + q`` (``q`` affine, ``t ≠ ±q``) and the chord's ``(a, b, c)``; ``ws``: 9 rows.

    With ``update`` false only the line is computed (the loop's last step)."""
    th, la, c, d, e, f, g, h, tmp = ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7], ws[8]
    x, y, z = t[0], t[1], t[2]
    mul2(th, q[1], z, m, s)
    sub2(th, y, th, m)  # θ = Y - y2 Z
    mul2(la, q[0], z, m, s)
    sub2(la, x, la, m)  # λ = X - x2 Z
    mul2(line[0], th, q[0], m, s)
    mul2(tmp, la, q[1], m, s)
    sub2(line[0], line[0], tmp, m)  # a = θ x2 - λ y2
    neg2(line[1], th, m)  # b = -θ
    copy2(line[2], la)  # c = λ
    if not update:
        return
    sqr2(c, th, m, s)  # C = θ²
    sqr2(d, la, m, s)  # D = λ²
    mul2(e, la, d, m, s)  # E = λ³
    mul2(f, z, c, m, s)  # F = Z C
    mul2(g, x, d, m, s)  # G = X D
    add2(h, e, f, m)
    sub2(h, h, g, m)
    sub2(h, h, g, m)  # H = E + F - 2G
    mul2(x, la, h, m, s)  # X3 = λ H
    sub2(g, g, h, m)
    mul2(g, th, g, m, s)
    mul2(tmp, y, e, m, s)
    sub2(y, g, tmp, m)  # Y3 = θ(G - H) - Y E
    mul2(z, z, e, m, s)  # Z3 = Z E


@kernel
def g2_lines(
    out: np.ndarray,
    q: np.ndarray,
    steps: np.ndarray,
    bn_tail: bool,
    b3: np.ndarray,
    gamma: np.ndarray,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """Every line of the loop for the affine twist point ``q`` (shape ``(2, 2, N)``) into
    ``out`` (shape ``(len(steps), 3, 2, N)``); ``ws``: 18 rows."""
    t = ws[0:3]
    qq = ws[3:5]
    inner = ws[5:]
    copy2(t[0], q[0])
    copy2(t[1], q[1])
    for c in range(2):
        for n in range(t.shape[2]):
            t[2, c, n] = 0
    t[2, 0, :] = one
    count = len(steps) - 2 if bn_tail else len(steps)
    for i in range(count):
        if steps[i]:
            double_step(t, out[i], b3, m, s, inner)
        else:
            add_step(t, q, out[i], True, m, s, inner)
    if bn_tail:
        conj2(qq[0], q[0], m)  # π(Q)
        mul2(qq[0], qq[0], gamma[1, 2], m, s)
        conj2(qq[1], q[1], m)
        mul2(qq[1], qq[1], gamma[1, 3], m, s)
        add_step(t, qq, out[count], True, m, s, inner)
        mul2(qq[0], q[0], gamma[2, 2], m, s)  # -π²(Q)
        mul2(qq[1], q[1], gamma[2, 3], m, s)
        neg2(qq[1], qq[1], m)
        add_step(t, qq, out[count + 1], False, m, s, inner)


@kernel
def miller_loop(
    f: np.ndarray,
    lines: np.ndarray,
    ps: np.ndarray,
    steps: np.ndarray,
    mtype: bool,
    conjugate_end: bool,
    k: int,
    one: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``f = prod_j f_{loop, Q_j}(P_j)`` from ``lines`` (``(n, L, 3, 2, N)``, from
    :func:`g2_lines`) and G1 points ``ps`` (``(n, 2, N)``), sharing the squarings."""
    line = np.zeros((2, 2, 2, f.shape[3]), dtype=np.uint64)
    inner = ws
    set_one12(f, one)
    for i in range(len(steps)):
        if steps[i]:
            sqr12(f, f, k, m, s, inner)
        for j in range(lines.shape[0]):
            coeffs = lines[j, i]
            if mtype:  # a + b xP w² + c yP w³: L0 = (a, b xP), L1 = (0, c yP)
                copy2(line[0, 0], coeffs[0])
                mul2_by_fp(line[0, 1], coeffs[1], ps[j, 0], m, s)
                line[1, 0] = 0
                mul2_by_fp(line[1, 1], coeffs[2], ps[j, 1], m, s)
            else:  # c yP + b xP w + a w³: L0 = (c yP, 0), L1 = (b xP, a)
                mul2_by_fp(line[0, 0], coeffs[2], ps[j, 1], m, s)
                line[0, 1] = 0
                mul2_by_fp(line[1, 0], coeffs[1], ps[j, 0], m, s)
                copy2(line[1, 1], coeffs[0])
            mul12_by_line(f, line, k, m, s, inner)
    if conjugate_end:
        conj12(f, f, m)
