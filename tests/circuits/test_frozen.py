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
    "collateral collateral 1": "e95cda82d7eaecacf7c1c67580a37bd0c0291646c12fdce695016f05c1fd1063",
    "collateral collateral 2": "2530985bd3445e9884964590e1a740ea28c53b39e5fa5cc83b2144ffe72e40b5",
    "cross cross 1": "2ccb371d061f5bf0db6f8c73c9a6aa7f1cfef01cac2b190ed2c7181b3bc482c8",
    "cross cross 2": "202aca808ea4e912a5f6be26699980a23e436a31ed2c368051fb815436dd3344",
    "cross cross_initial 1": "1d61ae26c8fa850e4c569559754e41ebd73541461a88adb70d933261da5a95f0",
    "cross cross_initial 2": "ad2b412981ea3d19eeb36ff6c17b651cf8065cd2be4cd33b6a60773210b46a24",
    "cross cross_wide 1": "3777ced25cc243c52422e2d4c55ee6c6db467f0ac566d1f691a74c0e34e0d579",
    "cross cross_wide 2": "de3e2d795c86793c8686b30ae86c8d81ab1a679bf39a0d59dd7b674e922b1586",
    "isolated cross 1": "32f9b549ea068bf35533bf959b6eb0a3c8f207e6228cba6d42783d3dd13b8c41",
    "isolated cross 2": "6e801ed6e6390c4999c08b5ec4da32711ed8f847255a9ea1b8a1f16da80623f9",
    "scenario scenario 1": "b0b292122226a8df1e5990c67766f861b614a72d7fc3960adc68e2d7d6b57441",
    "scenario scenario 2": "41725a7a44ac1b07ceae8417c0dc5ced7095251c01bdeb917b7d5678d3863e40",
    "scenario scenario_initial 1": "6a40d9e7e4d8d78a1f7a894753ccbd7884b394c58dc692c5ba6f8634adda725d",
    "scenario scenario_initial 2": "32b8ccafa1e11ffc93594e3352224aeadbce56ef6ac1dbc564549250be2451e8",
    "greeks greeks 1": "22cf84b074eb877371d406248cfdaa4d556fe877a21a340712f29ccd36b5fb4f",
    "greeks greeks 2": "ddbccecc545b35e8f3937b5ec00d374a67971b46b599acf3956ac122b225739e",
}


@pytest.mark.parametrize("case", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(compiled, case):
    model, key, size = case.split()
    _, cc, _ = compiled(model, key, int(size))
    assert r1cs_digest(cc) == FROZEN[case]
