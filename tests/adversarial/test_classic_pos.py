"""The classic proof-of-solvency bugs, tried against this pipeline: a dummy account with a
field-"negative" balance deflating the totals, ids that alias, and an inclusion claim outside
the proven range."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from adversarial.forge import cli, read, write
from solvency.tiny import ACCOUNTS, BATCH_SIZE, MARKET

from zkmargin.batch import account_commitment, id_hash
from zkmargin.dsl import UnsatisfiedConstraint, check
from zkmargin.field import BN254_FR
from zkmargin.margin import load_market, read_accounts
from zkmargin.solvency import Invalid, layout, verify_inclusion
from zkmargin.solvency.batch_model import batch_model

P = BN254_FR.p
EPOCH = 1_763_625_600


@pytest.fixture(scope="module")
def tiny():
    market = load_market(MARKET)
    return batch_model("cross", market, BATCH_SIZE), list(read_accounts(ACCOUNTS, market))


def test_wrapped_balance_cannot_deflate_a_total(tiny) -> None:
    model, accounts = tiny
    alice, bob = accounts[:2]
    inputs, st = model.cls.witness_inputs(
        model.market, [alice, bob], [11, 12], 0, EPOCH,
        batch_size=BATCH_SIZE, circuit_digest=model.circuit_digest,
    )  # fmt: skip
    check(model.compiled.r1cs, model.compiled.solve(inputs))  # control: the honest batch
    # bob's USDT balance replaced by "-1 USDT" (p - 10^8), the USDT total restated to match.
    inputs["balances"][1][0] = P - 10**8
    usdt = st.asset_totals[0] - bob.collateral["USDT"] - 10**8
    forged = replace(st, asset_totals=(usdt, *st.asset_totals[1:]))
    inputs["statement"] = forged.hash()
    with pytest.raises(UnsatisfiedConstraint, match=re.escape("account[1]/balance[0]/range64")):
        check(model.compiled.r1cs, model.compiled.solve(inputs))


def test_ids_do_not_alias(report_copy: Path) -> None:
    # Packing the id bytes straight into a field element makes "a" and "\0a" (and ids p apart)
    # one account; the length-prefixed id hash keeps them apart.
    assert id_hash("a") != id_hash("\x00a") and id_hash("a") != id_hash("a\x00")
    path = layout.receipt_path(layout.private_dir(report_copy), "alice")
    verify_inclusion(path, report_copy)  # control
    doc = read(path)
    doc["account"]["id"] = "alicf"  # another id, everything else alice's
    doc["commitment"] = str(account_commitment("alicf", int(doc["secret"])))  # and its pseudonym
    write(path, doc)
    with pytest.raises(Invalid, match="leaf does not match the account data, secret, salt and id"):
        verify_inclusion(path, report_copy)


def test_duplicate_ids_are_refused_at_proving(tmp_path: Path, keys_dir: Path) -> None:
    accounts = tmp_path / "accounts.jsonl"
    line = ACCOUNTS.read_text().splitlines()[0]
    accounts.write_text(f"{line}\n{line}\n")
    code, out = cli("prove", accounts, "--market", MARKET, "--keys", keys_dir,
                    "--out", tmp_path / "report", "--quiet")  # fmt: skip
    assert code == 2 and "duplicate" in out and "alice" in out, out


def test_inclusion_outside_the_proven_range_is_refused(report_copy: Path) -> None:
    # erin is alone in the padded last batch (count 1). Slot 1 is a leaf of the tree (the zero
    # leaf, with a valid path) but outside every proven range: it is never counted.
    path = layout.receipt_path(layout.private_dir(report_copy), "erin")
    verify_inclusion(path, report_copy)  # control
    doc = read(path)
    siblings = list(doc["siblings"])
    doc.update(position=1, index=5, leaf="0", siblings=[doc["leaf"], *siblings[1:]])
    write(path, doc)
    with pytest.raises(Invalid, match=re.escape("position 1 is outside batch 2's proven range")):
        verify_inclusion(path, report_copy)
