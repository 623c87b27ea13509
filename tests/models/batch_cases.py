"""Shared helpers of the circuit tests: account builders, reference figures, checking.

Importable from the tests in this folder (``conftest.py`` puts the folder on ``sys.path``).
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.batch import BatchCircuit
from zkmargin.dsl import UnsatisfiedConstraint, check
from zkmargin.margin import Account, Market
from zkmargin.margin.fixed import QTY_SCALE


def reference(cls: type[BatchCircuit], market: Market, accounts: Sequence[Account]):
    """(collateral, requirement, excess ok?) per account from the reference calculator."""
    collateral, requirement, result = cls.reference_figures(market, accounts)
    ok = [
        c * 10**6 >= r * (10**6 + market.model.buffer)
        for c, r in zip(collateral, requirement, strict=True)
    ]
    if cls.model != "collateral":
        assert ok == [int(x) >= 0 for x in result.excess]
    return list(zip(collateral, requirement, strict=True)), ok


def prove_figures(compiled, model, key, accounts, batch_size, salts=None):
    circuit, cc, market = compiled(model, key, batch_size)
    salts = salts or [1000 + i for i in range(len(accounts))]
    inputs, statement = type(circuit).witness_inputs(
        market, accounts, salts, first_index=40, epoch=1_763_625_600, batch_size=batch_size
    )
    witness = cc.solve(inputs)
    return circuit, cc, market, witness, statement


def first_failure(cc, witness) -> str | None:
    try:
        check(cc.r1cs, witness)
    except UnsatisfiedConstraint as err:
        return err.name
    return None


def assert_agrees(compiled, model, key, accounts, batch_size):
    circuit, cc, market, witness, statement = prove_figures(
        compiled, model, key, accounts, batch_size
    )
    figures, ok = reference(type(circuit), market, accounts)
    got = circuit.figures(witness)
    assert got[: len(accounts)] == figures
    assert got[len(accounts) :] == [(0, 0)] * (batch_size - len(accounts))  # padding
    assert statement.total_collateral == sum(c for c, _ in figures)
    assert statement.total_requirement == sum(r for _, r in figures)
    failure = first_failure(cc, witness)
    if all(ok):
        assert failure is None
    else:
        bad = ok.index(False)
        assert failure == f"account[{bad}]/margin/covered/recompose"
    return failure


def scaled(x: str) -> int:
    """A decimal string at 10^8 (quantities, balances and money share the scale)."""
    whole, _, frac = x.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * QTY_SCALE + int((frac or "0").ljust(8, "0")))


def acct(
    name: str,
    positions: dict[str, str],
    collateral: dict[str, str],
    isolated: dict[str, str] | None = None,
) -> Account:
    return Account(
        name,
        {k: scaled(v) for k, v in positions.items()},
        {k: scaled(v) for k, v in collateral.items()},
        isolated={k: scaled(v) for k, v in (isolated or {}).items()},
    )


WORKED = {
    "cross": [
        acct("whale", {"BTC-PERP": "-30", "ETH-PERP": "12.5"}, {"BTC": "20", "USDT": "1000"}),
        acct("small", {"BTC-PERP": "0.01"}, {"USDT": "5"}),
    ],
    "scenario": [
        acct("hedged", {"BTC-PERP": "2", "BTC-C": "-3", "ETH-FUT": "-4.5"}, {"USDT": "90000"}),
        acct("writer", {"BTC-C": "-10"}, {"BTC": "0.5"}),
    ],
    "greeks": [
        acct("mixed", {"BTC-PERP": "-1", "BTC-C": "2", "BTC-P": "-3"}, {"USDT": "60000"}),
        acct("long", {"BTC-C": "1.5"}, {"BTC": "0.1", "USDT": "1"}),
    ],
}
WORKED["collateral"] = WORKED["cross"]
