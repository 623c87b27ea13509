"""The shipped model circuits compile to exactly the constraint systems recorded here (collateral
and scenario: digests of the sparse-slot encoding at its default shape for each test market).

A changed digest means keys made by an earlier ``zkmargin setup`` no longer fit: change a
shipped circuit on purpose only, and then update the digest here in the same commit.
"""

from __future__ import annotations

import pytest
from r1cs_digest import r1cs_digest

FROZEN = {
    "collateral collateral 1": "a5bd141384f7547fc934b2a591025bb1de99591a8649b7b22aea2d1d1103193f",
    "collateral collateral 2": "3a040138b5ac9a80591d04f0e5fe8a065597f1d3b74f8d87484d7f20414ecbe7",
    "cross cross 1": "538507771d8866d35f00121aabced5ec56cffa2cd264a13df4ff5b7cd9a96ec3",
    "cross cross 2": "fca7ca3584e047c6e798ab53041098a89206c650e687081e05301251e34ad863",
    "cross cross_initial 1": "5c73ce7e837bbce4cd277698f765028b5ca5287542c82683857903f28580120f",
    "cross cross_initial 2": "78ce0d5285c9c55efb6a6385e637a91ce4c88db1ef10ea5fb11f704d670a072f",
    "cross cross_wide 1": "5c2c680a0edf43b26a5f680681da11f4d521815db5f80657374f697bdfd4a8cf",
    "cross cross_wide 2": "d500504a8a987dca3e40202bc952f395239e80f5d26a62aac2a4c62fee00581e",
    "scenario scenario 1": "dbf1eafb7ad360580b282c0ebbde790882df91eca593b31bef13a672119ec84b",
    "scenario scenario 2": "2fcf939bec6d56b6bf234bea111ff5864723020639d1f48da9e33978921bd07e",
    "scenario scenario_initial 1": "502dc5c51ef111491a36aba172491a401f82ff8543d8babbd42a7807bd506096",
    "scenario scenario_initial 2": "424532221c78f7ef40b22aac0198222d64fa43f99b78da76ebeb6337b0a7e581",
    "greeks greeks 1": "48c326a740bf048123e952ab991f4ecb609942c631adddebae0179b9b573c275",
    "greeks greeks 2": "1a4b5b8252e96099ab219fa6665425df724c4a62973ee0378a941bd38bbf8730",
}


@pytest.mark.parametrize("case", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(compiled, case):
    model, key, size = case.split()
    _, cc, _ = compiled(model, key, int(size))
    assert r1cs_digest(cc) == FROZEN[case]
