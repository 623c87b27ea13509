"""Circuit identity: a weakened circuit proven under a built-in's name is refused by its
constraint-system digest; a circuit from a file is reported as that file, with its digest."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from adversarial.forge import cli, read, write
from solvency.tiny import BATCH_SIZE, DATA, MARKET

from zkmargin.batch import load_model_circuit
from zkmargin.margin import load_market
from zkmargin.solvency import layout, setup_keys

WEAK = '''"""cross with the margin check removed, claiming the built-in's name."""
from zkmargin.batch import load_model_circuit

Cross = load_model_circuit("cross")


class WeakCross(Cross):
    proves_cover = False  # no margin/covered constraint: any account "passes"
{rename}'''
RENAME = """
    @classmethod
    def circuit_name(cls) -> str:
        return "cross"  # the built-in's name, so its circuit id is the built-in's too
"""
SHORT = '{"id": "zed", "positions": {"BTC-PERP": "10"}, "collateral": {"USDT": "1"}}\n'
"""An account far below its requirement: the built-in cross circuit cannot prove it."""


@pytest.fixture(scope="module")
def weak_report(tmp_path_factory) -> Path:
    """A report of the tiny accounts plus one hopelessly short, proven with the weakened
    circuit renamed ``cross`` (its own keys: whoever runs a setup can do this)."""
    base = tmp_path_factory.mktemp("weak")
    (base / "weak.py").write_text(WEAK.format(rename=RENAME))
    accounts = base / "accounts.jsonl"
    accounts.write_text((DATA / "accounts.jsonl").read_text() + SHORT)
    setup_keys(str(base / "weak.py"), load_market(MARKET), BATCH_SIZE, base / "keys",
               random.Random(5))  # fmt: skip
    code, out = cli("prove", accounts, "--market", MARKET, "--keys", base / "keys",
                    "--out", base / "report", "--seed", 3, "--quiet")  # fmt: skip
    assert code == 0, out
    return base / "report"


def test_weakened_circuit_under_a_builtin_name_is_refused(weak_report: Path, proven: Path):
    doc = read(weak_report / layout.REPORT)
    honest = read(proven / "report" / layout.REPORT)
    # Name, shape and circuit id are the built-in's; only the constraint system differs.
    assert (doc["circuit"], doc["circuit_id"]) == ("cross", honest["circuit_id"])
    assert doc["circuit_digest"] != honest["circuit_digest"]
    code, out = cli("verify", weak_report)
    assert code == 1, out
    assert out.strip().splitlines()[-1] == (
        "invalid: report.json: circuit_digest is not the digest of circuit cross at its shape "
        "(another constraint system, proven under the name of a built-in circuit)"
    )
    code, out = cli("verify", proven / "report")  # control: the honest cross report
    assert code == 0 and "digest" in out and "compiled again, equal" in out, out


def test_statement_digest_is_bound_by_the_proof(weak_report: Path, proven: Path, tmp_path):
    # Writing the honest digest into the weak report's statements breaks their hashes, and
    # recomputing the hashes breaks the proofs: the digest is proven, not just written down.
    import shutil

    from zkmargin.batch import Statement

    report = Path(shutil.copytree(weak_report, tmp_path / "r"))
    honest = read(proven / "report" / layout.REPORT)["circuit_digest"]
    doc = read(report / layout.REPORT)
    doc["circuit_digest"] = honest
    for b in doc["batches"]:
        b["statement"]["circuit_digest"] = honest
        b["statement_hash"] = str(Statement.from_json(b["statement"]).hash())
        write(report / b["public"], [b["statement_hash"]])
    write(report / layout.REPORT, doc)
    code, out = cli("verify", report)
    assert code == 1 and "the proof does not verify" in out, out


def test_circuit_from_a_file_is_labelled_as_that_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.py"
    path.write_text(WEAK.format(rename=""))
    cls = load_model_circuit(str(path))
    assert cls.circuit_name() == "file:mine.py"
    assert load_model_circuit(f"{path}:WeakCross").circuit_name() == "file:mine.py:WeakCross"
    assert load_model_circuit("cross").circuit_name() == "cross"  # control
