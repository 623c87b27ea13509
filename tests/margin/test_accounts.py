"""Streaming account readers (JSON Lines, CSV) and their one-line errors."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zkmargin.errors import InputError
from zkmargin.margin import example_paths, load_market, parse_account, parse_market, read_accounts
from zkmargin.margin.accounts import _conforms
from zkmargin.margin.fixed import QTY_SCALE
from zkmargin.margin.schema import schema


@pytest.fixture
def market(market_doc):
    return parse_market(market_doc, "m.json")


def _jsonl(records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_jsonl_and_csv_read_the_same_accounts():
    _, jsonl = example_paths()
    csv_path = jsonl.with_suffix(".csv")
    m = load_market(jsonl.parent / "example_market.json")
    a = [(x.id, dict(x.positions), dict(x.collateral)) for x in read_accounts(jsonl, m)]
    b = [(x.id, dict(x.positions), dict(x.collateral)) for x in read_accounts(csv_path, m)]
    assert a == b and len(a) >= 200


def test_reads_lazily_one_account_at_a_time(write_text, market):
    # The bad record on line 3 is only reached when the consumer asks for it.
    file = write_text(
        _jsonl([{"id": "u1", "positions": {"BTC-PERP": "1"}}, {"id": "u2"}]) + "not json\n",
        "a.jsonl",
    )
    it = read_accounts(file, market)
    assert next(it).positions == {"BTC-PERP": QTY_SCALE}
    assert next(it).id == "u2"
    with pytest.raises(InputError, match=r"a\.jsonl:3: invalid JSON"):
        next(it)


def test_blank_lines_are_skipped_and_lines_counted(write_text, market):
    file = write_text('\n{"id": "u1"}\n\n{"id": "u2"}\n', "a.jsonl")
    assert [(a.id, a.line) for a in read_accounts(file, market)] == [("u1", 2), ("u2", 4)]


BAD_JSONL = [
    ({"id": "u9", "positions": {"DOGE-PERP": "1"}}, "positions.DOGE-PERP", "unknown instrument"),
    ({"id": "u9", "collateral": {"XRP": "1"}}, "collateral.XRP", "unknown collateral asset"),
    ({"id": "u9", "collateral": {"USDT": "-5"}}, "collateral.USDT", "negative value not allowed"),
    ({"id": "u9", "positions": {"BTC-PERP": "0.000000001"}}, "positions.BTC-PERP", "more than 8"),
    ({"id": "u9", "positions": {"BTC-PERP": "92233720368.54775808"}}, "positions.BTC-PERP",
     "out of range"),
    ({"id": "u9", "positions": {"BTC-PERP": 1}}, "positions.BTC-PERP", "not of type 'string'"),
    ({"id": "u9", "margin": {}}, "margin", "unknown field"),
    ({"positions": {}}, "(document)", "'id' is required"),
    ({"id": "u 9"}, "id", "invalid name"),
    ({"id": "u1"}, "id", "duplicate account id 'u1'"),
]  # fmt: skip


@pytest.mark.parametrize(("record", "field", "problem"), BAD_JSONL)
def test_bad_jsonl_line(write_text, market, record, field, problem):
    file = write_text(_jsonl([{"id": "u1"}, {"id": "u2"}, record]), "a.jsonl")
    with pytest.raises(InputError) as info:
        list(read_accounts(file, market))
    err = info.value
    assert (err.file, err.line, err.field) == (str(file), 3, field)
    assert problem in err.problem


CSV_OK = "account,kind,name,amount\nu1,position,BTC-PERP,-2.5\nu1,collateral,USDT,100\nu2,collateral,BTC,1\n"


def test_csv_layout(write_text, market):
    accounts = list(read_accounts(write_text(CSV_OK, "a.csv"), market))
    assert [(a.id, a.line) for a in accounts] == [("u1", 2), ("u2", 4)]
    assert accounts[0].positions == {"BTC-PERP": -250000000}
    assert accounts[0].collateral == {"USDT": 100 * QTY_SCALE}


BAD_CSV = [
    ("account,type,name,amount\n", 1, "header", "expected account,kind,name,amount"),
    (CSV_OK + "u3,loan,USDT,1\n", 5, "kind", "must be position or collateral"),
    (CSV_OK + "u3,collateral,USDT\n", 5, "row", "expected 4 columns"),
    (CSV_OK + "u3,collateral,USDT,1.123456789\n", 5, "collateral.USDT", "more than 8"),
    (CSV_OK + "u3,collateral,USDT,1\nu3,collateral,USDT,2\n", 6, "collateral.USDT", "listed twice"),
    (CSV_OK + "u3,position,ETH-PERP,1\n", 5, "positions.ETH-PERP", "unknown instrument"),
    (CSV_OK + "u1,collateral,BTC,1\n", 5, "id", "duplicate account id 'u1'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "field", "problem"), BAD_CSV)
def test_bad_csv_row(write_text, market, text, line, field, problem):
    file = write_text(text, "a.csv")
    with pytest.raises(InputError) as info:
        list(read_accounts(file, market))
    assert (info.value.line, info.value.field) == (line, field)
    assert problem in info.value.problem


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"must end in \.jsonl or \.csv"):
        read_accounts(tmp_path / "a.txt")
    with pytest.raises(InputError, match="no such file"):
        read_accounts(tmp_path / "a.jsonl")


def is_valid(doc) -> bool:
    return jsonschema.Draft202012Validator(schema("account")).is_valid(doc)


names = st.sampled_from(["BTC-PERP", "USDT", "u1", "a b", "", "x\n", "é", "A" * 65, "k:1/2@x"])
values = st.one_of(
    st.sampled_from(["1", "-2.5", "0.00000001", "1.", ".5", "1e3", "٣", "1\n", " 1", "+1"]),
    st.integers(-3, 3),
    st.none(),
)
records = st.one_of(
    st.dictionaries(
        st.sampled_from(["id", "positions", "collateral", "extra"]),
        st.one_of(names, st.dictionaries(names, values, max_size=3), values),
        max_size=4,
    ),
    st.lists(st.integers(), max_size=2),
    names,
)


@settings(max_examples=400)
@given(records)
def test_fast_check_never_accepts_what_the_schema_rejects(doc):
    fast = _conforms(doc)
    schema_ok = is_valid(doc)
    assert not (fast and not schema_ok)
    if schema_ok and not fast:  # only a name ending in a line break may differ
        assert "\n" in json.dumps(doc, ensure_ascii=False).replace("\\n", "\n")


@given(records)
def test_every_bad_record_gets_one_line_error(doc):
    try:
        parse_account(doc, "a.jsonl", 1)
    except InputError as err:
        assert str(err).startswith("a.jsonl:1: ") and err.problem
