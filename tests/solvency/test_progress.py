"""``prove``'s progress output and its options (the printer alone; the CLI on cheap failures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.cli import main
from zkmargin.cli.progress import ProgressPrinter
from zkmargin.cli.prove_cmd import SEEDED
from zkmargin.solvency import Progress

START = Progress("start", 2, 10, 40, 200, 0.0, 2, 40)
LATER = Progress("batch", 4, 10, 80, 200, 20.0, 2, 40)  # 40 fresh accounts in 20 s


def printed(capsys, printer: ProgressPrinter, *states: Progress) -> str:
    for state in states:
        printer(state)
    printer.finish()
    captured = capsys.readouterr()
    assert captured.out == ""  # progress never pollutes stdout
    return captured.err


def test_rate_and_eta_count_only_this_runs_accounts() -> None:
    assert LATER.rate == 2.0 and LATER.eta == 60.0
    assert START.rate == 0.0 and START.eta is None


def test_log_lines_when_stderr_is_not_a_terminal(capsys) -> None:
    err = printed(capsys, ProgressPrinter(quiet=False, json_lines=False, tty=False), START, LATER)
    assert err.splitlines() == [
        "resuming: 2 of 10 batches already proven",
        "batch 4/10: 80/200 accounts, 2.00 accounts/s, 0:01:00 left",
    ]


def test_bar_on_a_terminal(capsys) -> None:
    err = printed(capsys, ProgressPrinter(quiet=False, json_lines=False, tty=True), LATER)
    assert err.startswith("\r[" + "#" * 12 + "." * 18 + "] batch 4/10")
    assert err.endswith(" left\n")  # (click drops the erase-line code off a terminal)


def test_json_lines_even_when_quiet(capsys) -> None:
    err = printed(capsys, ProgressPrinter(quiet=True, json_lines=True, tty=True), START, LATER)
    first, second = map(json.loads, err.splitlines())
    assert first["event"] == "start" and first["resumed_batches"] == 2
    assert second == {
        "event": "batch", "batches_done": 4, "batches_total": 10, "accounts_done": 80,
        "accounts_total": 200, "elapsed_s": 20.0, "accounts_per_s": 2.0, "eta_s": 60.0,
        "resumed_batches": 2,
    }  # fmt: skip


def test_quiet_prints_nothing(capsys) -> None:
    assert printed(capsys, ProgressPrinter(quiet=True, json_lines=False, tty=True), LATER) == ""


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--backend", "nosuch"], "zkmargin prove: invalid value for '--backend': 'nosuch' is not"),
        (["--workers", "0"], "error: --workers: must be at least 1, got 0"),
        (["--executor", "ftp://x:1"], "error: --executor: 'ftp://x:1': expected 'local'"),
        (["--pad-to", "3"], "error: --pad-to: 3 is less than the 5 accounts to prove"),
        (["--hide-count", "--pad-to", "8"], "error: --pad-to: use --hide-count or --pad-to"),
    ],
)
def test_bad_options_are_one_line_before_any_work(keys_dir: Path, tmp_path, extra, message):
    out = tmp_path / "r"
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys_dir, "--out", out, *extra)
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [res.output.strip()]
    assert res.output.startswith(message)
    assert list(tmp_path.iterdir()) == []  # nothing written, no partial folder


def test_seed_warns_that_the_report_is_not_zero_knowledge(keys_dir: Path, tmp_path, capsys) -> None:
    # the warning is printed when proving starts, once options and inputs are checked ...
    warned = ProgressPrinter(quiet=True, json_lines=False, tty=False, preface=SEEDED)
    err = printed(capsys, warned, START, LATER)
    assert err.startswith("warning: --seed derives every salt") and "NOT zero-knowledge" in err
    # ... so a bad option is the only line printed
    out = tmp_path / "r"
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys_dir, "--out", out,
              "--seed", "1", "--pad-to", "3")  # fmt: skip
    assert res.exit_code == 2 and res.output.startswith("error: --pad-to")
    assert len(res.output.splitlines()) == 1
    res = run("prove", ACCOUNTS, "--market", MARKET, "--keys", keys_dir, "--out", out,
              "--seed", "-1")  # fmt: skip
    assert res.exit_code == 2 and "--seed" in res.output


def test_help_lists_the_scale_options() -> None:
    res = run("prove", "--help")
    for option in ("--workers", "--executor", "--seed", "--backend", "--hide-count", "--pad-to",
                   "--restart", "--progress-json", "--quiet"):  # fmt: skip
        assert option in res.output
    assert "--jobs" not in res.output  # kept as a hidden alias of --workers
