"""Session fixtures: small circom circuits compiled, witnessed and set up with snarkjs (once per
worker), on BN254 and on BLS12-381. The pipeline itself lives in ``tests/snarkjs_pipeline.py``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from snarkjs_pipeline import (
    CircomBuild,
    calculate_witness,
    compile_circom,
    groth16_setup,
    make_ptau,
    zkey_contribute,
)

# A small circuit with outputs, public and private inputs, circomlib gadgets (so wires are
# renumbered and labels are not the identity) and coefficients equal to p − 1.
SOURCE = """
pragma circom 2.0.0;
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

template Sample() {
    signal input a;
    signal input b;
    signal input secret;
    signal output lt;
    signal output prod;
    component cmp = LessThan(16);
    cmp.in[0] <== a;
    cmp.in[1] <== b;
    lt <== cmp.out;
    component bits = Num2Bits(8);
    bits.in <== secret;
    signal t;
    t <== a * b;
    prod <== t * (secret + 7);
}
component main {public [a, b]} = Sample();
"""
INPUTS = {"a": 3, "b": 1000, "secret": 200}


@dataclass(frozen=True)
class Compiled:
    """The sample circuit compiled by circom, with a witness computed by snarkjs."""

    build: CircomBuild
    wtns: Path


@dataclass(frozen=True)
class Keys:
    """Groth16 keys for the sample circuit made by snarkjs."""

    circuit: Compiled
    ptau: Path
    """The prepared powers of tau the keys were made from."""
    zkey_setup: Path
    """Straight out of ``groth16 setup`` (δ = 1, no contribution)."""
    zkey: Path
    """After one ``zkey contribute`` (what a ceremony's key looks like)."""


def _compiled(tmp_path_factory: pytest.TempPathFactory, curve: str) -> Compiled:
    out = tmp_path_factory.mktemp(f"circuit_{curve}")
    build = compile_circom(SOURCE, out, name="sample", prime=curve)
    return Compiled(build, calculate_witness(build, INPUTS, out))


def _keys(tmp_path_factory: pytest.TempPathFactory, circuit: Compiled, curve: str) -> Keys:
    out = tmp_path_factory.mktemp(f"keys_{curve}")
    ptau = make_ptau(out, power=7, curve=curve)
    setup = groth16_setup(circuit.build.r1cs, ptau, out, contribute=False)
    return Keys(circuit, ptau, setup, zkey_contribute(setup, out / "sample_final.zkey"))


@pytest.fixture(scope="session")
def bn128_circuit(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    return _compiled(tmp_path_factory, "bn128")


@pytest.fixture(scope="session")
def bls12381_circuit(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    return _compiled(tmp_path_factory, "bls12381")


@pytest.fixture(scope="session")
def bn128_keys(tmp_path_factory: pytest.TempPathFactory, bn128_circuit: Compiled) -> Keys:
    return _keys(tmp_path_factory, bn128_circuit, "bn128")


@pytest.fixture(scope="session")
def bls12381_keys(tmp_path_factory: pytest.TempPathFactory, bls12381_circuit: Compiled) -> Keys:
    return _keys(tmp_path_factory, bls12381_circuit, "bls12381")
