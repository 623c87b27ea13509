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
    "collateral collateral 1": "813e1bb11b318c0dca1bdfa1a5e26f40f6325dadf0c83afc4a239a52dbe34967",
    "collateral collateral 2": "b155eef47955d13b229ef470a22852b549a964aa8dbc160dfd330e8686deffce",
    "cross cross 1": "9c9e2981b99b0119990f057c38009cfb935c4bca8840b3a559cea266d977fac7",
    "cross cross 2": "1cbde6abce47697f66518e2ece1a48defbfcefa89f23131174ebd2b932bb4c0b",
    "cross cross_initial 1": "eefb387fe536e74e381ad16fb39dfa7af72e1e7d62e0d6ba64e18c8285a0a53a",
    "cross cross_initial 2": "15c1f4a7c6146e1b0fc910a6fe38a495e678de29f7f1d9a9b53cd8a4788cd9e3",
    "cross cross_wide 1": "aaad751ad35e38d81c03e0a8ab76ca911d8aca4b32b50c7c22378e99320e6113",
    "cross cross_wide 2": "2e0826e25a6174589444eec0a15ac9215ae11ff09feaa12f097021a89809ddbb",
    "greeks greeks 1": "04255b0330c6ac270caa7fc6d4165d78a893a426671dc970b7a51325cea52fb0",
    "greeks greeks 2": "beffe929ebc59d841214e95e791e8b15ee93c6c2c8cf608e21f413798fda4092",
    "isolated cross 1": "b077372c5d7c7c90ca73d971023f7363c54093a3b1b607095b8e4f1ac9a7254c",
    "isolated cross 2": "37e71e8ed388b778ecfa2562f605bd695289de7d80381aa82d535e3e8fb87bff",
    "scenario scenario 1": "6028a64ff4681bffda575c93286b2f61946d9b7129ab3ce2caac3d5eb47f65c5",
    "scenario scenario 2": "f7331f1c53b76e9996778e91137f9c6ba8aab5de43547ce6f718245a3c8d1f47",
    "scenario scenario_initial 1": "e7cfa75846171b0124bc694e279520d4e46f7248fbf5b758282cd8dfc0411a71",
    "scenario scenario_initial 2": "3afaee4eb680e55fa3c01ea76959bee208b4e6b4423744294c28536eacdecfa2",
}


@pytest.mark.parametrize("case", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(compiled, case):
    model, key, size = case.split()
    _, cc, _ = compiled(model, key, int(size))
    assert r1cs_digest(cc) == FROZEN[case]
