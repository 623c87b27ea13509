"""The shipped model circuits compile to exactly the constraint systems recorded here (collateral,
scenario, greeks, cross and isolated: digests of the sparse-slot encoding at its default shape
for each test market).

A changed digest means keys made by an earlier ``zkmargin setup`` no longer fit: change a
shipped circuit on purpose only, and then update the digest here in the same commit.
"""

from __future__ import annotations

import pytest
from r1cs_digest import r1cs_digest

FROZEN = {
    "collateral collateral 1": "a5bd141384f7547fc934b2a591025bb1de99591a8649b7b22aea2d1d1103193f",
    "collateral collateral 2": "3a040138b5ac9a80591d04f0e5fe8a065597f1d3b74f8d87484d7f20414ecbe7",
    "cross cross 1": "265495c37a281e53259d1969c5875b78d418871220051f2eadd3dd49fe5d29b0",
    "cross cross 2": "acdde37e3980277947f9ee6c79c71b110742a016de0768576eed1677040ab537",
    "cross cross_initial 1": "32e9ae9455da7818609485190937655a8af79fd82c8ee47b1dbe8c9e676478e7",
    "cross cross_initial 2": "d27cf91c62a1227cf29beb704c1a090236691ba026bc0338293a70cf15553c29",
    "cross cross_wide 1": "ebc1e2fa557d319b30855a774fcf09ec0aef93019da2bbb57ec848e85646c34a",
    "cross cross_wide 2": "3bda0a30e59c55c575b095c76f50068ef9951c987082f14ff03c46341f61a735",
    "isolated cross 1": "e620c9e6c03c866103a17dfb1c6a8504bc18af47d15a9dbec902310fa8d8c6a8",
    "isolated cross 2": "ed547b8eb1eca737ea0336932e7f3f8822a4ee1e1040ff6cbd8f47d9427c8063",
    "scenario scenario 1": "dbf1eafb7ad360580b282c0ebbde790882df91eca593b31bef13a672119ec84b",
    "scenario scenario 2": "2fcf939bec6d56b6bf234bea111ff5864723020639d1f48da9e33978921bd07e",
    "scenario scenario_initial 1": "502dc5c51ef111491a36aba172491a401f82ff8543d8babbd42a7807bd506096",
    "scenario scenario_initial 2": "424532221c78f7ef40b22aac0198222d64fa43f99b78da76ebeb6337b0a7e581",
    "greeks greeks 1": "ac6a322fe20722a10d8a176ec570aa0381cf51c415623bcfc391160bb6915b60",
    "greeks greeks 2": "16e41808767f14e6eea39752aab07711cc2345ffd389df843999795d2c66b83f",
}


@pytest.mark.parametrize("case", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(compiled, case):
    model, key, size = case.split()
    _, cc, _ = compiled(model, key, int(size))
    assert r1cs_digest(cc) == FROZEN[case]
