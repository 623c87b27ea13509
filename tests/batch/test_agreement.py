"""The circuit's hashes equal the reference encodings, value by value (not only via the
statement), and a tiny batch survives a Groth16 round trip with our prover and verifier."""

from __future__ import annotations

import random

import pytest

from zkmargin.batch import account_commitment, account_leaf, load_model_circuit, market_vector
from zkmargin.dsl import check, compile_circuit
from zkmargin.groth16 import prove, setup_unsafe_dev, verification_key, verify
from zkmargin.hash import MerkleTree
from zkmargin.margin import Account, parse_market

MARKET = parse_market(
    {
        "epoch": "2026-11-20T08:00:00Z",
        "assets": {"USDT": {"price": "1"}, "ETH": {"price": "3000", "haircut": [["0", "0.9"]]}},
        "underlyings": {"ETH": {"price": "3000"}},
        "instruments": {
            "ETH-PERP": {
                "kind": "perpetual",
                "underlying": "ETH",
                "brackets": [["0", "0.01", "0.02"]],
            }
        },
        "model": {"name": "cross"},
    }
)
ACCOUNTS = [
    Account("carol", {"ETH-PERP": -3 * 10**8}, {"USDT": 2000 * 10**8, "ETH": 10**7}),
    Account("dave", {}, {"USDT": 10**8}),
]


@pytest.fixture(scope="module")
def collateral_batch():
    cls = load_model_circuit("collateral")
    circuit = cls(MARKET, 4)
    cc = compile_circuit(circuit)
    inputs, statement = cls.witness_inputs(MARKET, ACCOUNTS, [5, 6], 8, 42, batch_size=4)
    witness = cc.solve(inputs)
    check(cc.r1cs, witness)
    return circuit, cc, witness, statement


def test_leaves_root_and_hashes_match_the_reference(collateral_batch):
    circuit, _, witness, statement = collateral_batch
    slots = [[(0, -3 * 10**8)], [(0, 0)]]  # one slot (one instrument listed)
    leaves = [
        account_leaf(account_commitment(a.id, 0), salt, s, balances)
        for a, salt, s, balances in zip(
            ACCOUNTS, [5, 6], slots, [[2000 * 10**8, 10**7], [10**8, 0]], strict=True
        )
    ]
    assert circuit.traced("leaves", witness) == [*leaves, 0, 0]  # padding: the zero leaf
    assert circuit.traced("root", witness) == MerkleTree(leaves, 2).root == statement.batch_root
    assert circuit.traced("market_hash", witness) == market_vector(MARKET, circuit.shape).hash()
    assert circuit.traced("statement_hash", witness) == statement.hash()
    assert statement.count == 2 and statement.first_index == 8 and statement.epoch == 42
    assert statement.asset_totals == (2001 * 10**8, 10**7)


@pytest.mark.slow
def test_groth16_round_trip():
    """Our setup (one party, dev only), prover and verifier on a 2-slot batch, one slot padded."""
    cls = load_model_circuit("collateral")
    cc = compile_circuit(cls(MARKET, 2))
    inputs, statement = cls.witness_inputs(MARKET, ACCOUNTS[:1], [5], 0, 42, batch_size=2)
    witness = cc.solve(inputs)
    zkey = setup_unsafe_dev(cc.r1cs, rng=random.Random(5))
    proof, public = prove(zkey, witness, rng=random.Random(6))
    vk = verification_key(zkey)
    assert public == [statement.hash()]
    assert verify(vk, public, proof)
    assert not verify(vk, [(statement.hash() + 1) % cc.r1cs.prime], proof)
