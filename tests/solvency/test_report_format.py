"""report.json round trips, and malformed reports are refused naming the field."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zkmargin.batch import Shape, Statement
from zkmargin.batch.health import HEALTH_TOTALS as HEALTH
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import BatchEntry, Excluded, Totals

felt = st.integers(0, BN254_FR.p - 1)
small = st.integers(0, 2**80)


@st.composite
def reports(draw) -> Report:
    n_assets = draw(st.integers(1, 4))
    assets = tuple(f"A{i}" for i in range(n_assets))
    size = draw(st.integers(1, 8))
    # a circuit's own totals (statement extra): none for most circuits, health's four
    extra_names = draw(st.sampled_from([(), ("shortfall",), HEALTH]))
    batches = []
    first = 0
    for n in range(draw(st.integers(1, 4))):
        count = draw(st.integers(1, size))
        s = Statement(
            draw(felt), 33, 11, 22, draw(felt), 1_763_625_600, first, count, draw(small),
            draw(small), tuple(draw(small) for _ in assets), tuple(draw(small) for _ in extra_names),
        )  # fmt: skip
        batches.append(BatchEntry.of(n, s))
        first += count
    excluded = tuple(
        Excluded(f"u{i}", draw(st.integers(1, 10**12))) for i in range(draw(st.integers(0, 3)))
    )
    return Report(
        epoch="2026-11-20T08:00:00Z",
        circuit="cross",
        model="cross",
        level=draw(st.sampled_from(["maintenance", "initial"])),
        shape=Shape(size, draw(st.integers(1, 9)), 1 << draw(st.integers(0, 12)), n_assets, 2),
        curve="bn128",
        table_root=33,
        market_hash=11,
        circuit_id=22,
        assets=assets,
        totals=Totals.of(
            batches, n_assets, extra_names, ("healthy",) if draw(st.booleans()) else None
        ),
        batches=tuple(batches),
        excluded=excluded,
        root=draw(felt),
        circuit_digest=draw(felt),
        claim="each of them meets its margin",
    )


@given(reports())
def test_round_trip(report: Report) -> None:
    assert Report.from_json(report.to_json()) == report


@given(reports())
def test_totals_are_the_sums(report: Report) -> None:
    doc = report.to_json()
    counts = sum(int(b["statement"]["count"]) for b in doc["batches"])
    assert doc["totals"].get("accounts") == (None if report.count_hidden else counts)
    assert int(doc["totals"]["collateral_value"]) == sum(
        int(b["statement"]["total_collateral"]) for b in doc["batches"]
    )
    names = report.totals.extra_names
    assert ("extra" in doc["totals"]) == bool(names)  # one JSON form: absent when none
    assert not report.count_hidden or "healthy" not in names  # hidden: padding would count
    every = HEALTH if "margin_call" in names else names
    for i, name in enumerate(every):
        if name in names:
            assert int(doc["totals"]["extra"][name]) == sum(
                int(b["statement"]["extra"][i]) for b in doc["batches"]
            )


def _doc() -> dict:
    s = Statement(1, 9, 2, 3, 8, 4, 0, 1, 5, 6, (7,))
    batches = (BatchEntry.of(0, s),)
    return Report(
        "2026-11-20T08:00:00Z", "cross", "cross", "maintenance", Shape(2, 2, 8, 1, 1), "bn128",
        9, 2, 3, ("USDT",), Totals.of(batches, 1), batches, (), 1, 8,
        "each of 1 account meets its margin",
    ).to_json()  # fmt: skip


BAD = [
    (lambda d: d.pop("batches"), "missing batches"),
    (lambda d: d.update(extra=1), "unknown field"),
    (lambda d: d.update(format="zkmargin-report/0"), "format"),
    (lambda d: d["shape"].update(batch_size=0), "shape: shape batch_size: must be at least 1"),
    (lambda d: d["shape"].update(slots=True), "shape: shape slots: expected an integer"),
    (lambda d: d["shape"].update(instruments=12), "shape instruments: 12 is not a power of two"),
    (lambda d: d["shape"].update(bogus=1), "shape: .*unexpected keyword"),
    (lambda d: d.update(table_root="x"), "table_root: expected a decimal string"),
    (lambda d: d.update(market_hash="0x12"), "market_hash: expected a decimal string"),
    (lambda d: d.update(circuit_id="012"), "circuit_id: leading zero"),
    (lambda d: d["batches"][0].update(proof="../x.json"), r"batches\[0\]\.proof: expected"),
    (lambda d: d["batches"][0]["statement"].update(count="-1"), r"batches\[0\]\.statement"),
    (lambda d: d["batches"][0].pop("statement_hash"), "missing statement_hash"),
    (lambda d: d["totals"]["assets"].update(BTC="1"), "totals.assets: unknown field"),
    (lambda d: d["totals"].update(requirement=6), "totals.requirement"),
    (lambda d: d.update(scales={"money": 100}), "scales"),
    (lambda d: d.update(excluded=[{"id": "u1"}]), r"excluded\[0\]: missing shortfall"),
    (lambda d: d.pop("root"), "missing root"),
    (lambda d: d.update(root="-1"), "root: expected a decimal string"),
    (lambda d: d["totals"].update(extra={}), "totals.extra: expected a non-empty object"),
    (lambda d: d["totals"].update(extra=["1"]), "totals.extra: expected a non-empty object"),
    (lambda d: d["totals"].update(extra={"Healthy!": "1"}), "totals.extra: invalid name"),
    (lambda d: d["totals"].update(extra={"healthy": 1}), "totals.extra.healthy: expected a deci"),
    (lambda d: d.pop("circuit_digest"), "missing circuit_digest"),
    (lambda d: d.update(claim=""), "claim: expected a non-empty string"),
    (lambda d: d["totals"].update(accounts=-1), "totals.accounts: expected an integer"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_malformed_reports_name_the_field(change, message: str) -> None:
    doc = copy.deepcopy(_doc())
    change(doc)
    with pytest.raises(InputError, match=message) as err:
        Report.from_json(doc, "r/report.json")
    assert str(err.value).startswith("r/report.json: ")
    assert "\n" not in str(err.value)
