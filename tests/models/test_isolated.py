"""The isolated-margin circuit: agrees with ``isolated_margin`` and refuses every forgery.

Markets from ``circuit_markets.MARKETS["cross"]`` (BTC-PERP at 20,000 with brackets 0.5 %/2 %, 1 %/3 %,
2 %/5 %; ETH-PERP); the buffer is a market value, so a buffer-0 variant reuses the circuit.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest
from batch_cases import acct, first_failure, scaled
from circuit_markets import MARKETS, market
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.batch import Statement, load_model_circuit
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.margin import (
    Account,
    Bracket,
    calculate,
    isolated_linear_perpetual,
    isolated_margin,
    parse_account,
    parse_market,
    read_accounts,
)
from zkmargin.margin.fixed import MONEY_SCALE as M
from zkmargin.margin.fixed import PRICE_SCALE, QTY_SCALE

P = BN254_FR.p
EPOCH = 1_763_625_600


def prove(compiled, key, accounts, mkt=None, size=2, salts=None):
    circuit, cc, m = compiled("isolated", key, size)
    m = mkt or m
    salts = salts or [11 + i for i in range(len(accounts))]
    inputs, statement = type(circuit).witness_inputs(
        m, accounts, salts, first_index=0, epoch=EPOCH, batch_size=size
    )
    return circuit, cc, m, inputs, statement, cc.solve(inputs)


def expected_failure(result, accounts, names) -> str | None:
    """The first constraint an honest witness fails: accounts in order, within one its
    isolated positions in slot order (held instruments by index), then its cross part."""
    for i, account in enumerate(accounts):
        held = [j for j, name in enumerate(names) if account.positions.get(name)]
        for k, j in enumerate(held):
            if result.isolated[i, j] and result.isolated_excess[i, j] < 0:
                return f"account[{i}]/isolated[{k}]/covered/recompose"
        if result.cross_excess[i] < 0:
            return f"account[{i}]/cross/covered/recompose"
    return None


def check_agreement(compiled, key, accounts, mkt=None, size=2):
    circuit, cc, m, _, statement, witness = prove(compiled, key, accounts, mkt, size)
    ref = isolated_margin(m, accounts)
    figures = list(zip(map(int, ref.collateral_value), map(int, ref.requirement), strict=True))
    assert circuit.figures(witness)[: len(accounts)] == figures
    assert statement.total_collateral == sum(c for c, _ in figures)
    assert statement.total_requirement == sum(r for _, r in figures)
    failure = first_failure(cc, witness)
    assert failure == expected_failure(ref, accounts, m.instrument_names)
    assert (failure is None) == bool(all(ref.covered))
    assert type(circuit).shortfalls(m, accounts) == [int(s) for s in ref.shortfall]
    return failure


# -- the worked example: 1 BTC at 20,000, 50x, MMR 0.5 % ------------------------------------------
POSITION = isolated_linear_perpetual(
    QTY_SCALE, 20_000 * PRICE_SCALE, [Bracket(0, 5000, 20000)], leverage=50
)


def test_worked_example_figures():
    assert [POSITION.initial_margin // M, POSITION.maintenance_margin // M] == [400, 100]
    assert [
        POSITION.liquidation_price // PRICE_SCALE,
        POSITION.bankruptcy_price // PRICE_SCALE,
    ] == [
        19_700,
        19_600,
    ]


@pytest.mark.parametrize(
    "key,level_margin", [("cross_initial", "initial_margin"), ("cross", "maintenance_margin")]
)
def test_isolated_requirement_at_entry_is_the_position_margin(compiled, key, level_margin):
    """At mark = entry, the circuit's per-position requirement is isolated_linear_perpetual's
    margin at that level; a balance of exactly that covers it (buffer 0), one unit less not."""
    need = getattr(POSITION, level_margin)
    m = market(key, buffer="0")
    for balance, failure in ((need, None), (need - 1, "account[0]/isolated[0]/covered/recompose")):
        a = Account("iso", {"BTC-PERP": QTY_SCALE}, {}, isolated={"BTC-PERP": balance})
        assert int(isolated_margin(m, [a]).requirement_each[0, 0]) == need
        circuit, cc, *_, witness = prove(compiled, key, [a], m, size=1)
        assert circuit.figures(witness) == [(balance, need)]
        assert first_failure(cc, witness) == failure


def marked_market(price: int):
    doc = copy.deepcopy(MARKETS["cross"])
    doc["underlyings"]["BTC"]["price"] = str(price // PRICE_SCALE)
    doc["model"]["buffer"] = "0"
    return parse_market(doc, "marked.json")


@pytest.mark.parametrize("at,covered", [("liquidation_price", True), ("bankruptcy_price", False)])
def test_marked_to_market_at_liquidation_and_bankruptcy(compiled, at, covered):
    """Opened with 400 at 20,000; marked at the calculator's liquidation price 19,700 the
    balance (allocation + unrealised P&L) is 100, which still covers the maintenance margin at
    the mark (98.5: the liquidation price is conservative); at bankruptcy (19,600) it is 0."""
    mark = getattr(POSITION, at)
    pnl = (mark - 20_000 * PRICE_SCALE) * M // PRICE_SCALE  # 1 BTC long, multiplier 1
    balance = POSITION.initial_margin + pnl
    a = Account("iso", {"BTC-PERP": QTY_SCALE}, {}, isolated={"BTC-PERP": balance})
    m = marked_market(mark)
    ref = isolated_margin(m, [a])
    assert int(ref.requirement_each[0, 0]) == -(-mark * 5000 // 10**6) * M // PRICE_SCALE
    failure = check_agreement(compiled, "cross", [a], m, size=1)
    assert failure == (None if covered else "account[0]/isolated[0]/covered/recompose")


def test_cross_part_is_checked_apart_from_the_isolated_part(compiled):
    """Plenty of isolated balance does not cover a cross position: the cross wallet must."""
    rich_iso = acct(
        "a", {"BTC-PERP": "1", "ETH-PERP": "-10"}, {"USDT": "1"}, {"BTC-PERP": "100000"}
    )
    assert check_agreement(compiled, "cross", [rich_iso]) == "account[0]/cross/covered/recompose"
    # ... although the account's total funds cover its total requirement many times.
    ref = isolated_margin(market("cross"), [rich_iso])
    assert int(ref.collateral_value[0]) > 100 * int(ref.requirement[0])


# -- random portfolios ---------------------------------------------------------------------------
INSTRUMENTS = ("BTC-PERP", "ETH-PERP")


@st.composite
def accounts(draw, n_max=2):
    out = []
    for i in range(draw(st.integers(1, n_max))):
        positions = {
            k: draw(st.integers(-40 * QTY_SCALE, 40 * QTY_SCALE).filter(bool))
            for k in draw(st.sets(st.sampled_from(INSTRUMENTS)))
        }
        held = sorted(positions)
        chosen = draw(st.sets(st.sampled_from(held))) if held else set()
        isolated = {k: draw(st.integers(0, 30_000 * M)) for k in chosen}
        collateral = draw(
            st.dictionaries(st.sampled_from(["USDT", "BTC"]), st.integers(0, 10**5 * QTY_SCALE))
        )
        out.append(Account(f"r{i}", positions, collateral, isolated=isolated))
    return out


@pytest.mark.parametrize("key", ["cross", "cross_initial", "cross_wide"])
@settings(max_examples=8, deadline=None)
@given(portfolio=accounts())
def test_random_portfolios_match_the_reference(compiled, key, portfolio):
    check_agreement(compiled, key, portfolio)


# -- forgeries ---------------------------------------------------------------------------------------
ALICE = acct(
    "alice", {"BTC-PERP": "-2", "ETH-PERP": "3"}, {"BTC": "0.1", "USDT": "50"}, {"BTC-PERP": "500"}
)


@pytest.fixture
def honest(compiled):
    circuit, cc, m, inputs, statement, witness = prove(compiled, "cross", [ALICE])
    assert first_failure(cc, witness) is None
    return circuit, cc, m, inputs, statement


def failure_with(cc, inputs, forge=None, **changes):
    return first_failure(cc, cc.solve({**inputs, **changes}, forge=forge))


def wire(cc, name):
    return cc.r1cs.wire_names.index(name)


def sign_bit(cc, prefix):
    """The top bit of a comparison's decomposition (its sign: 1 when the difference is >= 0)."""
    bits = [n for n in cc.r1cs.wire_names if n.startswith(f"{prefix}/bits[")]
    return wire(cc, max(bits, key=lambda n: int(n.rsplit("[", 1)[1][:-1])))


def with_extra(inputs, slot, index, value):
    extra = [row[:] for row in inputs["extra"]]
    extra[slot][index] = value % P
    return extra


@pytest.mark.parametrize("q", [2**63, P // 2])
def test_wrapped_quantity(honest, q):
    _, cc, _, inputs, _ = honest
    quantities = [row[:] for row in inputs["slot_quantity"]]
    quantities[0][0] = q % P
    assert failure_with(cc, inputs, slot_quantity=quantities) == (
        "account[0]/slot[0]/quantity/signed_range64/recompose"
    )


@pytest.mark.parametrize("value", [-1, 2**64])
def test_wrapped_isolated_balance(honest, value):
    _, cc, _, inputs, _ = honest
    extra = with_extra(inputs, 0, 2, value)  # [flags (K = 2), balances (2)]: slot 0's balance
    assert failure_with(cc, inputs, extra=extra) == (
        "account[0]/extra/slot[0]/balance/range64/recompose"
    )


def test_isolated_flag_must_be_boolean(honest):
    _, cc, _, inputs, _ = honest
    assert failure_with(cc, inputs, extra=with_extra(inputs, 0, 0, 2)) == (
        "account[0]/extra/slot[0]/flag"
    )


def test_cross_position_holds_no_isolated_balance(honest):
    """A balance parked on a cross position (flag 0) would count as collateral for nothing."""
    _, cc, _, inputs, _ = honest
    assert failure_with(cc, inputs, extra=with_extra(inputs, 0, 3, 10**8)) == (
        "account[0]/extra/slot[1]/cross_has_no_balance"
    )


def test_unused_slot_isolates_nothing(compiled):
    """An unused slot flagged isolated with a balance would add phantom funds to the account's
    collateral (its requirement is 0, so its own check passes): refused."""
    one = acct("one", {"BTC-PERP": "-2"}, {"USDT": "1000"}, {"BTC-PERP": "500"})
    _, cc, _, inputs, _, witness = prove(compiled, "cross", [one])
    assert first_failure(cc, witness) is None
    extra = with_extra(inputs, 0, 1, 1)  # slot 1 (unused) flagged isolated ...
    extra[0][3] = 10**12  # ... holding 10,000
    assert failure_with(cc, inputs, extra=extra) == "account[0]/extra/slot[1]/unused_not_isolated"


def test_allocation_forged_changes_the_leaf(compiled):
    """Short 2 BTC needs 200 × 1.1 = 220 (MMR 0.5 %, buffer 10 %): 219.99999999 fails at its
    own check; raising the balance in the witness covers it but changes the leaf."""
    poor = acct("p", {"BTC-PERP": "-2"}, {"USDT": "1000"}, {"BTC-PERP": "219.99999999"})
    _, cc, _, inputs, _, witness = prove(compiled, "cross", [poor])
    assert first_failure(cc, witness) == "account[0]/isolated[0]/covered/recompose"
    extra = with_extra(inputs, 0, 2, scaled("220"))
    assert failure_with(cc, inputs, extra=extra) == "statement"


def test_isolation_flag_flipped_moves_the_requirement_and_the_leaf(compiled):
    """Declaring the under-margined isolated position cross (flag 0, balance 0) lets the cross
    wallet cover it — only by changing the committed leaf."""
    poor = acct("p", {"BTC-PERP": "-2"}, {"USDT": "1000"}, {"BTC-PERP": "1"})
    _, cc, _, inputs, _, _ = prove(compiled, "cross", [poor])
    extra = with_extra(inputs, 0, 0, 0)  # BTC-PERP declared cross...
    extra[0][2] = 0  # ... and its isolated balance dropped
    assert failure_with(cc, inputs, extra=extra) == "statement"


def test_padded_slot_cannot_hold_an_isolated_balance(honest):
    """A padded account's slots are unused, so they isolate nothing (checked before its
    values are required to be 0)."""
    _, cc, _, inputs, _ = honest
    assert failure_with(cc, inputs, extra=with_extra(inputs, 1, 0, 1)) == (
        "account[1]/extra/slot[0]/unused_not_isolated"
    )


def test_forged_sibling_leaf(compiled):
    two = [ALICE, acct("bob", {"ETH-PERP": "1"}, {"USDT": "100"}, {"ETH-PERP": "50"})]
    _, cc, _, inputs, _, witness = prove(compiled, "cross", two)
    assert first_failure(cc, witness) is None
    leaf = wire(cc, "account[1]/leaf/real_or_zero")
    assert failure_with(cc, inputs, forge={leaf: witness[leaf] + 1}) == (
        "account[1]/leaf/real_or_zero"
    )


def test_forged_bracket_choice(compiled):
    """A whale at notional 600,000 (bracket 3 of 6, hinted index): a cheaper bracket fails."""
    whale = acct("w", {"BTC-PERP": "-30"}, {"BTC": "20"}, {"BTC-PERP": "100000"})
    _, cc, _, inputs, _, witness = prove(compiled, "cross_wide", [whale], size=1)
    index = wire(cc, "account[0]/requirement/slot[0]/bracket/index")
    assert first_failure(cc, witness) is None and witness[index] == 3
    assert failure_with(cc, inputs, forge={index: 2}).startswith(
        "account[0]/requirement/slot[0]/bracket/below_next/"
    )


def test_forged_bracket_flag(compiled):
    """Three brackets compare the notional with each floor: a flipped comparison fails."""
    big = acct("b", {"BTC-PERP": "-3"}, {"USDT": "1"}, {"BTC-PERP": "10000"})  # 60,000: bracket 1
    _, cc, _, inputs, _, witness = prove(compiled, "cross", [big])
    sign = sign_bit(cc, "account[0]/requirement/slot[0]/bracket_above[1]/diff")
    assert failure_with(cc, inputs, forge={sign: 1 - witness[sign]}) == (
        "account[0]/requirement/slot[0]/bracket_above[1]/diff/recompose"
    )


def test_position_requirement_cannot_be_rounded_down(honest):
    _, cc, _, inputs, _ = honest
    q = wire(cc, "account[0]/requirement/slot[0]/maintenance_charge/quotient")
    value = cc.solve(inputs)[q]
    assert failure_with(cc, inputs, forge={q: value - 1}).startswith(
        "account[0]/requirement/slot[0]/maintenance_charge/remainder/"
    )


def test_statement_totals_bind_the_isolated_balances(honest):
    _, cc, _, inputs, statement = honest
    lie = dataclasses.replace(statement, total_collateral=statement.total_collateral - 1)
    assert failure_with(cc, {**inputs, "statement": lie.hash()}) == "statement"
    assert isinstance(statement, Statement) and statement.extra == ()


# -- the accounts format ------------------------------------------------------------------------
def test_accounts_format_isolated_field():
    m = market("cross")
    doc = {"id": "u1", "positions": {"BTC-PERP": "1"}, "isolated": {"BTC-PERP": "400.5"}}
    assert parse_account(doc, market=m).isolated == {"BTC-PERP": 40_050_000_000}
    for isolated, problem in [
        ({"ETH-PERP": "1"}, "isolated.ETH-PERP: isolated margin for an instrument the account"),
        ({"BTC-PERP": "-1"}, "isolated.BTC-PERP: negative"),
        ({"XRP-PERP": "1"}, "isolated.XRP-PERP: unknown instrument"),
        ({"BTC-PERP": "0.000000001"}, "isolated.BTC-PERP: more than 8 decimals"),
    ]:
        with pytest.raises(InputError, match=problem):
            parse_account({**doc, "isolated": isolated}, "a.jsonl", 3, market=m)


def test_accounts_csv_isolated_rows(tmp_path):
    m = market("cross")
    path = tmp_path / "a.csv"
    path.write_text(
        "account,kind,name,amount\n"
        "u1,position,BTC-PERP,-2\n"
        "u1,isolated,BTC-PERP,250\n"
        "u1,collateral,USDT,10\n"
        "u2,isolated,ETH-PERP,5\n"
        "u2,collateral,USDT,10\n",
        "utf-8",
    )
    reader = read_accounts(path, m)
    assert next(reader).isolated == {"BTC-PERP": 25_000_000_000}
    with pytest.raises(InputError, match=r"a\.csv:5: isolated\.ETH-PERP: isolated margin for"):
        next(reader)


def test_receipt_leaf_is_the_leaf_the_circuit_commits(compiled):
    """``cls.account_leaf`` (what receipts and inclusion checks recompute) equals the leaf the
    circuit hashed: the extended leaf (per slot: isolation flag, isolated balance)."""
    circuit, cc, m = compiled("isolated", "cross", 2)
    inputs, _ = type(circuit).witness_inputs(m, [ALICE], [99], 0, EPOCH, batch_size=2)
    witness = cc.solve(inputs)
    leaf = type(circuit).account_leaf(m, ALICE, 99, circuit.shape)
    assert circuit.traced("leaves", witness) == [leaf, 0]
    assert leaf != load_model_circuit("cross").account_leaf(m, ALICE, 99, circuit.shape)


# -- the reference itself -------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(portfolio=accounts(n_max=3))
def test_reference_is_cross_margin_split_by_position(portfolio):
    """isolated_margin against the cross calculator: each position's requirement is the cross
    requirement of that position alone; without isolated positions it IS cross margin."""
    m = market("cross")
    ref = isolated_margin(m, portfolio)
    cross = calculate(m, portfolio, model="cross")
    for i, a in enumerate(portfolio):
        for j, name in enumerate(m.instrument_names):
            alone = Account("x", {name: a.positions.get(name, 0)}, {})
            assert ref.requirement_each[i, j] == calculate(m, [alone], model="cross").requirement[0]
        plain = calculate(m, [dataclasses.replace(a, isolated={})], model="cross")
        if not a.isolated:
            assert (ref.collateral_value[i], ref.requirement[i]) == (
                cross.collateral_value[i],
                cross.requirement[i],
            )
            assert bool(ref.covered[i]) == (plain.excess[0] >= 0)
        assert bool(ref.covered[i]) == (ref.shortfall[i] == 0)
        assert ref.shortfall[i] >= max(0, -int(ref.collateral_value[i]) + int(plain.threshold[0]))
