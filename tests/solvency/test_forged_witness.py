"""A forged witness yields no verifying Groth16 proof under real keys.

The keys are the scenario circuit's (capacity 8, 2 slots, a Merkle path per slot). Each
forgery is refused by ``check()`` naming its constraint; proven anyway with the fast prover
(which does not check the constraints), its proof does not verify for its statement. Beside
them, the honest witness's proof verifies.
"""

from __future__ import annotations

import random

import pytest
from solvency.tiny import SCENARIO_MARKET, SCENARIO_SHAPE

from zkmargin.batch.table import row_leaf
from zkmargin.dsl import check
from zkmargin.dsl.r1cs import UnsatisfiedConstraint
from zkmargin.formats.snarkjs_json import read_verification_key
from zkmargin.formats.zkey_arrays import read_zkey_arrays
from zkmargin.groth16 import prove, verify
from zkmargin.margin import Account, load_market
from zkmargin.solvency import layout
from zkmargin.solvency.batch_model import batch_model
from zkmargin.solvency.keys import read_key_info

pytestmark = pytest.mark.slow

OPTION = "BTC-27DEC26-70000-C"  # row 0 of the table; rows 3..7 list nothing
DEE = Account("dee", {OPTION: -(10**8)}, {"USDT": 9000 * 10**8})


@pytest.fixture(scope="module")
def keyed(circuit_keys):
    keys = circuit_keys("scenario", SCENARIO_MARKET, **SCENARIO_SHAPE)
    market = load_market(SCENARIO_MARKET)
    model = batch_model("scenario", market, read_key_info(keys).shape)
    inputs, statement = model.cls.witness_inputs(
        market,
        [DEE],
        [11],
        0,
        market.epoch_seconds,
        shape=model.shape,
        circuit_digest=model.circuit_digest,
    )
    zkey = read_zkey_arrays(keys / layout.ZKEY)
    return model, inputs, statement, zkey, read_verification_key(keys / layout.VKEY)


def proof_verifies(keyed, inputs, refused_at: str | None) -> bool:
    """Solve ``inputs`` (unchecked), assert ``check()``'s verdict, prove with the fast prover
    and verify against the statement the inputs claim."""
    model, _, _, zkey, vk = keyed
    witness = model.compiled.solve(inputs)
    if refused_at is None:
        check(model.compiled.r1cs, witness)
    else:
        with pytest.raises(UnsatisfiedConstraint) as err:
            check(model.compiled.r1cs, witness)
        assert err.value.name == refused_at
    proof, public = prove(zkey, witness, random.Random(5), backend="fast")
    assert public == [inputs["statement"]]
    return verify(vk, public, proof)


def test_honest_witness_proof_verifies(keyed) -> None:
    _, inputs, statement, _, _ = keyed
    assert inputs["statement"] == statement.hash()
    assert proof_verifies(keyed, inputs, None)


def test_slot_on_an_unlisted_row_yields_no_proof(keyed) -> None:
    """The option's slot moved to row 5 (inside the capacity, listing nothing: an all-zero row,
    no risk), with row 5's true path: ``listed`` refuses it, and so does the pairing."""
    model, inputs, _, _, _ = keyed
    table = model.market_data.table
    ghost = {
        **inputs,
        "slot_index": [[5, 0], *inputs["slot_index"][1:]],
        "rows": [[list(table.row(5)), inputs["rows"][0][1]], *inputs["rows"][1:]],
        "paths": [
            [[x for level in table.path(5) for x in level], inputs["paths"][0][1]],
            *inputs["paths"][1:],
        ],
    }
    assert not proof_verifies(keyed, ghost, "account[0]/slot[0]/listed")


def test_altered_row_yields_no_proof(keyed) -> None:
    """The option's risk entries (columns 4 on) zeroed, its leaf placed in the path so the
    first level agrees: the path no longer reaches the committed root."""
    _, inputs, _, _, _ = keyed
    row = list(inputs["rows"][0][0])
    row[4:] = [0] * (len(row) - 4)
    path = list(inputs["paths"][0][0])
    path[0] = row_leaf(row)  # row 0 is child 0 of its node
    altered = {
        **inputs,
        "rows": [[row, inputs["rows"][0][1]], *inputs["rows"][1:]],
        "paths": [[path, inputs["paths"][0][1]], *inputs["paths"][1:]],
    }
    assert not proof_verifies(keyed, altered, "account[0]/slot[0]/row/root")
