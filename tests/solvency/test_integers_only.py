"""A report verifies with every floating-point function perturbed in its last bits: the
verifier reads only integers.

While ``verify`` runs, every float function of ``math`` and ``numpy`` and the pricers the
calculator builds its tables with return their result moved by one ulp (``nextafter``), and
count their calls. The report still verifies, and not one of them is called. Beside it, the
control: under the same perturbation the calculator's float tables do change.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from solvency.test_cli import run as cli
from solvency.tiny import SCENARIO_MARKET

import zkmargin.margin.pricing as pricing
import zkmargin.margin.tables as tables
import zkmargin.models.greeks.calculator as greeks_calculator
import zkmargin.models.greeks.sensitivities as greeks_module
import zkmargin.models.scenario.calculator as scenario_calculator
from zkmargin.margin import load_market
from zkmargin.solvency import verify_inclusion, verify_report

MATH = ("exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "cbrt", "pow", "erf", "erfc",
        "gamma", "lgamma", "sin", "cos", "tan", "atan", "atan2", "hypot", "fsum", "fabs")  # fmt: skip
NUMPY = ("exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "cbrt", "power", "float_power",
         "sin", "cos", "tan", "tanh", "hypot", "rint", "floor", "ceil", "round")  # fmt: skip
PRICERS = (
    (pricing, ("normal_cdf", "normal_pdf", "black76", "contract_pnl", "scenario_losses")),
    (greeks_module, ("greeks",)),
    (scenario_calculator, ("scenario_losses",)),  # the names the models' calculators imported
    (greeks_calculator, ("greeks",)),
)


def up_one_ulp(value: Any) -> Any:
    """``value`` with every float moved to the next float above it (ints and bools as are)."""
    if isinstance(value, float):
        return math.nextafter(value, math.inf)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.nextafter(value, np.inf)
    if isinstance(value, np.floating):
        return np.nextafter(value, np.inf)
    if isinstance(value, list):
        return [up_one_ulp(v) for v in value]
    if isinstance(value, tuple):
        return tuple(up_one_ulp(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: up_one_ulp(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


@contextmanager
def perturbed() -> Iterator[dict[str, int]]:
    """Every listed function returns its result one ulp up while inside; yields the calls per
    function."""
    calls: dict[str, int] = {}
    mp = pytest.MonkeyPatch()

    def wrap(label: str, fn: Callable) -> Callable:
        def moved(*args: Any, **kwargs: Any) -> Any:
            calls[label] = calls.get(label, 0) + 1
            return up_one_ulp(fn(*args, **kwargs))

        return moved

    targets = [(math, MATH), (np, NUMPY), *PRICERS]
    try:
        for module, names in targets:
            for name in names:
                if hasattr(module, name):
                    label = f"{module.__name__}.{name}"
                    mp.setattr(module, name, wrap(label, getattr(module, name)))
        yield calls
    finally:
        mp.undo()


def test_the_perturbation_is_real() -> None:
    """Control: the calculator's float tables move under the perturbation."""
    market = load_market(SCENARIO_MARKET)
    honest = tables.build_tables(market)
    with perturbed() as calls:
        moved = tables.build_tables(market)
    assert calls.get("zkmargin.margin.pricing.black76", 0) > 0 and calls.get("math.erfc", 0) > 0
    assert not np.array_equal(honest.own_rows(exact=False), moved.own_rows(exact=False))
    assert math.nextafter(1.0, math.inf) != 1.0  # the perturbation moves a float at all


def test_a_report_verifies_with_every_float_function_perturbed(scenario_report: Path) -> None:
    with perturbed() as calls:
        loaded = verify_report(scenario_report)
        inclusion = verify_inclusion(
            scenario_report.parent / "report.private" / "receipts" / "dee.json", scenario_report
        )
        res = cli("verify", scenario_report)
    assert res.exit_code == 0, res.output
    assert loaded.report.totals.accounts == 2 and inclusion.receipt.account.id == "dee"
    assert calls == {}, f"the verifier computed in floating point: {calls}"
