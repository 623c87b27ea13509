"""``.zkey`` files read as arrays (``read_zkey_arrays``) against the reference reader, and the
fast prover on snarkjs's own key and witness, checked by ``snarkjs groth16 verify``."""

from __future__ import annotations

import random
import struct

import numpy as np
import pytest
from groth16.conftest import cube_circuit

from zkmargin.curve import backends
from zkmargin.curve.fast import FastBackend
from zkmargin.errors import InputError
from zkmargin.field.fast.mont64 import Field64
from zkmargin.formats.binfile import BinFile, read_binfile, write_binfile
from zkmargin.formats.point_codec import CURVES
from zkmargin.formats.zkey import read_zkey, write_zkey
from zkmargin.formats.zkey_arrays import ZKeyArrays, coeff_dtype, read_zkey_arrays
from zkmargin.formats.zkey_header import COEFFS, POINTS_B2, POINTS_H
from zkmargin.groth16 import prove, setup_unsafe_dev

CURVES_ = ["bn128", "bls12381"]


@pytest.fixture(scope="module", params=CURVES_)
def key_file(request, tmp_path_factory):
    curve = request.param
    cs, witness = cube_circuit(curve)
    zkey = setup_unsafe_dev(cs, curve, rng=random.Random(f"zkey-arrays-{curve}"))
    path = tmp_path_factory.mktemp(curve) / "cube.zkey"
    write_zkey(path, zkey)
    return path, zkey, witness


def test_arrays_match_reference_reader_and_prove_the_same(key_file) -> None:
    path, zkey, witness = key_file
    arrays = read_zkey_arrays(path)
    back = arrays.to_zkey()
    reference = read_zkey(path)
    for attr in ("n_vars", "n_public", "domain_size", "alpha1", "beta2", "delta2", "ic"):
        assert getattr(back, attr) == getattr(reference, attr), attr
    for attr in ("coeffs", "a", "b1", "b2", "c", "h"):
        assert getattr(back, attr) == getattr(reference, attr), attr
    # the file's bytes are the arrays' bytes: nothing re-encoded
    built = ZKeyArrays.from_zkey(zkey)
    for attr in ("a", "b1", "b2", "c", "h"):
        assert np.array_equal(getattr(arrays, attr), getattr(built, attr)), attr
    assert arrays.coeffs.tobytes() == built.coeffs.tobytes()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(backends, "_BACKENDS", dict(backends._BACKENDS))
        backends.register_backend("fast", FastBackend, priority=-5)
        fast = prove(arrays, witness, random.Random(4), backend="fast")
    assert fast == prove(reference, witness, random.Random(4), backend="reference")


def _patched(path, tmp_path, sid: int, edit) -> str:
    """A copy of the key with section ``sid``'s payload replaced by ``edit(bytearray)``."""
    bf = read_binfile(path, "zkey", max_version=1)
    sections = [(s, bytes(edit(bytearray(p))) if s == sid else p) for s, p in bf.sections]
    out = tmp_path / "bad.zkey"
    write_binfile(out, BinFile("zkey", 1, sections))
    return str(out)


def _set_limbs(data: bytearray, offset: int, value: int, n8: int) -> bytearray:
    data[offset : offset + n8] = value.to_bytes(n8, "little")
    return data


def test_coordinate_not_below_q_is_refused(key_file, tmp_path) -> None:
    path, zkey, _ = key_file
    q = CURVES[zkey.curve].q
    n8 = Field64.of(q).n_limbs * 8
    # H point #1's y coordinate set to q itself (unreduced)
    bad = _patched(path, tmp_path, POINTS_H, lambda d: _set_limbs(d, 3 * n8, q, n8))
    for reader in (read_zkey, read_zkey_arrays):
        with pytest.raises(InputError, match=r"section 9 \(H\).*coordinate #3 is not below"):
            reader(bad)


def test_point_off_the_curve_is_refused_unless_not_validating(key_file, tmp_path) -> None:
    path, zkey, _ = key_file
    q = CURVES[zkey.curve].q
    f = Field64.of(q)
    n8 = f.n_limbs * 8
    # B2 point #2's x.c0 nudged by one (Montgomery encoding of x + 1)
    b2 = zkey.b2[2]
    x0 = (b2[0][0] + 1) * f.r % q
    bad = _patched(path, tmp_path, POINTS_B2, lambda d: _set_limbs(d, 2 * 4 * n8, x0, n8))
    with pytest.raises(InputError, match=r"section 7 \(B2\).*point #2 is not on the G2 curve"):
        read_zkey_arrays(bad)
    assert read_zkey_arrays(bad, validate=False).b2.shape == (zkey.n_vars, 2, 2, f.n_limbs)


@pytest.mark.parametrize(
    ("field", "value", "entry"),
    [("matrix", 2, 1), ("signal", 6, 2), ("constraint", 1 << 20, 0), ("value", None, 3)],
)
def test_coefficient_out_of_range_is_refused(key_file, tmp_path, field, value, entry) -> None:
    path, zkey, _ = key_file
    dtype = coeff_dtype(32)

    def edit(data: bytearray) -> bytearray:
        rec = np.frombuffer(data, dtype=dtype, offset=4, count=struct.unpack_from("<I", data)[0])
        rec = rec.copy()
        if field == "value":  # r itself, as stored limbs
            r = CURVES[zkey.curve].r
            rec["value"][entry] = [(r >> (64 * i)) & (2**64 - 1) for i in range(4)]
        else:
            rec[field][entry] = value
        return bytearray(data[:4] + rec.tobytes())

    bad = _patched(path, tmp_path, COEFFS, edit)
    for reader in (read_zkey, read_zkey_arrays):
        with pytest.raises(InputError, match=rf"section 4.*entry #{entry} .* out of range"):
            reader(bad)


@pytest.mark.slow
@pytest.mark.interop
@pytest.mark.parametrize("curve", CURVES_)
def test_fast_prover_on_snarkjs_key_is_accepted_by_snarkjs(curve, tmp_path) -> None:
    """snarkjs's .zkey (with a contribution) and .wtns, our array path, snarkjs verifies."""
    from snarkjs_pipeline import (
        calculate_witness,
        compile_circom,
        export_verification_key,
        groth16_setup,
        groth16_verify,
        make_ptau,
    )

    from zkmargin.formats.snarkjs_json import write_proof, write_public
    from zkmargin.formats.wtns import read_wtns

    source = """pragma circom 2.0.0;
include "circomlib/circuits/bitify.circom";
template T() {
    signal input x;
    signal input k;
    signal output y;
    component bits = Num2Bits(16);
    bits.in <== k;
    y <== x * k + 7;
}
component main {public [x]} = T();
"""
    build = compile_circom(source, tmp_path, name="t", prime=curve)
    wtns = calculate_witness(build, {"x": 3, "k": 40503}, tmp_path)
    zkey = groth16_setup(build.r1cs, make_ptau(tmp_path, 6, curve), tmp_path)
    vk = export_verification_key(zkey, tmp_path / "vk.json")
    _, witness = read_wtns(wtns)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(backends, "_BACKENDS", dict(backends._BACKENDS))
        backends.register_backend("fast", FastBackend, priority=-5)
        proof, public = prove(read_zkey_arrays(zkey), witness, random.Random(9), backend="fast")
    assert (proof, public) == prove(read_zkey(zkey), witness, random.Random(9), backend="reference")
    assert public == [3 * 40503 + 7, 3]
    write_proof(tmp_path / "proof.json", proof)
    write_public(tmp_path / "public.json", public)
    assert groth16_verify(vk, tmp_path / "public.json", tmp_path / "proof.json")
    write_public(tmp_path / "public.json", [public[0] + 1, public[1]])
    assert not groth16_verify(vk, tmp_path / "public.json", tmp_path / "proof.json")
