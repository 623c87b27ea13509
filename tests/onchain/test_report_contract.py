"""The report-level contract in a real EVM, in both designs (the statement's fields as the
proof's public inputs, and the statement hash recomputed in Solidity): every batch of a real
report verifies and the snapshot is recorded as proven with the report's totals; a tampered
statement field, proof or order is refused (each beside the honest control)."""

from __future__ import annotations

import json
import subprocess

import pytest
from evm import Chain, words
from interop import tool

from zkmargin.batch.statement import STATEMENT_TAG
from zkmargin.curve import curve_by_name
from zkmargin.formats.snarkjs_json import Proof, VerifyingKey
from zkmargin.hash import poseidon_sponge
from zkmargin.onchain import proof_words
from zkmargin.onchain.report_contract import USED_FIELDS, report_contract, scalar_fields

pytestmark = [pytest.mark.interop, pytest.mark.slow]

R = curve_by_name("bn128").fr.p
COMMIT = "commitSnapshot(uint256,uint256,uint256,uint256,uint64)"
PROVE = "proveBatch(uint256[],uint256[2],uint256[2][2],uint256[2])"
VERIFY = "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[1])"


class Snapshots:
    """The deployed contract, with the report's snapshot committed by its owner."""

    def __init__(self, chain: Chain, design) -> None:
        self.chain, self.c, self.batches = chain, design.report, design.batches
        self.address = chain.deploy(self.c)
        first = self.batches[0].statement
        self.epoch, self.table, self.market = first.epoch, first.table_root, first.market_hash
        self.previous = first.previous
        self.accounts = sum(b.statement.count for b in self.batches)  # slots, padding included
        snapshot = (self.epoch, self.table, self.market, self.previous, self.accounts)
        assert self.send(COMMIT, words(*snapshot)).success

    def send(self, signature: str, args: bytes, sender: str = Chain.SENDER):
        return self.chain.call(self.address, self.c.selectors[signature] + args, sender)

    def prove(self, fields: list[int], proof: list[int]):
        # Head: the offset of the dynamic `fields` (after 1 + 8 head words), the proof words.
        return self.send(PROVE, words(32 * 9, *proof, len(fields), *fields))

    def refused(self, fields: list[int], proof: list[int]) -> str:
        receipt = self.prove(fields, proof)
        assert not receipt.success
        return self.c.error(receipt.output)

    def view(self, signature: str, *args: int) -> int:
        return self.send(signature, words(*args)).word


def test_every_batch_verifies_and_the_snapshot_is_proven(design, contracts, chain) -> None:
    s = Snapshots(chain, design)
    gas = []
    for i, batch in enumerate(design.batches):
        if design.mode == "fields":  # the proof's public inputs are the fields themselves
            assert batch.public == batch.statement.fields()
        assert s.view("isProven(uint256)", s.epoch) == 0
        receipt = s.prove(batch.statement.fields(), proof_words(batch.proof))
        assert receipt.success, s.c.error(receipt.output)
        gas.append(receipt.gas)
        if i + 1 < len(design.batches):  # in order: a batch cannot be sent twice
            again = s.refused(batch.statement.fields(), proof_words(batch.proof))
            assert again == "WrongFirstIndex(uint256,uint256)"
    assert s.view("isProven(uint256)", s.epoch) == 1
    totals = design.report_json["totals"]
    record = s.send("snapshots(uint256)", words(s.epoch)).output
    slots = [int.from_bytes(record[k : k + 32], "big") for k in range(0, len(record), 32)]
    assert slots[:3] == [s.table, s.market, s.previous]
    assert slots[3:6] == [s.accounts, s.accounts, len(design.batches)]
    assert slots[7:9] == [int(totals["collateral_value"]), int(totals["requirement"])]
    # a proven snapshot takes no more batches
    first = design.batches[0]
    assert s.refused(first.statement.fields(), proof_words(first.proof)) == "AlreadyProven(uint256)"
    if design.mode == "fields":  # the target: snarkjs's one-input verifier + 30 %, every batch
        b = contracts.batches[0]
        call = contracts.snarkjs.selectors[VERIFY] + words(*proof_words(b.proof), *b.public)
        snarkjs = chain.call(chain.deploy(contracts.snarkjs), call)
        assert snarkjs.success and snarkjs.word == 1
        assert max(gas) <= 1.3 * snarkjs.gas, (gas, snarkjs.gas)


def expected_refusal(mode: str, name: str) -> str:
    """What the contract answers for a changed field ``name``: a proof failure, unless the
    fields design checks the field before the proof (folded into the key at commit)."""
    if mode == "fields":
        before_the_proof = {
            "circuit_id": "WrongCircuit()",
            "circuit_digest": "WrongCircuit()",
            "epoch": "UnknownSnapshot(uint256)",
            "table_root": "WrongTable(uint256,uint256)",
            "market_hash": "WrongMarket(uint256,uint256)",
            "previous": "WrongPrevious(uint256,uint256)",
        }
        return before_the_proof.get(name, "InvalidProof()")
    return "InvalidProof()"


def test_refuses_tampered_fields_and_proofs(design, chain) -> None:
    s = Snapshots(chain, design)
    mode = design.mode
    batch = design.batches[0]
    fields, proof = batch.statement.fields(), proof_words(batch.proof)
    for i, name in enumerate(batch.statement.field_names()):
        changed = list(fields)
        changed[i] = (changed[i] + 1) % R
        assert s.refused(changed, proof) == expected_refusal(mode, name), name
        aliased = list(fields)
        aliased[i] += R  # the same field element, another integer: must not pass as it
        alias = "NotAFieldElement(uint256)" if mode == "hash" else expected_refusal(mode, name)
        assert s.refused(aliased, proof) == alias, name
    count = "WrongFieldCount(uint256)" if mode == "fields" else None
    assert s.refused(fields[:-1], proof) == (count or "InvalidProof()")  # a field dropped
    assert s.refused([*fields, 0], proof) == (count or "InvalidProof()")  # a field appended
    assert s.refused(fields[:3], proof) == (count or "TooFewFields(uint256)")
    bn = curve_by_name("bn128")
    p = batch.proof
    other = Proof(p.curve, bn.g1_add(p.a, p.a), p.b, p.c)
    assert s.refused(fields, proof_words(other)) == "InvalidProof()"
    assert s.refused(fields, [proof[0], proof[1] + bn.q, *proof[2:]]) == "InvalidProof()"
    second = design.batches[1]
    assert s.refused(second.statement.fields(), proof) == "InvalidProof()"  # another's proof
    # order: batch 1 before batch 0
    refusal = s.refused(second.statement.fields(), proof_words(second.proof))
    assert refusal == "WrongFirstIndex(uint256,uint256)"
    assert s.prove(fields, proof).success  # control: the honest batch, after all that


def test_refuses_other_snapshots_and_strangers(design) -> None:
    c = design.report
    batch = design.batches[0]
    fields, proof = batch.statement.fields(), proof_words(batch.proof)
    # No snapshot committed for the epoch: a valid proof alone records nothing.
    bare = Chain()
    address = bare.deploy(c)
    receipt = bare.call(address, c.selectors[PROVE] + words(32 * 9, *proof, len(fields), *fields))
    assert not receipt.success
    assert c.error(receipt.output) == "UnknownSnapshot(uint256)"
    # A snapshot committed with another table root, market hash, previous report or fewer
    # accounts refuses the batch; the control commits the batch's own and takes it.
    st = batch.statement
    for table, market, previous, accounts, error in (
        (st.table_root + 1, st.market_hash, st.previous, 5, "WrongTable(uint256,uint256)"),
        (st.table_root, st.market_hash + 1, st.previous, 5, "WrongMarket(uint256,uint256)"),
        (st.table_root, st.market_hash, st.previous + 1, 5, "WrongPrevious(uint256,uint256)"),
        (st.table_root, st.market_hash, st.previous, 1, "WrongCount(uint256)"),
        (st.table_root, st.market_hash, st.previous, 5, None),
    ):
        chain = Chain()
        s = chain.deploy(c)
        commit = c.selectors[COMMIT] + words(st.epoch, table, market, previous, accounts)
        assert chain.call(s, commit).success
        prove = c.selectors[PROVE] + words(32 * 9, *proof, len(fields), *fields)
        receipt = chain.call(s, prove)
        if error is None:
            assert receipt.success, c.error(receipt.output)
        else:
            assert c.error(receipt.output) == error
    # Only the deployer commits snapshots, once per epoch.
    chain = Chain()
    s = chain.deploy(c)
    commit = c.selectors[COMMIT] + words(batch.statement.epoch, 0, 1, 0, 5)
    stranger = "0x" + "77" * 20
    chain.evm.set_balance(stranger, 10**20)
    assert c.error(chain.call(s, commit, stranger).output) == "NotOwner()"
    assert chain.call(s, commit).success
    assert c.error(chain.call(s, commit).output) == "EpochTaken(uint256)"
    if design.mode == "fields":  # the folded fields must be field elements (control above)
        alias = c.selectors[COMMIT] + words(batch.statement.epoch + 1, R, 1, 0, 5)
        assert c.error(chain.call(s, alias).output) == "NotAFieldElement(uint256)"


def test_snarkjs_accepts_field_mode_proofs(fields_proven, tmp_path) -> None:
    """snarkjs verifies a proof whose public inputs are the statement's fields, and refuses it
    with one field changed (the control)."""
    report = fields_proven / "report"
    public = report / "batches" / "0" / "public.json"
    vk, proof = report / "verification_key.json", report / "batches" / "0" / "proof.json"
    changed = json.loads(public.read_text())
    changed[-1] = str(int(changed[-1]) + 1)
    (tmp_path / "public.json").write_text(json.dumps(changed))
    for signals, ok in ((public, True), (tmp_path / "public.json", False)):
        run = subprocess.run(
            [tool("snarkjs"), "groth16", "verify", str(vk), str(signals), str(proof)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert ("OK!" in run.stdout + run.stderr) is ok, run.stdout + run.stderr


@pytest.mark.parametrize("n_fields", [0, 1, 10, 15, 16, 31, 32])
def test_solidity_statement_hash_equals_the_statement_hash(contracts, chain, n_fields) -> None:
    """One sponge block holds the tag and 15 fields: lengths on both sides of each boundary."""
    fields = [(R - 1 - 7919 * k) % R for k in range(n_fields)]  # large values: no easy carries
    address = chain.deploy(contracts.hash)
    receipt = chain.call(
        address, contracts.hash.selectors["hash(uint256[])"] + words(32, n_fields, *fields)
    )
    assert receipt.success
    assert receipt.word == poseidon_sponge([STATEMENT_TAG, *fields])
    if n_fields == 10:
        assert receipt.word != poseidon_sponge([STATEMENT_TAG, *fields, 0])  # control: length bound


def test_field_positions_come_from_the_statement(contracts) -> None:
    """The contract reads each field at the position Statement.fields() hashes it, so fields
    added to the statement flow through."""
    statement = contracts.batches[0].statement
    names = scalar_fields()
    assert set(USED_FIELDS) <= set(names)
    assert [getattr(statement, n) for n in names] == statement.fields()[: len(names)]
    bn = curve_by_name("bn128")
    n = len(statement.fields())
    hashed = report_contract(VerifyingKey("bn128", 1, bn.g1, bn.g2, bn.g2, bn.g2, (bn.g1,) * 2), 2)
    public = VerifyingKey("bn128", n, bn.g1, bn.g2, bn.g2, bn.g2, (bn.g1,) * (n + 1))
    fields = report_contract(public, 2, "fields", circuit=(statement.circuit_id, 0))
    for text in (hashed, fields):
        for i, name in enumerate(names):
            assert f"uint256 internal constant F_{name.upper()} = {i};" in text
