"""A ceremony's key dropped into a keys folder: snarkjs sets up on our ``circuit.r1cs``, we prove
with its ``.zkey``, both verifiers accept, and the report's key is snarkjs's own export."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from snarkjs_pipeline import export_verification_key, groth16_setup, groth16_verify, make_ptau
from solvency.tiny import MARKET

from zkmargin.solvency import layout, prove_snapshot, verify_inclusion, verify_report

pytestmark = [pytest.mark.interop, pytest.mark.slow]


def test_prove_with_a_snarkjs_ceremony_key(keys_dir: Path, tmp_path: Path, snarkjs: str) -> None:
    keys = Path(shutil.copytree(keys_dir, tmp_path / "keys"))
    info = json.loads((keys / layout.CIRCUIT_INFO).read_text())
    rows = info["constraints"] + 1 + 1  # snarkjs domain: constraints + public signals + 1
    power = (rows - 1).bit_length()
    ptau = make_ptau(tmp_path, power)
    zkey = groth16_setup(keys / layout.R1CS_FILE, ptau, tmp_path)
    shutil.copyfile(zkey, keys / layout.ZKEY)
    published = export_verification_key(zkey, tmp_path / "published_vk.json")

    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text(
        '{"id": "u1", "positions": {"BTC-PERP": "0.2"}, "collateral": {"USDT": "900"}}\n'
    )
    report = tmp_path / "report"
    prove_snapshot(accounts, MARKET, keys, report, rng=random.Random(3))
    assert json.loads((report / layout.VKEY).read_text()) == json.loads(published.read_text())
    verify_report(report, expected_vk=published)
    verify_inclusion(layout.receipt_path(report, "u1"), report, expected_vk=published)
    folder = layout.batch_dir(report, 0)
    assert groth16_verify(published, folder / layout.PUBLIC, folder / layout.PROOF)
