"""A market the keys' shape cannot hold is refused with one line naming the field, for every
capacity of the shape; the shape inferred from the market holds it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from zkmargin.batch.shape import Shape, check_market_fits
from zkmargin.errors import InputError
from zkmargin.margin import example_paths, load_market

MARKET = load_market(example_paths()[0])
FITS = Shape.infer(MARKET, 1)


def test_the_inferred_shape_holds_its_market() -> None:
    check_market_fits(MARKET, FITS)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"instruments": 16}, "instruments: 23 listed, the keys hold 16"),
        ({"assets": 3}, "assets: 4 assets, the keys hold 3"),
        ({"tiers": 2}, "assets.BTC.haircut: 3 tiers, the keys hold 2"),
        ({"level": "initial"}, "model.level: maintenance, the keys are for initial"),
        ({"underlyings": 1}, "underlyings: 2 underlyings, the keys hold 1"),
        ({"brackets": 4}, "instruments.BTC-PERP.brackets: 5 brackets, the keys hold 4"),
        ({"scenarios": 26}, "model.grid: 27 scenarios, the keys hold 26"),
    ],
)
def test_a_market_over_a_capacity_is_refused_naming_it(change: dict[str, Any], message: str):
    assert (FITS.instruments, FITS.assets, FITS.tiers, FITS.underlyings) == (32, 4, 3, 2)
    with pytest.raises(InputError) as err:
        check_market_fits(MARKET, dataclasses.replace(FITS, **change))
    assert str(err.value) == f"{MARKET.source}: {message}"
