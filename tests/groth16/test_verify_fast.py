"""Both pairing backends in the verifier: every soundness case of ``test_soundness`` again on
py_ecc (``reference``), the numba kernels, and with arkworks preferred (``native``: BLS12-381's
engine when installed), on both curves; plus agreement between them."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import random
from pathlib import Path

import pytest

from zkmargin.curve.fast.pairing import arkworks
from zkmargin.groth16 import batch_verify, prove, verify

# The package's ``verify`` attribute is the function; the module holds the backend switch.
verify_module = importlib.import_module("zkmargin.groth16.verify")


def _load(name: str):
    # The soundness cases are reused as they are: one list of mutations for both backends.
    spec = importlib.util.spec_from_file_location(f"_fast_{name}", Path(__file__).with_name(name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_soundness = _load("test_soundness.py")
globals().update(
    {
        name: pytest.mark.usefixtures("engine")(test)
        for name, test in vars(_soundness).items()
        if name.startswith("test_")
    }
)


@pytest.fixture(params=["reference", "numba", "native"])
def engine(request, monkeypatch, keys):
    """Every verify/batch_verify call here without an explicit backend uses this engine."""
    default = "reference" if request.param == "reference" else "fast"
    resolve = verify_module.pairing_backend
    monkeypatch.setattr(
        verify_module, "pairing_backend", lambda name=None: resolve(name or default)
    )
    monkeypatch.setattr(verify_module, "PREFER_NATIVE", request.param == "native")
    return request.param


def test_engine_is_the_one_asked_for(keys, engine):
    key = verify_module.fast_key(keys.vk)
    native = engine == "native" and keys.curve == "bls12381" and arkworks.AVAILABLE
    assert key.engine.name == ("arkworks" if native else "numba")


def test_backends_agree_on_random_tamperings(keys, curve):
    rng = random.Random(7)
    for _ in range(3):
        element = rng.choice(["a", "c"])
        k = rng.randrange(1, curve.r)
        tampered = dataclasses.replace(keys.proof, **{element: curve.g1_mul(curve.g1, k)})
        public = [v + rng.randrange(2) for v in keys.public]
        fast = verify(keys.vk, public, tampered, backend="fast")
        assert fast == verify(keys.vk, public, tampered, backend="reference")
        assert not fast
    assert verify(keys.vk, keys.public, keys.proof, backend="reference")
    assert verify(keys.vk, keys.public, keys.proof, backend="fast")


FAST_ONLY = pytest.mark.parametrize("engine", ["numba", "native"], indirect=True)


@FAST_ONLY
@pytest.mark.usefixtures("engine")
def test_batch_with_one_bad_proof_first_or_last(keys, curve):
    items = []
    for i in range(4):
        proof, public = prove(keys.zkey, keys.witness, rng=random.Random(100 + i))
        items.append((public, proof))
    assert batch_verify(keys.vk, items)
    for bad in (0, 3):
        proof = items[bad][1]
        forged = dataclasses.replace(proof, a=curve.g1_add(proof.a, curve.g1))
        assert not batch_verify(keys.vk, [*items[:bad], (items[bad][0], forged), *items[bad + 1 :]])


@FAST_ONLY
@pytest.mark.usefixtures("engine")
def test_swapped_proofs_between_statements_fail(keys):
    # Two valid proofs for the same public signals but with B's swapped: neither equation holds.
    p1, public = prove(keys.zkey, keys.witness, rng=random.Random(11))
    p2, _ = prove(keys.zkey, keys.witness, rng=random.Random(12))
    swapped = dataclasses.replace(p1, b=p2.b)
    assert verify(keys.vk, public, p1) and verify(keys.vk, public, p2)
    assert not verify(keys.vk, public, swapped)
    assert not batch_verify(keys.vk, [(public, swapped), (public, p2)])


def test_unknown_backend_is_refused(keys):
    with pytest.raises(ValueError, match="unknown pairing backend"):
        verify_module.pairing_backend("gpu")


def test_alphabeta_12_is_the_same_on_both_backends(keys):
    from zkmargin.groth16.gt import alphabeta_12

    args = (keys.curve, keys.vk.alpha1, keys.vk.beta2)
    fast = alphabeta_12(*args, backend="fast")
    assert fast == alphabeta_12(*args, backend="reference")
    assert fast == keys.vk.alphabeta12
    other = alphabeta_12(keys.curve, keys.vk.ic[0], keys.vk.beta2, backend="fast")
    assert other != fast and other == alphabeta_12(
        keys.curve, keys.vk.ic[0], keys.vk.beta2, backend="reference"
    )
