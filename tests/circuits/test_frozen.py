"""The shipped model circuits compile to exactly the constraint systems they compiled to when
the statement gained the circuit digest (the isolated and health circuits' hooks change none).

A changed digest means keys made by an earlier ``zkmargin setup`` no longer fit: change a
shipped circuit on purpose only, and then update the digest here in the same commit.
"""

from __future__ import annotations

import pytest
from r1cs_digest import r1cs_digest

FROZEN = {
    "collateral collateral 1": "ed571273fa87bef6877e0cd3078e6de0baf937a337496ce8eac2bb31a3f1102e",
    "collateral collateral 2": "43a34c736dd95abd8c69e3bb5ce2c647cff6c366a7bd922a4d057660b0e0fe2a",
    "cross cross 1": "7c3cf005e6965d730cf23ddc23541545f5af53038bf32a9170d512d1cc0c4c26",
    "cross cross 2": "1fda50fe1369abb3c39cdac9dc4c18916ad72c778da73e90d055df47d0e24b70",
    "cross cross_initial 1": "d1a693a4cae5fb098f6eeb8ca070c4cd8fbed50ef4dbbb5241a217e66f6a46fa",
    "cross cross_initial 2": "5956c581660815513064da63a0178dec63f2c21da07a0fdd1c07073a2186a3c8",
    "cross cross_wide 1": "3e87ec527bccddf1da2d05d42d09176a1295c7931bbbbf05819a8c1c10998dd6",
    "cross cross_wide 2": "d26a478d10b4e161ef1860a8af584ee71fcf54e2bec963ef5dc1a7939f54c255",
    "scenario scenario 1": "3c4239a14e08934d6027d470c9cecb65ead35181781536761f429e28d5c29ca2",
    "scenario scenario 2": "d7176448e25635d02b8ccdbe107393c802a48e9fbd7db4c2a830af19118f6bb4",
    "scenario scenario_initial 1": "ae3f0b96fe4b69df00c4075404580b89fc6fed77380e94c15c9d8a072f16413c",
    "scenario scenario_initial 2": "2382bd5b8ffca978336855aea235bc334864a423978a0df525377ab559a45fb5",
    "greeks greeks 1": "722ed02f18a25f37a1d7372ff018ba569cb027f57603ffd6dbd3a8916b2449bd",
    "greeks greeks 2": "c38bc6261166b49d490e68940880599f06dad96c7565ccfcfad8762bfe9678ba",
}


@pytest.mark.parametrize("case", sorted(FROZEN))
def test_shipped_circuit_is_unchanged(compiled, case):
    model, key, size = case.split()
    _, cc, _ = compiled(model, key, int(size))
    assert r1cs_digest(cc) == FROZEN[case]
