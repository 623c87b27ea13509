"""The array prover path against the pure path: identical proofs for the same rng, both curves.

Circuits: the cube circuit (public output and input), a range check with many 0/1 wires, and
random R1CS (hypothesis) for the QAP kernels; malicious witnesses (wrapped value, wrong bit,
forged output) are refused by ``check()`` — naming the constraint — and their proofs, made by
the fast path, fail verification.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from groth16.conftest import cube_circuit
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.curve import backends
from zkmargin.curve.fast import FastBackend
from zkmargin.dsl.r1cs import R1CS, Constraint, UnsatisfiedConstraint, check
from zkmargin.field import field_by_name
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs, limbs_to_ints
from zkmargin.formats.zkey_arrays import ZKeyArrays
from zkmargin.groth16 import WitnessMismatch, prove, setup_unsafe_dev, verify, verifying_key
from zkmargin.groth16.qap import quotient_values, row_evaluations
from zkmargin.groth16.qap_fast import quotient_limbs

CURVES = ["bn128", "bls12381"]
PHASES = {"witness", "rows", "ntt", "msm_a", "msm_b1", "msm_b2", "msm_c", "msm_h", "assemble"}


@pytest.fixture(scope="module", autouse=True)
def fast_backend():
    """``"fast"`` registered for this module only (below the reference: default unchanged)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(backends, "_BACKENDS", dict(backends._BACKENDS))
        backends.register_backend("fast", FastBackend, priority=-5)
        # any other non-oracle backend takes the array path with converted MSMs
        backends.register_backend("converted", backends.ReferenceBackend, priority=-6)
        yield


def bits_circuit(curve: str, n_bits: int = 24) -> tuple[R1CS, list[int]]:
    """Public x = sum 2^i b_i with every b_i boolean: wires [1, x, b_0..b_(n-1)]."""
    field = field_by_name(curve)
    p = field.p
    bits = [Constraint({2 + i: 1}, {2 + i: 1, 0: p - 1}, {}, f"bit{i}") for i in range(n_bits)]
    total = Constraint({2 + i: 1 << i for i in range(n_bits)}, {0: 1}, {1: 1}, "sum")
    cs = R1CS(field, 0, 1, 0, 2 + n_bits, [*bits, total])
    x = 0b1011_0000_0000_0001_1110_0101
    witness = [1, x, *((x >> i) & 1 for i in range(n_bits))]
    check(cs, witness)
    return cs, witness


CIRCUITS = {"cube": cube_circuit, "bits": bits_circuit}


@pytest.fixture(scope="module", params=[(c, k) for c in CURVES for k in CIRCUITS])
def case(request):
    curve, kind = request.param
    cs, witness = CIRCUITS[kind](curve)
    zkey = setup_unsafe_dev(cs, curve, rng=random.Random(f"fast-{curve}-{kind}"))
    return curve, cs, witness, zkey


def test_fast_proof_is_identical_to_reference_and_verifies(case) -> None:
    _, _, witness, zkey = case
    expected = prove(zkey, witness, random.Random(3), backend="reference")
    timings: dict[str, float] = {}
    got = prove(zkey, witness, random.Random(3), backend="fast", timings=timings)
    assert got == expected
    assert set(timings) == PHASES
    proof, public = got
    assert public == witness[1 : zkey.n_public + 1]
    assert verify(verifying_key(zkey), public, proof)


def test_arrays_key_limb_witness_and_converted_msm_agree(case) -> None:
    """ZKeyArrays input, an (n, 4) limb witness, and a non-fast backend on the array path."""
    _, _, witness, zkey = case
    expected = prove(zkey, witness, random.Random(8), backend="reference")
    arrays = ZKeyArrays.from_zkey(zkey)
    limbs = ints_to_limbs(witness, 4)
    assert prove(arrays, limbs, random.Random(8), backend="fast") == expected
    assert prove(arrays, witness, random.Random(8), backend="converted") == expected
    assert prove(arrays, limbs, random.Random(8), backend="reference") == expected


@pytest.mark.parametrize("curve", CURVES)
def test_malicious_witnesses_fail_check_and_verification(curve) -> None:
    cs, witness = bits_circuit(curve)
    zkey = setup_unsafe_dev(cs, curve, rng=random.Random(f"mal-{curve}"))
    vk, p = verifying_key(zkey), cs.field.p

    wrong_bit = list(witness)
    wrong_bit[2] = 2  # b_0 = 2 and x unchanged: fails the booleanity of bit 0 first
    forged = list(witness)
    forged[1] += 1  # public x that the bits do not sum to
    for bad, name in ((wrong_bit, "bit0"), (forged, "sum")):
        with pytest.raises(UnsatisfiedConstraint) as err:
            check(cs, bad)
        assert err.value.name == name
        proof, public = prove(zkey, bad, random.Random(1), backend="fast")
        assert not verify(vk, public, proof)

    wrapped = list(witness)
    wrapped[1] += p  # the same field element, written past r: refused, not reduced
    for backend in ("fast", "reference"):
        with pytest.raises(WitnessMismatch, match=r"wire 1 holds .* outside"):
            prove(zkey, wrapped, backend=backend)


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_witness_shape_errors_name_the_problem(backend) -> None:
    cs, witness = cube_circuit("bn128")
    zkey = setup_unsafe_dev(cs, "bn128", rng=random.Random(2))
    cases = [
        (witness[:-1], "witness has 5 values, the key 6 wires"),
        ([2, *witness[1:]], "wire 0 must be the constant 1, got 2"),
        ([*witness[:-1], -1], "wire 5 holds -1, outside"),
        ([*witness[:-1], 1 << 300], "wire 5 holds .* outside"),
        (np.zeros((6, 3), dtype=np.uint64), r"\(n_vars, 4\) uint64"),
        (ints_to_limbs(witness[:-1], 4), "witness has 5 values"),
    ]
    for bad, message in cases:
        with pytest.raises(WitnessMismatch, match=message):
            prove(zkey, bad, backend=backend)


@st.composite
def r1cs_rows(draw: st.DrawFn):
    """Random sparse A/B coefficients over a random domain, and a witness with 0/1/large values."""
    field = field_by_name(draw(st.sampled_from(CURVES)))
    n = 1 << draw(st.integers(0, 6))
    n_vars = draw(st.integers(1, 12))
    value = st.one_of(st.sampled_from([0, 1, field.p - 1]), st.integers(0, field.p - 1))
    entry = st.tuples(st.integers(0, 1), st.integers(0, n - 1), st.integers(0, n_vars - 1), value)
    coeffs = draw(st.lists(entry, max_size=40))
    witness = [1, *draw(st.lists(value, min_size=n_vars - 1, max_size=n_vars - 1))]
    return field, n, coeffs, witness


@settings(max_examples=40, deadline=None)
@given(r1cs_rows())
def test_quotient_kernels_match_reference(case) -> None:
    field, n, coeffs, witness = case
    fr = Field64.of(field.p)
    r2 = fr.r * fr.r % field.p  # the zkey stores v·R² mod r
    cols = [np.array([c[i] for c in coeffs], dtype=np.uint32) for i in range(3)]
    values = ints_to_limbs([c[3] * r2 % field.p for c in coeffs], 4)
    got = quotient_limbs(field, n, *cols, values, ints_to_limbs(witness, 4))
    a, b = row_evaluations(coeffs, witness, n, field.p)
    assert limbs_to_ints(got, 4) == quotient_values(field, a, b)
