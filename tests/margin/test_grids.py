"""Scenario grid presets: sizes, exact moves, SPAN order, parameters and validation."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from zkmargin.models.scenario.grids import (
    GRID_NAMES,
    Scenario,
    as_fraction,
    crypto,
    finra10,
    grid,
    span16,
)


def moves(scenarios):
    return [(s.price_move, s.vol_move, s.cover) for s in scenarios]


def test_grid_names():
    assert GRID_NAMES == ("span16", "crypto", "finra10")
    for name in GRID_NAMES:
        assert grid(name) == {"span16": span16, "crypto": crypto, "finra10": finra10}[name]()


def test_span16_standard_order():
    # CME SPAN scenario table: 1-2 unchanged, then ±1/3, ±2/3, ±3/3 (up before down), each
    # vol up before vol down; 15-16 extreme up then down, vol unchanged, fractional cover.
    one = F(1)
    expected = [
        (F(0), 1, one),
        (F(0), -1, one),
        (F(1, 3), 1, one),
        (F(1, 3), -1, one),
        (F(-1, 3), 1, one),
        (F(-1, 3), -1, one),
        (F(2, 3), 1, one),
        (F(2, 3), -1, one),
        (F(-2, 3), 1, one),
        (F(-2, 3), -1, one),
        (F(1), 1, one),
        (F(1), -1, one),
        (F(-1), 1, one),
        (F(-1), -1, one),
        (F(3), 0, F(35, 100)),
        (F(-3), 0, F(35, 100)),
    ]
    assert moves(grid("span16")) == expected


@pytest.mark.parametrize(
    ("params", "multiple", "cover"),
    [
        ({"extreme_multiple": 2}, F(2), F(7, 20)),
        ({"extreme_multiple": "2.5", "extreme_cover": "0.3"}, F(5, 2), F(3, 10)),
        ({"extreme_cover": 0.35}, F(3), F(7, 20)),  # a float means its decimal repr
        ({"extreme_multiple": F(3), "extreme_cover": 1}, F(3), F(1)),
    ],
)
def test_span16_extreme_parameters(params, multiple, cover):
    scenarios = grid("span16", **params)
    assert moves(scenarios[14:]) == [(multiple, 0, cover), (-multiple, 0, cover)]
    # the 14 ordinary scenarios do not depend on the extreme parameters
    assert scenarios[:14] == span16()[:14]


def test_crypto_grid():
    scenarios = grid("crypto")
    assert len(scenarios) == 27
    assert moves(scenarios) == [(F(k, 4), v, F(1)) for k in range(-4, 5) for v in (1, 0, -1)]
    assert len(set(scenarios)) == 27
    assert [s.price_move for s in grid("crypto", steps=2)][::3] == [F(-1), F(-1, 2), 0, F(1, 2), 1]


def test_finra10_grid():
    scenarios = grid("finra10")
    assert len(scenarios) == 10
    assert all(s.vol_move == 0 and s.cover == 1 for s in scenarios)
    points = [s.price_move for s in scenarios]
    # ±15 % range -> ±3, 6, 9, 12, 15 %: ten equidistant points, none at zero, symmetric
    assert [p * 15 for p in points] == [-15, -12, -9, -6, -3, 3, 6, 9, 12, 15]
    assert sorted(points) == points and sorted(-p for p in points) == points


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("span17", {}, "unknown grid 'span17'"),
        ("span16", {"extreme_multiplier": 2}, "grid 'span16': bad parameters"),
        ("finra10", {"steps": 4}, "grid 'finra10': bad parameters"),
        ("span16", {"extreme_multiple": 0}, "extreme_multiple must be positive"),
        ("span16", {"extreme_cover": "1.5"}, "cover must lie in"),
        ("span16", {"extreme_cover": 0}, "cover must lie in"),
        ("span16", {"extreme_cover": "abc"}, "not an exact number"),
        ("crypto", {"steps": 0}, "steps must be an integer from 1 to 64"),
        ("crypto", {"steps": 2.0}, "steps must be an integer from 1 to 64"),
    ],
)
def test_grid_rejects(name, params, message):
    with pytest.raises(ValueError, match=message):
        grid(name, **params)


def test_scenario_normalises_and_validates():
    assert Scenario(1, 0, "0.35") == Scenario(F(1), 0, F(7, 20))
    assert hash(Scenario(1, 0)) == hash(Scenario(F(1), 0, F(1)))
    assert Scenario("-1/3", 1).price_move == F(-1, 3)
    for bad_vol in (2, -2, True, 0.5, 1.0):
        with pytest.raises(ValueError, match="vol_move"):
            Scenario(F(0), bad_vol)
    with pytest.raises(TypeError):
        as_fraction(True, "cover")
