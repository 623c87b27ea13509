"""Hiding the number of accounts: zero accounts fill the snapshot to a stated size."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.errors import InputError
from zkmargin.solvency import layout, padded_count, prove_snapshot, verify_inclusion, verify_report


@given(st.integers(1, 10**6), st.integers(1, 64))
def test_hide_count_pads_to_a_power_of_two_of_full_batches(real: int, size: int) -> None:
    total = padded_count(real, size, True, None)
    batches, rest = divmod(total, size)
    assert rest == 0 and batches & (batches - 1) == 0  # full batches, a power of two of them
    assert real <= total < 2 * real + size  # never more than about double


def test_pad_to_bounds() -> None:
    assert padded_count(5, 2, False, 5) == 5
    with pytest.raises(InputError, match="--pad-to: 4 is less than the 5 accounts"):
        padded_count(5, 2, False, 4)
    with pytest.raises(InputError, match="not both"):
        padded_count(5, 2, True, 8)


@pytest.mark.slow
def test_padded_report_verifies_and_counts_the_padding(
    proven: Path, keys_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    result = prove_snapshot(ACCOUNTS, MARKET, keys_dir, out, pad_to=6, seed=3)
    report = verify_report(out).report
    assert report == result.report
    assert report.totals.accounts == 6  # the stated count includes the zero account...
    assert [b.statement.count for b in report.batches] == [2, 2, 2]
    unpadded = verify_report(proven / "report").report.totals
    for figure in ("collateral_value", "requirement", "assets"):  # ...and adds nothing else
        assert getattr(report.totals, figure) == getattr(unpadded, figure)
    receipts = sorted(p.name for p in (out / layout.RECEIPTS).iterdir())
    assert len(receipts) == 5  # no receipt for the padding account
    inc = verify_inclusion(layout.receipt_path(out, "erin"), out)
    assert (inc.receipt.batch, inc.receipt.position, inc.receipt.index) == (2, 0, 4)
