"""setup_unsafe_dev on the fast fixed-base kernels gives the reference path's key, bit for bit.

The circuit has public inputs and zero columns: a public input used by no constraint (its
B and C columns are zero: infinity in B1, B2) and a private wire used by none (infinity in A,
B1, B2 and C), so the infinity rows of every section are compared too.  Each test also
checks which path ran, so "identical" cannot come from both calls taking the same one.
"""

from __future__ import annotations

import random

import pytest
from groth16.conftest import small_circuit

from zkmargin.curve import fixed_base as reference
from zkmargin.curve.fast import fixed_base as fast
from zkmargin.dsl.r1cs import R1CS, Constraint
from zkmargin.groth16 import prove, setup_unsafe_dev, verify, verifying_key

CURVES = ["bn128", "bls12381"]


def circuit(curve: str) -> tuple[R1CS, list[int]]:
    """out = x·y + k with public out, x, idle; private y, k, unused, xy.

    wires [1, out, x, idle, y, k, unused, xy]: ``idle`` and ``unused`` are in no constraint.
    """
    x, idle, y, k, unused = 6, 9, 7, 3, 0
    return small_circuit(
        curve,
        (1, 2),
        3,
        lambda _: [
            Constraint({2: 1}, {4: 1}, {7: 1}, "xy"),
            Constraint({7: 1, 5: 1}, {0: 1}, {1: 1}, "out"),
        ],
        [1, x * y + k, x, idle, y, k, unused, x * y],
    )


def counting(monkeypatch: pytest.MonkeyPatch, module) -> list[str]:
    """Record calls of ``module``'s g1/g2_multiples (still running them)."""
    calls: list[str] = []
    for name in ("g1_multiples", "g2_multiples"):
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


@pytest.mark.parametrize("curve", CURVES)
def test_fast_key_equals_reference_key(curve: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cs, witness = circuit(curve)
    fast_calls = counting(monkeypatch, fast)
    ref_calls = counting(monkeypatch, reference)
    key_fast = setup_unsafe_dev(cs, rng=random.Random(f"k4-{curve}"), backend="fast")
    assert fast_calls == ["g1_multiples", "g2_multiples"] and ref_calls == []
    key_ref = setup_unsafe_dev(cs, rng=random.Random(f"k4-{curve}"), backend="reference")
    assert ref_calls == ["g1_multiples", "g2_multiples"] and len(fast_calls) == 2
    assert key_fast == key_ref
    # the zero columns really are infinity, and the public one has its IC point
    unused, idle = 6, 3
    assert key_fast.a[unused] is key_fast.b1[unused] is key_fast.b2[unused] is None
    assert key_fast.c[unused] is None
    assert key_fast.b1[idle] is key_fast.b2[idle] is None and key_fast.a[idle] is not None
    assert key_fast.ic[idle] is not None
    proof, public = prove(key_fast, witness, rng=random.Random(1))
    assert verify(verifying_key(key_fast), public, proof)


def test_default_follows_the_curve_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``backend``: a curve forced to the reference keeps the reference path."""
    from zkmargin.curve import curve_by_name

    cs, _ = circuit("bn128")
    fast_calls = counting(monkeypatch, fast)
    setup_unsafe_dev(cs, curve_by_name("bn128").with_backend("reference"), random.Random(2))
    assert fast_calls == []


@pytest.mark.slow
def test_margin_batch_circuit_keys_identical() -> None:
    """A real margin circuit (greeks, batch of 1, test market: about 4k constraints) gets the
    same key from both paths (several seconds, mostly the reference path)."""
    from pathlib import Path

    from zkmargin.margin.market import load_market
    from zkmargin.solvency.batch_model import batch_model

    market = load_market(Path(__file__).parents[1] / "solvency" / "data" / "market.json")
    cs = batch_model("greeks", market, 1).compiled.r1cs
    keys = [setup_unsafe_dev(cs, rng=random.Random(5), backend=b) for b in ("fast", "reference")]
    assert keys[0] == keys[1]
    assert keys[0].n_public == cs.n_public and len(keys[0].h) == keys[0].domain_size
