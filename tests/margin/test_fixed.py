"""The decimal parser, formatter and the circuit's rescales."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.margin.fixed import (
    MONEY_SCALE,
    QTY_BOUND,
    QTY_SCALE,
    RATE_SCALE,
    UNSIGNED_BOUND,
    div_ceil,
    div_floor,
    format_decimal,
    parse_decimal,
)


@given(st.integers(-(QTY_BOUND - 1), QTY_BOUND - 1))
def test_format_then_parse_is_identity(value):
    assert (
        parse_decimal(format_decimal(value, QTY_SCALE), QTY_SCALE, signed=True, bound=QTY_BOUND)
        == value
    )


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [("0", RATE_SCALE, 0), ("1", RATE_SCALE, 10**6), ("0.004", RATE_SCALE, 4000),
     ("65000", MONEY_SCALE, 65000 * 10**8), ("0.00000001", QTY_SCALE, 1), ("1.50000000000", QTY_SCALE, 150000000),
     ("007.5", QTY_SCALE, 750000000)],
)  # fmt: skip
def test_parse_examples(text, scale, expected):
    assert parse_decimal(text, scale) == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "problem"),
    [
        ("0.000000001", {}, "more than 8 decimals"),
        ("-1", {}, "negative value not allowed"),
        ("1e5", {}, "not a decimal"),
        (".5", {}, "not a decimal"),
        ("1.", {}, "not a decimal"),
        (" 1", {}, "not a decimal"),
        ("+1", {}, "not a decimal"),
        ("184467440737.09551616", {}, "out of range"),
        ("92233720368.54775808", {"signed": True, "bound": QTY_BOUND}, "out of range"),
        ("-92233720368.54775808", {"signed": True, "bound": QTY_BOUND}, "out of range"),
    ],
)
def test_parse_rejects(text, kwargs, problem):
    with pytest.raises(ValueError, match=problem):
        parse_decimal(text, QTY_SCALE, **kwargs)


def test_parse_rejects_non_strings():
    for value in (1, 1.5, None, True):
        with pytest.raises(ValueError, match="expected a decimal string"):
            parse_decimal(value, QTY_SCALE)


def test_largest_values_are_accepted():
    assert (
        parse_decimal(format_decimal(UNSIGNED_BOUND - 1, QTY_SCALE), QTY_SCALE)
        == UNSIGNED_BOUND - 1
    )
    assert parse_decimal("-92233720368.54775807", QTY_SCALE, signed=True, bound=QTY_BOUND) == -(
        QTY_BOUND - 1
    )


@given(st.integers(-(2**130), 2**130), st.integers(1, 2**70))
def test_rescales_are_the_circuits_quotients(x, d):
    q = div_floor(x, d)
    r = x - q * d
    assert 0 <= r < d  # the circuit proves x = q·d + r with 0 <= r < d
    c = div_ceil(x, d)
    assert c == q + (r != 0)
    assert c * d >= x > (c - 1) * d
