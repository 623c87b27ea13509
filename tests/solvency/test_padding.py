"""Hiding the number of accounts: zero accounts fill the snapshot to a stated size."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.errors import InputError
from zkmargin.solvency import (
    ProveOptions,
    Snapshot,
    layout,
    padded_count,
    prove_snapshot,
    verify_inclusion,
    verify_report,
)
from zkmargin.solvency.batch_plan import real_per_batch


@given(st.integers(1, 10**6), st.integers(1, 64))
def test_hide_count_pads_to_a_power_of_two_of_full_batches(real: int, size: int) -> None:
    total = padded_count(real, size, True, None)
    batches, rest = divmod(total, size)
    assert rest == 0 and batches & (batches - 1) == 0  # full batches, a power of two of them
    assert real <= total < 2 * real + size  # never more than about double


@given(st.integers(0, 10**4), st.integers(0, 10**4), st.integers(1, 64))
def test_real_accounts_are_spread_over_the_batches(real: int, extra: int, size: int) -> None:
    total = real + extra
    if total == 0:
        return
    spread = real_per_batch(real, total, size)
    widths = [min(size, total - n * size) for n in range(len(spread))]
    assert sum(spread) == real and all(0 <= k <= w for k, w in zip(spread, widths, strict=True))
    for k, w in zip(spread, widths, strict=True):  # each batch: its share, to within one
        assert abs(k * total - real * w) < total
    if real >= len(spread):
        assert min(spread) >= 1  # no batch of padding alone
    if extra == 0:
        assert spread == widths  # nothing to spread: the file order, full batches


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
    result = prove_snapshot(
        Snapshot(ACCOUNTS, MARKET, keys_dir), out, ProveOptions(pad_to=6, seed=3)
    )
    report = verify_report(out).report
    assert report == result.report
    assert report.totals.accounts is None  # no count: padding would inflate it...
    assert [b.statement.count for b in report.batches] == [2, 2, 2]  # (6 slots are proven)
    unpadded = verify_report(proven / "report").report.totals
    for figure in ("collateral_value", "requirement", "assets"):  # ...and adds nothing else
        assert getattr(report.totals, figure) == getattr(unpadded, figure)
    receipts = sorted(p.name for p in (layout.private_dir(out) / layout.RECEIPTS).iterdir())
    assert len(receipts) == 5  # no receipt for the padding account
    # the real accounts are spread (1, 2, 2): no batch states the zero totals of padding alone
    assert all(b.statement.total_collateral > 0 for b in report.batches)
    inc = verify_inclusion(layout.receipt_path(layout.private_dir(out), "bob"), out)
    assert (inc.receipt.batch, inc.receipt.position, inc.receipt.index) == (1, 0, 2)
