"""The final exponentiation ``f ↦ f^(m·(q¹² - 1)/r)``, ``m`` coprime to ``r``.

Easy part ``(q⁶ - 1)(q² + 1)``: a conjugation, one inversion and a Frobenius map; the result
is in the cyclotomic subgroup, where the inverse is the conjugate and squaring is cheaper
(:func:`~.cyclotomic.cyclotomic_sqr12`, used for every squaring after it).  Hard part: an addition
chain in ``x`` and Frobenius maps computing ``f^(m·Φ₁₂(q)/r)``
(:attr:`.params.PairingParams.hard_exponent`, checked against ``m·Φ₁₂(q)/r`` in the tests):

* BN: ``f^(λ0 + λ1 q + λ2 q² + λ3 q³)`` with ``λ1 = 12x³ + 6x² + 4x``, ``λ2 = λ1 + 2x``,
  ``λ0 = λ2 + 6x² + 1``, ``λ3 = λ1 - 1`` (Fuentes-Castañeda et al.), ``m = 2x(6x² + 3x + 1)``;
* BLS12: ``(x - 1)²(x + q)(x² + q² - 1) + 3`` (Hayashida et al.), ``m = 3``.

These ``m`` are the ones snarkjs's (ffjavascript's) pairing has, so the values agree with
``vk_alphabeta_12``.
"""

from __future__ import annotations

import numpy as np

from zkmargin.curve.fast.pairing.cyclotomic import cyclotomic_sqr12
from zkmargin.curve.fast.pairing.fp12 import conj12, copy12, frobenius12, inverse12, mul12
from zkmargin.field.fast.jit import kernel
from zkmargin.field.fast.word import Modulus


@kernel
def pow12(
    out: np.ndarray,
    a: np.ndarray,
    bits: np.ndarray,
    negative: bool,
    k: int,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
    acc: np.ndarray,
) -> None:
    """``out = a^e`` for ``e = ±(bits, most significant first)``, ``a`` cyclotomic (so a
    negative power is the conjugate); ``acc``: one F_p12 temporary."""
    copy12(acc, a)
    for i in range(1, len(bits)):
        cyclotomic_sqr12(acc, acc, k, m, s, ws)
        if bits[i]:
            mul12(acc, acc, a, k, m, s, ws)
    if negative:
        conj12(out, acc, m)
    else:
        copy12(out, acc)


@kernel
def final_exponentiation(
    out: np.ndarray,
    f: np.ndarray,
    bits: np.ndarray,
    negative: bool,
    bn: bool,
    gamma: np.ndarray,
    k: int,
    one: np.ndarray,
    pm2: np.ndarray,
    m: Modulus,
    s: np.ndarray,
    ws: np.ndarray,
) -> None:
    """``out = f^(m·(q¹² - 1)/r)``; ``bits``/``negative``: the curve's ``x``; ``bn``: the BN
    chain, else the BLS12 one."""
    shape = (2, 3, 2, f.shape[3])
    g = np.empty(shape, dtype=np.uint64)
    t = np.empty(shape, dtype=np.uint64)
    a = np.empty(shape, dtype=np.uint64)
    b = np.empty(shape, dtype=np.uint64)
    c = np.empty(shape, dtype=np.uint64)
    acc = np.empty(shape, dtype=np.uint64)
    # easy part: g = f^((q⁶ - 1)(q² + 1))
    inverse12(t, f, k, one, pm2, m, s, ws)
    conj12(g, f, m)
    mul12(g, g, t, k, m, s, ws)
    frobenius12(t, g, 2, gamma, m, s)
    mul12(g, t, g, k, m, s, ws)
    if bn:
        pow12(a, g, bits, negative, k, m, s, ws, acc)  # a = g^x
        pow12(b, a, bits, negative, k, m, s, ws, acc)  # b = g^x²
        pow12(c, b, bits, negative, k, m, s, ws, acc)  # c = g^x³
        cyclotomic_sqr12(c, c, k, m, s, ws)
        cyclotomic_sqr12(t, c, k, m, s, ws)
        mul12(c, c, t, k, m, s, ws)
        cyclotomic_sqr12(c, c, k, m, s, ws)  # c = g^(12x³)
        cyclotomic_sqr12(b, b, k, m, s, ws)
        cyclotomic_sqr12(t, b, k, m, s, ws)
        mul12(b, b, t, k, m, s, ws)  # b = g^(6x²)
        cyclotomic_sqr12(a, a, k, m, s, ws)  # a = g^(2x)
        mul12(c, c, b, k, m, s, ws)
        cyclotomic_sqr12(t, a, k, m, s, ws)
        mul12(c, c, t, k, m, s, ws)  # c = g^λ1
        mul12(t, c, a, k, m, s, ws)  # t = g^λ2
        mul12(b, b, t, k, m, s, ws)
        mul12(b, b, g, k, m, s, ws)  # b = g^λ0
        frobenius12(a, t, 2, gamma, m, s)
        mul12(b, b, a, k, m, s, ws)
        conj12(a, g, m)
        mul12(a, a, c, k, m, s, ws)  # a = g^λ3
        frobenius12(a, a, 3, gamma, m, s)
        mul12(b, b, a, k, m, s, ws)
        frobenius12(a, c, 1, gamma, m, s)
        mul12(out, b, a, k, m, s, ws)
    else:
        pow12(a, g, bits, negative, k, m, s, ws, acc)
        conj12(t, g, m)
        mul12(a, a, t, k, m, s, ws)  # a = g^(x - 1)
        pow12(b, a, bits, negative, k, m, s, ws, acc)
        conj12(t, a, m)
        mul12(a, b, t, k, m, s, ws)  # a = g^((x - 1)²)
        pow12(b, a, bits, negative, k, m, s, ws, acc)
        frobenius12(t, a, 1, gamma, m, s)
        mul12(a, b, t, k, m, s, ws)  # a = g^((x - 1)²(x + q))
        pow12(b, a, bits, negative, k, m, s, ws, acc)
        pow12(b, b, bits, negative, k, m, s, ws, acc)
        frobenius12(t, a, 2, gamma, m, s)
        mul12(b, b, t, k, m, s, ws)
        conj12(t, a, m)
        mul12(a, b, t, k, m, s, ws)  # a = g^((x - 1)²(x + q)(x² + q² - 1))
        cyclotomic_sqr12(t, g, k, m, s, ws)
        mul12(t, t, g, k, m, s, ws)
        mul12(out, a, t, k, m, s, ws)
