"""Keys whose public inputs are the statement's fields (shape ``statement=fields``): the circuit
binds every field to its public input, prove writes the fields to public.json, and verify and
verify-inclusion check them against the statement of report.json. Each refusal sits beside the
honest case passing.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.tiny import CIRCUIT, MARKET

from zkmargin.batch import Statement
from zkmargin.cli import main
from zkmargin.dsl import check
from zkmargin.dsl.r1cs import UnsatisfiedConstraint
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import read_verification_key
from zkmargin.formats.zkey_arrays import read_zkey_arrays
from zkmargin.groth16 import prove, verify
from zkmargin.margin import Account, load_market
from zkmargin.solvency import Invalid, layout, verify_inclusion, verify_report
from zkmargin.solvency.batch_model import batch_model
from zkmargin.solvency.keys import load_keys, read_key_info

pytestmark = pytest.mark.slow

ANA = Account("ana", {"BTC-PERP": 10**7}, {"USDT": 9000 * 10**8})


@pytest.fixture
def fields_copy(fields_proven: Path, tmp_path: Path) -> Path:
    """A copy of the field-mode report folder and its private folder, free to tamper with."""
    shutil.copytree(fields_proven / "report.private", tmp_path / "report.private")
    return Path(shutil.copytree(fields_proven / "report", tmp_path / "report"))


def test_the_report_verifies_with_the_fields_as_public_inputs(fields_proven: Path) -> None:
    report = fields_proven / "report"
    loaded = verify_report(report)
    assert loaded.report.shape.statement == "fields"
    for n, batch in enumerate(loaded.report.batches):
        assert loaded.publics[n] == batch.statement.fields()
        assert batch.statement_hash == batch.statement.hash()  # kept: the statement's identity
    receipt = next((fields_proven / "report.private").rglob("*.json"))
    assert verify_inclusion(receipt, report).batch.statement.count >= 1
    result = CliRunner().invoke(main, ["verify", str(report)])
    assert result.exit_code == 0, result.output


def test_a_public_field_unlike_report_json_is_refused(fields_copy: Path) -> None:
    public = layout.batch_dir(fields_copy, 1) / layout.PUBLIC
    signals = json.loads(public.read_text())
    signals[8] = str(int(signals[8]) + 1)  # total_collateral
    public.write_text(json.dumps(signals))
    with pytest.raises(Invalid, match=r"batch 1: public.json is not the statement fields"):
        verify_report(fields_copy)
    result = CliRunner().invoke(main, ["verify", str(fields_copy)])
    assert result.exit_code == 1
    assert "public.json is not the statement fields" in result.output


def test_a_restated_field_fails_the_proof(fields_copy: Path) -> None:
    """report.json's statement, its hash and public.json all changed together: only the proof
    can tell, and it does."""
    path = fields_copy / layout.REPORT
    doc = json.loads(path.read_text())
    entry = doc["batches"][0]
    entry["statement"]["total_requirement"] = str(int(entry["statement"]["total_requirement"]) - 1)
    doc["totals"]["requirement"] = str(int(doc["totals"]["requirement"]) - 1)
    st = Statement.from_json(entry["statement"])
    entry["statement_hash"] = str(st.hash())
    path.write_text(json.dumps(doc))
    public = layout.batch_dir(fields_copy, 0) / layout.PUBLIC
    public.write_text(json.dumps([str(v) for v in st.fields()]))
    with pytest.raises(Invalid, match=r"batch 0: the proof does not verify"):
        verify_report(fields_copy)


def test_a_key_of_the_wrong_size_is_refused(
    fields_copy: Path, fields_keys: Path, keys_dir: Path, tmp_path: Path
) -> None:
    """A one-input key (the hash mode's) in a field-mode report or keys folder is refused."""
    shutil.copyfile(keys_dir / layout.VKEY, fields_copy / layout.VKEY)
    with pytest.raises(Invalid, match=r"nPublic: the key is for 1 public signals, expected 13"):
        verify_report(fields_copy)
    keys = Path(shutil.copytree(fields_keys, tmp_path / "keys"))
    assert load_keys(keys).zkey.n_public == 13  # control
    fingerprint = CliRunner().invoke(main, ["keys", "fingerprint", str(keys)])
    assert fingerprint.exit_code == 0, fingerprint.output
    shutil.copyfile(keys_dir / layout.ZKEY, keys / layout.ZKEY)
    with pytest.raises(InputError, match=r"1 public signals; the circuit has .* 13 public"):
        load_keys(keys)
    fingerprint = CliRunner().invoke(main, ["keys", "fingerprint", str(keys)])
    assert fingerprint.exit_code == 1
    assert "nPublic: the key is for 1 public signals, expected 13" in fingerprint.output


@pytest.fixture(scope="module")
def keyed(fields_keys: Path):
    market = load_market(MARKET)
    model = batch_model(CIRCUIT, market, read_key_info(fields_keys).shape)
    witness, statement = model.witness([ANA], [11], 0, market.epoch_seconds)
    zkey = read_zkey_arrays(fields_keys / layout.ZKEY)
    return model, witness, statement, zkey, read_verification_key(fields_keys / layout.VKEY)


def test_every_field_is_bound_to_its_public_input(keyed) -> None:
    """Each public input changed alone fails check() at that field's equality; proven anyway
    (the fast prover does not check), the proof does not verify. The honest witness's does."""
    model, witness, statement, zkey, vk = keyed
    check(model.compiled.r1cs, witness)  # control
    proof, public = prove(zkey, witness, random.Random(5), backend="fast")
    assert public == statement.fields() and verify(vk, public, proof)
    names = statement.field_names()
    assert model.compiled.r1cs.n_public == len(names)
    for k, name in enumerate(names):
        forged = list(witness)
        forged[1 + k] = (forged[1 + k] + 1) % model.compiled.r1cs.prime
        with pytest.raises(UnsatisfiedConstraint) as err:
            check(model.compiled.r1cs, forged)
        assert err.value.name == f"statement/{name}", name
        if name == "total_collateral":
            proof, public = prove(zkey, forged, random.Random(5), backend="fast")
            assert public == forged[1 : 1 + len(names)]
            assert not verify(vk, public, proof)
