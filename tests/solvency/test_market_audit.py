"""``zkmargin audit-market``: the published integers against what a market file gives.

The honest control (the market file the report was proven from) matches; a market file whose
option strike moved, or whose asset price moved, is listed value by value and exits 1; bad
input exits 2 with one line.
"""

from __future__ import annotations

import json
from pathlib import Path

from solvency.test_cli import one_error_line
from solvency.test_cli import run as cli
from solvency.tiny import MARKET, SCENARIO_MARKET

from zkmargin.solvency.audit import audit_market

OPTION = "BTC-27DEC26-70000-C"


def moved(tmp_path: Path, change) -> Path:
    doc = json.loads(SCENARIO_MARKET.read_text())
    change(doc)
    path = tmp_path / "moved.json"
    path.write_text(json.dumps(doc))
    return path


def test_the_market_the_report_was_proven_from_matches(scenario_report: Path) -> None:
    res = cli("audit-market", scenario_report, "--market", SCENARIO_MARKET)
    assert res.exit_code == 0, res.output
    assert res.output.startswith("OK: every published row and market value") and (
        "tolerance 0" in res.output
    )


def test_a_moved_strike_is_listed_row_by_row(scenario_report: Path, tmp_path: Path) -> None:
    market = moved(tmp_path, lambda d: d["instruments"][OPTION].update(strike="72000"))
    res = cli("audit-market", scenario_report, "--market", market)
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert lines[-1].startswith("differ: ") and "tolerance 0" in lines[-1]
    listed = lines[:-1]
    assert listed and all(line.startswith(f"row 0 {OPTION}: ") for line in listed), listed
    assert any(": risk[" in line for line in listed)
    # the other rows and the vector match: only the option's row is named
    found = audit_market(scenario_report, market)
    assert {d.where.split(":")[0] for d in found} == {f"row 0 {OPTION}"}
    assert all(d.published != d.derived for d in found)
    # a tolerance wider than every difference passes; one unit narrower does not
    widest = max(abs(d.derived - d.published) for d in found)
    assert audit_market(scenario_report, market, tolerance=widest) == []
    assert len(audit_market(scenario_report, market, tolerance=widest - 1)) >= 1


def test_a_moved_price_and_listing(scenario_report: Path, tmp_path: Path) -> None:
    def change(doc: dict) -> None:
        doc["assets"]["BTC"]["price"] = "65001"
        doc["instruments"]["SOL-PERP"] = {"kind": "perpetual", "underlying": "ETH"}

    market = moved(tmp_path, change)
    lines = [d.line() for d in audit_market(scenario_report, market)]
    assert "vector price BTC: published 6500000000000, the market file gives 6500100000000 " \
        "(+100000000)" in lines, lines  # fmt: skip
    assert "row 3 SOL-PERP: listed in the market file, not in the report's table" in lines
    res = cli("audit-market", scenario_report, "--market", market, "--max-lines", "1")
    assert res.exit_code == 1 and "not shown" in res.output, res.output
    assert len(res.output.strip().splitlines()) == 2  # one difference, then the count


def test_bad_input_exits_2(scenario_report: Path, tmp_path: Path) -> None:
    one_error_line(cli("audit-market", tmp_path, "--market", SCENARIO_MARKET), "report.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    one_error_line(cli("audit-market", scenario_report, "--market", bad), "bad.json")
    wide = json.loads(SCENARIO_MARKET.read_text())
    for k in range(6):
        wide["instruments"][f"ETH-PERP-{k}"] = {"kind": "perpetual", "underlying": "ETH"}
    (tmp_path / "wide.json").write_text(json.dumps(wide))
    one_error_line(
        cli("audit-market", scenario_report, "--market", tmp_path / "wide.json"),
        "wide.json: instruments: 9 listed, the keys hold 8",
    )
    one_error_line(
        cli("audit-market", scenario_report, "--market", MARKET),  # another model's market
        "market.json",
    )
