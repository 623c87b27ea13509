"""The page's encoding module (``zkmargin/site/assets/encoding.js``, run here in Node with the
site's bundle) gives the same id hashes, leaves, statement hashes and tree nodes as the Python
reference — for the position-slot leaf (plain, and the isolated circuit's extended leaf) at two
shapes (the tiny market's and the scenario market's several instruments, slots past the
positions, balances past the market's assets), short positions, an id needing base32 as a file
name, and a statement with the circuit's own totals (its hash, and its fields: the public
inputs of keys set up with ``statement=fields``). The browser tests check real receipts;
this covers what those reports do not use."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from interop import ROOT, missing, tool
from solvency.tiny import DATA, MARKET

from zkmargin.batch import Statement, id_hash
from zkmargin.hash import root_from_path
from zkmargin.margin import load_market, parse_account
from zkmargin.site.build import ASSETS, VENDOR
from zkmargin.site.data import encoding_data
from zkmargin.solvency.verifier import circuit_class

pytestmark = pytest.mark.interop

RUN = """
import { readFileSync } from "node:fs";
import vm from "node:vm";
vm.runInThisContext(readFileSync(process.argv[2], "utf8"));
const { encodings } = await import(process.argv[3]);
const job = JSON.parse(readFileSync(0, "utf8"));
const e = await encodings(job.check);
const out = {
  ids: job.accounts.map((a) => e.idHash(a.id).toString()),
  leaves: job.accounts.map((a, i) => e.leaf(a, BigInt(job.salts[i]), BigInt(job.secrets[i])).toString()),
  statement: e.statementHash(job.statement, job.fields).toString(),
  fields: e.statementFields(job.statement, job.fields).map(String),
  root: e.rootFromPath(BigInt(job.path.leaf), job.path.index, job.path.siblings.map(BigInt)).toString(),
};
process.stdout.write(JSON.stringify(out));
process.exit(0);
"""

TINY = [
    {"id": "judy", "positions": {"BTC-PERP": "-1.25"}, "collateral": {"USDT": "500", "BTC": "0.1"}},
    {"id": "Carol@EU", "positions": {}, "collateral": {"BTC": "0.00000001"}},
]  # fmt: skip
ISOLATED = [  # an isolated position (flag and balance in the extended leaf), and a cross one
    {"id": "ivan", "positions": {"BTC-PERP": "0.5"}, "collateral": {"USDT": "2000"},
     "isolated": {"BTC-PERP": "300"}},
    *TINY,
]  # fmt: skip
SCENARIO = [  # positions written out of the market's order: the slots sort them by index
    {"id": "ana", "positions": {"ETH-PERP": "-1.5", "BTC-27DEC26-70000-C": "2", "BTC-PERP": "0"},
     "collateral": {"BTC": "0.5"}},
    {"id": "cyd", "positions": {}, "collateral": {"USDT": "20000"}},
]  # fmt: skip


def _node(job: dict, tmp_path: Path) -> dict:
    tool("snarkjs")  # the npm tools, and so the bundle, are installed
    if not VENDOR.is_file():
        missing("the site's bundle is not built: run `npm install` at the repository root")
    script = tmp_path / "run.mjs"
    script.write_text(RUN)
    proc = subprocess.run(
        ["node", str(script), str(VENDOR), (ASSETS / "encoding.js").as_uri()],
        input=json.dumps(job), capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("circuit", "market_path", "shape"),
    [
        ("collateral", MARKET, {}),
        ("isolated", MARKET, {}),
        ("scenario", DATA / "scenario_market.json", {"slots": 3, "assets": 4}),
    ],
)
def test_encoding_js_equals_the_python_reference(
    circuit: str, market_path: Path, shape: dict, tmp_path: Path
) -> None:
    market = load_market(market_path)
    cls = circuit_class(circuit)
    at = cls.shape_for(market, 2, **shape)
    docs = {"collateral": TINY, "isolated": ISOLATED}.get(circuit, SCENARIO)
    accounts = [parse_account(a, market=market) for a in docs]
    salts = [3**100 + i for i in range(len(accounts))]
    secrets = [5**90 + i for i in range(len(accounts))]
    statement = Statement(
        5, 8, 6, 7, 4, 1_763_625_600, 2, 2, 10**12, 10**11, (7, 0), extra=(1, 1, 0, 9), previous=3
    )
    siblings = [11, 22, 33]
    job = {
        "check": encoding_data(market, cls, at, "report.json"),
        "accounts": docs,
        "salts": [str(s) for s in salts],
        "secrets": [str(s) for s in secrets],
        "statement": statement.to_json(),
        "fields": statement.field_names(),
        "path": {"leaf": "44", "index": 5, "siblings": [str(s) for s in siblings]},
    }
    out = _node(job, tmp_path)
    assert out["ids"] == [str(id_hash(a.id)) for a in accounts]
    expected = [
        str(cls.account_leaf(market, a, s, at, k))
        for a, s, k in zip(accounts, salts, secrets, strict=True)
    ]
    assert out["leaves"] == expected
    assert out["statement"] == str(statement.hash())
    assert out["fields"] == [str(v) for v in statement.fields()]  # statement=fields' public inputs
    assert out["root"] == str(root_from_path(44, [1, 0, 1], siblings))
    # control: one more slot is another leaf, so a page with the wrong shape could not pass
    wider = replace(at, slots=at.slots + 1)
    assert expected != [
        str(cls.account_leaf(market, a, s, wider, k))
        for a, s, k in zip(accounts, salts, secrets, strict=True)
    ]
