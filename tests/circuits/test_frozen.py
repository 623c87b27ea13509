"""The shipped model circuits compile to exactly the constraint systems they compiled to before
the isolated and health circuits extended the base class (digests taken at commit 019cf13).

A changed digest means keys made by an earlier ``zkmargin setup`` no longer fit: change a
shipped circuit on purpose only, and then update the digest here in the same commit.
"""

from __future__ import annotations

import pytest
from r1cs_digest import r1cs_digest

FROZEN = {
    "collateral collateral 1": "3ac586cfde5431e10fd988b7eff4782d99c9af2de4348d9d0f1a17dd08e2498e",
    "collateral collateral 2": "22355e62e47e17f2a82e2cd5f276fe349ae52d123e1ec36a380f0d2f0d470166",
    "cross cross 1": "538507771d8866d35f00121aabced5ec56cffa2cd264a13df4ff5b7cd9a96ec3",
    "cross cross 2": "fca7ca3584e047c6e798ab53041098a89206c650e687081e05301251e34ad863",
    "cross cross_initial 1": "5c73ce7e837bbce4cd277698f765028b5ca5287542c82683857903f28580120f",
    "cross cross_initial 2": "78ce0d5285c9c55efb6a6385e637a91ce4c88db1ef10ea5fb11f704d670a072f",
    "cross cross_wide 1": "5c2c680a0edf43b26a5f680681da11f4d521815db5f80657374f697bdfd4a8cf",
    "cross cross_wide 2": "d500504a8a987dca3e40202bc952f395239e80f5d26a62aac2a4c62fee00581e",
    "scenario scenario 1": "1d312e86379fa4c45080ebb36adef04a230804ee2126f62f965ba5ff8275365b",
    "scenario scenario 2": "d3b99fd930c9cf8746526d6b2bb099a12a7089b1e830e04b0eeec6865a2c0bfb",
    "scenario scenario_initial 1": "f67e005cd17924797882c4aa56703cc3eb1f264bd54cf963730ed8be7170a010",
    "scenario scenario_initial 2": "159371b21eab70634cf5bed0ac18e1724c7005c9bee62c9fa8520bc02450427e",
    "greeks greeks 1": "48c326a740bf048123e952ab991f4ecb609942c631adddebae0179b9b573c275",
    "greeks greeks 2": "1a4b5b8252e96099ab219fa6665425df724c4a62973ee0378a941bd38bbf8730",
}


@pytest.mark.parametrize("case", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(compiled, case):
    model, key, size = case.split()
    _, cc, _ = compiled(model, key, int(size))
    assert r1cs_digest(cc) == FROZEN[case]
