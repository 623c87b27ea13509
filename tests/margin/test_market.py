"""Loading market snapshots: exact conversion, defaults, and one-line errors for bad input."""

from __future__ import annotations

import pytest

from zkmargin.errors import InputError
from zkmargin.margin import example_paths, load_market
from zkmargin.margin.fixed import MONEY_SCALE, PRICE_SCALE, RATE_SCALE


def test_converts_every_amount_exactly(market_doc, write_json):
    m = load_market(write_json(market_doc))
    assert m.assets["BTC"].haircut == ((0, 950000), (1_000_000 * MONEY_SCALE, 900000))
    assert m.underlyings["BTC"].price_scan_range == 160000
    perp = m.instruments["BTC-PERP"]
    assert perp.price == 65000 * PRICE_SCALE and perp.multiplier == PRICE_SCALE
    assert [b.mm_amount for b in perp.brackets] == [0, 50 * MONEY_SCALE]
    assert m.instruments["SP-FUT"].risk_array[2] == -3330 * MONEY_SCALE
    assert m.model.initial_factor == RATE_SCALE and m.model.level == "maintenance"
    assert m.instrument_names[0] == "BTC-PERP"  # file order is column order


def test_example_market_loads():
    market_path, _ = example_paths()
    m = load_market(market_path)
    kinds = {i.kind for i in m.instruments.values()}
    assert kinds == {"perpetual", "future", "option"}
    assert set(m.underlyings) == {"BTC", "ETH"} and len(m.assets) >= 3


def _edit(doc, path, value):
    *head, last = path
    for key in head:
        doc = doc[key]
    if value is _DELETE:
        del doc[last]
    else:
        doc[last] = value


_DELETE = object()

BAD = [
    (["assets", "BTC", "price"], "65000.000000001", "assets.BTC.price", "more than 8 decimals"),
    (["assets", "BTC", "price"], "-1", "assets.BTC.price", "negative"),
    (["assets", "BTC", "price"], 65000, "assets.BTC.price", "not of type 'string'"),
    (["assets", "BTC", "price"], "abc", "assets.BTC.price", "not a decimal string"),
    (["assets", "BTC", "haircut", 0, 1], "1.5", "assets.BTC.haircut[0][1]", "out of range"),
    (["assets", "BTC", "haircut", 1, 0], "0", "assets.BTC.haircut[1][0]", "floors must strictly"),
    (["assets", "BTC", "colour"], "red", "assets.BTC.colour", "unknown field"),
    (["underlyings", "BTC", "price_scan_range"], "1", "underlyings.BTC.price_scan_range", "below 1"),
    (["instruments", "BTC-PERP", "underlying"], "DOGE", "instruments.BTC-PERP.underlying",
     "unknown underlying 'DOGE'"),
    (["instruments", "BTC-PERP", "kind"], "swap", "instruments.BTC-PERP.kind", "is not one of"),
    (["instruments", "BTC-PERP", "strike"], "1", "instruments.BTC-PERP.strike", "only options"),
    (["instruments", "BTC-PERP", "brackets", 1, 1], "0.03", "instruments.BTC-PERP.brackets[1][1]",
     "maintenance rate above initial"),
    (["instruments", "BTC-PERP", "brackets", 0, 0], "1", "instruments.BTC-PERP.brackets[0][0]",
     "first floor must be 0"),
    (["instruments", "BTC-27DEC26-70000-C", "expiry"], "2026-11-19T08:00:00Z",
     "instruments.BTC-27DEC26-70000-C.expiry", "expired"),
    (["instruments", "BTC-27DEC26-70000-C", "strike"], _DELETE,
     "instruments.BTC-27DEC26-70000-C.strike", "required for an option"),
    (["instruments", "SP-FUT", "risk_array"], ["1", "2"], "instruments.SP-FUT.risk_array",
     "has 2 entries, grid 'span16' has 16"),
    (["epoch"], "2026-11-20 08:00", "epoch", "not a UTC time"),
    (["epoch"], "2026-13-20T08:00:00Z", "epoch", "not a UTC time"),
    (["model", "name"], "var", "model.name", "is not one of"),
    (["model", "initial_factor"], "0.9", "model.initial_factor", "at least 1"),
    (["model", "grid_params"], {"steps": "3"}, "model.grid_params", "bad parameters ['steps']"),
    (["model"], _DELETE, "(document)", "'model' is required"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "field", "problem"), BAD)
def test_bad_market_names_file_line_field_and_problem(
    market_doc, write_json, path, value, field, problem
):
    _edit(market_doc, path, value)
    file = write_json(market_doc)
    with pytest.raises(InputError) as info:
        load_market(file)
    err = info.value
    assert err.file == str(file) and err.field == field and problem in err.problem
    text = file.read_text().splitlines()
    if field != "(document)":
        # The line named is the line holding the offending key in the pretty-printed file.
        key = [p for p in path if isinstance(p, str)][-1]
        assert err.line is not None and f'"{key}"' in text[err.line - 1]
    assert "\n" not in str(err)


def test_invalid_json_names_the_line(write_text):
    file = write_text('{\n  "epoch": "2026-11-20T08:00:00Z",\n  "assets": {,\n}', "m.json")
    with pytest.raises(InputError, match=r"m\.json:3: invalid JSON"):
        load_market(file)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_market(tmp_path / "nope.json")


def test_unpriceable_option_is_reported(market_doc, write_json):
    # SPAN's extreme move of 3 × a 40 % range takes the price below zero: no pricer can value it.
    market_doc["model"]["grid_params"] = {"extreme_multiple": "3"}
    market_doc["underlyings"]["BTC"]["price_scan_range"] = "0.4"
    with pytest.raises(InputError) as info:
        load_market(write_json(market_doc))
    assert info.value.field == "instruments.BTC-27DEC26-70000-C.risk_array"
    assert "cannot price" in info.value.problem and info.value.line is not None


def test_zero_volatility_prices_at_intrinsic_value(market_doc, write_json):
    market_doc["underlyings"]["BTC"]["vol"] = "0"
    market = load_market(write_json(market_doc))
    assert market.underlyings["BTC"].vol == 0


def test_a_market_without_instruments_margins_collateral_only(market_doc, write_json):
    from zkmargin.margin import Account, calculate

    market_doc["instruments"] = {}
    m = load_market(write_json(market_doc))
    r = calculate(m, [Account("u", {}, {"USDT": 10**8})])
    assert (r.requirement[0], r.collateral_value[0]) == (0, MONEY_SCALE)
