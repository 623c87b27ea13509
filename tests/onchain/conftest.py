"""Fixtures for the on-chain tests: the tiny reports of the solvency tests (the statement hash as
the public input, and the statement's fields), their contracts compiled once per session
(solc-js takes seconds per compile) and a fresh chain per test."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from evm import Batch, Chain, Compiled, compile_solidity, read_batches, statement_hash_harness
from interop import tool
from solvency.conftest import (  # noqa: F401  (shared fixtures)
    circuit_keys,
    fields_keys,
    fields_proven,
    keys_dir,
    proven,
)

from zkmargin.formats.snarkjs_json import read_verification_key
from zkmargin.onchain import solidity_verifier
from zkmargin.onchain.report_contract import export_report_contract


@dataclass(frozen=True)
class Contracts:
    ours: Compiled  # zkmargin's exported verifier
    snarkjs: Compiled  # snarkjs's exported verifier, for the same key
    report: Compiled  # the report-level contract of these keys (the statement hash on chain)
    hash: Compiled  # the statement hash alone (StatementHash.hash)
    batches: list[Batch]
    report_json: dict


@dataclass(frozen=True)
class Design:
    """One design of the report contract (``fields`` or ``hash``) and the report it takes."""

    mode: str
    report: Compiled
    batches: list[Batch]
    report_json: dict


@pytest.fixture(scope="session")
def contracts(
    request: pytest.FixtureRequest,
    keys_dir: Path,  # noqa: F811  (the imported fixtures)
    proven: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Contracts:
    tmp = tmp_path_factory.mktemp("onchain")
    snarkjs_sol = tmp / "snarkjs.sol"
    subprocess.run(
        [tool("snarkjs"), "zkey", "export", "solidityverifier", str(keys_dir / "circuit.zkey"),
         str(snarkjs_sol)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    vk = read_verification_key(keys_dir / "verification_key.json")
    compiled = compile_solidity(
        {
            "ours.sol": solidity_verifier(vk),
            "snarkjs.sol": snarkjs_sol.read_text(),
            "report.sol": export_report_contract(keys_dir)[0],
            "hash.sol": statement_hash_harness(),
        },
        cache=_solc_cache(request, tmp_path_factory),
    )
    batches, doc = read_batches(proven / "report")
    return Contracts(
        compiled["ours.sol:Groth16Verifier"],
        compiled["snarkjs.sol:Groth16Verifier"],
        compiled["report.sol:ZkmarginSnapshots"],
        compiled["hash.sol:StatementHash"],
        batches,
        doc,
    )


@pytest.fixture(scope="session")
def fields_design(
    request: pytest.FixtureRequest,
    fields_keys: Path,  # noqa: F811
    fields_proven: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Design:
    """The contract of keys whose public inputs are the statement's fields, and their report."""
    text, mode = export_report_contract(fields_keys)
    assert mode == "fields"
    compiled = compile_solidity({"fields.sol": text}, cache=_solc_cache(request, tmp_path_factory))
    batches, doc = read_batches(fields_proven / "report")
    return Design("fields", compiled["fields.sol:ZkmarginSnapshots"], batches, doc)


@pytest.fixture(params=["fields", "hash"])
def design(request: pytest.FixtureRequest) -> Design:
    """Each design of the report contract in turn."""
    if request.param == "fields":
        return request.getfixturevalue("fields_design")
    c = request.getfixturevalue("contracts")
    return Design("hash", c.report, c.batches, c.report_json)


def _solc_cache(request: pytest.FixtureRequest, factory: pytest.TempPathFactory) -> Path:
    if getattr(request.config, "cache", None) is not None:
        return Path(request.config.cache.mkdir("zkmargin-solc"))
    shared = factory.getbasetemp().parent / "zkmargin-solc"  # this run's xdist workers
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture
def chain() -> Chain:
    return Chain()
