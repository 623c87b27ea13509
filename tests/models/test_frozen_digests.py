"""Every shipped circuit compiles to exactly the constraint system frozen in
``frozen_digests.json`` (the example market, default shape, one account per batch).

A changed digest means keys made by an earlier ``zkmargin setup`` no longer fit: change a
shipped circuit on purpose only, and then rewrite the frozen file in the same commit
(``python tests/models/frozen_digests.py``; ``CONTRIBUTING.md``).
"""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from frozen_digests import BATCH_SIZE, current_digest, frozen

from zkmargin.batch import load_model_circuit
from zkmargin.batch.loader import ACCOUNT_CIRCUITS
from zkmargin.cli import main
from zkmargin.dsl import compile_circuit
from zkmargin.dsl.r1cs import R1CS, Constraint
from zkmargin.dsl.r1cs_digest import r1cs_digest
from zkmargin.margin import example_paths, load_market
from zkmargin.models.registry import specs

FROZEN = frozen()


def test_every_shipped_circuit_has_a_frozen_digest() -> None:
    assert sorted(FROZEN) == sorted((*specs(), *ACCOUNT_CIRCUITS))
    assert len(FROZEN) == 9  # seven margin models, notice, attestation


@pytest.mark.slow
@pytest.mark.parametrize("circuit", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(circuit: str) -> None:
    assert current_digest(circuit) == FROZEN[circuit]


@pytest.fixture(scope="module")
def collateral() -> R1CS:
    """The smallest shipped circuit, compiled as its digest is taken (digest constant 0)."""
    circuit = load_model_circuit("collateral")(load_market(example_paths()[0]), BATCH_SIZE)
    return compile_circuit(circuit).r1cs


def test_inspect_prints_the_frozen_digest(collateral: R1CS) -> None:
    market = str(example_paths()[0])
    args = ["inspect", "collateral", "--market", market, "--batch-size", "1", "--digest"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == f"digest {FROZEN['collateral']}"
    assert f"{r1cs_digest(collateral):x}" == FROZEN["collateral"]


def test_one_changed_coefficient_changes_the_digest(collateral: R1CS) -> None:
    # the control of the comparisons above: they can fail
    last = collateral.constraints[-1]
    changed = Constraint({**last.a, 0: last.a.get(0, 0) + 1}, last.b, last.c, last.name)
    tampered = dataclasses.replace(collateral, constraints=[*collateral.constraints[:-1], changed])
    assert r1cs_digest(tampered) != r1cs_digest(collateral)
