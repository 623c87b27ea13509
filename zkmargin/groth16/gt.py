"""``vk_alphabeta_12``: e(alpha1, beta2) written as snarkjs writes a target-group element.

snarkjs (ffjavascript) builds Fq12 as a tower Fq2 = Fq[u]/(u^2 + 1), Fq6 = Fq2[v]/(v^3 - xi),
Fq12 = Fq6[w]/(w^2 - v) with xi = k + u (k = 9 on BN254, 1 on BLS12-381); py_ecc uses the flat
Fq[w]/(w^12 - 2k w^6 + k^2 + 1). The maps agree with v = w^2 and u = w^6 - k, so the tower
coefficient of (w^j v^i) is a + b u with b = c[j + 2i + 6] and a = c[j + 2i] + k * b.

ffjavascript's final exponentiation also computes a fixed power of the reduced Tate pairing that
py_ecc returns: e^lambda with lambda = 2u(6u^2 + 3u + 1) on BN254 (u = 4965661367192848881, the
multiple its hard part uses) and e^-3 on BLS12-381. Both facts were found by comparing with
``snarkjs zkey export verificationkey`` and are pinned by the interop tests.
Only the JSON needs this value: verification never reads it.  The fast pairing
(:mod:`zkmargin.curve.fast.pairing`) computes exactly ffjavascript's value, in this layout, so
with the fast backend (``backend`` as in :func:`zkmargin.groth16.verify.verify`) no conversion
is needed.
"""

from __future__ import annotations

from py_ecc import optimized_bls12_381, optimized_bn128

from zkmargin.curve.points import G1, G2

_BN_U = 4965661367192848881
# curve -> (py_ecc module, k in xi = k + u, exponent taking py_ecc's pairing to ffjavascript's)
_PY_ECC = {
    "bn128": (optimized_bn128, 9, 2 * _BN_U * (6 * _BN_U**2 + 3 * _BN_U + 1)),
    "bls12381": (optimized_bls12_381, 1, -3),
}


def alphabeta_12(
    curve: str, alpha1: G1, beta2: G2, *, backend: str | None = None
) -> list[list[list[str]]]:
    """e(alpha1, beta2) as snarkjs's ``[[[c, c] x 3] x 2]`` decimal strings."""
    from zkmargin.groth16.verify import pairing_backend

    if alpha1 is None or beta2 is None:  # e(O, Q) = e(P, O) = 1
        return [[["1", "0"], ["0", "0"], ["0", "0"]], [["0", "0"], ["0", "0"], ["0", "0"]]]
    if pairing_backend(backend) == "fast":
        from zkmargin.curve import curve_by_name
        from zkmargin.curve.fast.pairing import FastPairing

        value = FastPairing.of(curve_by_name(curve)).pairing(alpha1, beta2)
        return [[[str(a), str(b)] for a, b in row] for row in value]
    lib, k, exponent = _PY_ECC[curve]
    (ax, ay), ((x0, x1), (y0, y1)) = alpha1, beta2
    p = lib.pairing(
        (lib.FQ2([x0, x1]), lib.FQ2([y0, y1]), lib.FQ2.one()),
        (lib.FQ(ax), lib.FQ(ay), lib.FQ.one()),
    ) ** (exponent % lib.curve_order)
    c = [int(x) % lib.field_modulus for x in p.coeffs]
    q = lib.field_modulus
    return [
        [[str((c[j + 2 * i] + k * c[j + 2 * i + 6]) % q), str(c[j + 2 * i + 6])] for i in range(3)]
        for j in range(2)
    ]
