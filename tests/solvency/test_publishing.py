"""The report folder is safe to publish: public files only (0644/0755), the private ones
(receipts, ledger, witnesses) in their own folder (0700/0600); nothing stray is published;
``publish-check`` refuses private material; a full disk or a damaged ledger is one line and
leaves a state the same command resumes (or says how to restart)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.stand_in import stand_in, tiny_model, without_proofs
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.cli import main
from zkmargin.errors import InputError
from zkmargin.solvency import assembly, layout, prepared_run, prover
from zkmargin.solvency.ledger import LEDGER
from zkmargin.solvency.publish_check import private_findings
from zkmargin.solvency.seeding import load_account_key


@pytest.fixture
def keys(monkeypatch, tmp_path):
    return without_proofs(monkeypatch, tiny_model(2), tmp_path)


def _modes(folder: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


def test_public_and_private_apart_whatever_the_umask(keys, tmp_path) -> None:
    old = os.umask(0o077)  # a cautious umask must not make the public files unreadable
    try:
        result = prover.prove_snapshot(
            prover.Snapshot(ACCOUNTS, MARKET, keys),
            tmp_path / "report",
            prover.ProveOptions(seed=3),
        )
    finally:
        os.umask(old)
    public = {p.relative_to(result.folder).as_posix() for p in result.folder.rglob("*")}
    assert public == layout.public_files(3) | {"batches", "batches/0", "batches/1", "batches/2"}
    assert _modes(result.folder) == {("dir", 0o755), ("file", 0o644)}
    assert result.private == tmp_path / "report.private"
    names = sorted(p.name for p in result.private.iterdir())
    assert names == [layout.README, LEDGER, layout.RECEIPTS]
    assert len(list((result.private / layout.RECEIPTS).iterdir())) == 5
    assert _modes(result.private) == {("dir", 0o700), ("file", 0o600)}
    assert "PRIVATE" in (result.private / layout.README).read_text()
    assert "PUBLIC" in (result.folder / layout.README).read_text()


def test_publish_check(keys, tmp_path) -> None:
    result = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, keys), tmp_path / "report", prover.ProveOptions(seed=3)
    )
    res = CliRunner().invoke(main, ["publish-check", str(result.folder)])
    assert res.exit_code == 0 and res.output.startswith("OK: "), res.output
    assert private_findings(result.folder) == []
    res = CliRunner().invoke(main, ["publish-check", str(result.private)])
    assert res.exit_code == 1 and len(res.output.splitlines()) == 1
    assert "not safe to publish" in res.output
    # one receipt copied in, a ledger renamed, a witness: each is found by its content
    receipt = next((result.private / layout.RECEIPTS).iterdir())
    for name, source in (("notes.txt", receipt), ("stats.db", result.private / LEDGER)):
        shutil.copy(source, result.folder / name)
        found = private_findings(result.folder)
        assert [f.path.name for f in found] == [name], found
        (result.folder / name).unlink()
    (result.folder / "w.bin").write_bytes(b"wtns\x02\x00\x00\x00")
    assert "witness" in private_findings(result.folder)[0].what
    (result.folder / "w.bin").unlink()
    # the account key (made in the private folder when prove has none) is found by content too
    load_account_key(result.private / layout.ACCOUNT_KEY)
    shutil.copy(result.private / layout.ACCOUNT_KEY, result.folder / "pinned.txt")
    assert [f.what for f in private_findings(result.folder)] == [
        "an account key (every account's pseudonym derives from it)"
    ]
    (result.folder / "pinned.txt").write_text("a" * 63 + "\n")  # control: not a key
    assert private_findings(result.folder) == []
    res = CliRunner().invoke(main, ["publish-check", str(tmp_path / "nosuch")])
    assert res.exit_code == 2 and res.output.startswith("error: "), res.output


def test_the_private_folder_must_lie_outside_the_report(keys, tmp_path) -> None:
    for private in (tmp_path / "report" / "secret", tmp_path / "report.partial" / "x"):
        with pytest.raises(InputError, match="must lie outside the report folder"):
            prover.prove_snapshot(
                prover.Snapshot(ACCOUNTS, MARKET, keys),
                tmp_path / "report",
                prover.ProveOptions(private=private),
            )
    elsewhere = tmp_path / "vault"
    result = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, keys),
        tmp_path / "report",
        prover.ProveOptions(private=elsewhere),
    )
    assert (elsewhere / LEDGER).is_file() and result.private == elsewhere


def test_a_stray_partial_folder_is_never_published(keys, tmp_path) -> None:
    out = tmp_path / "report"
    stray = tmp_path / "report.partial"
    stray.mkdir()
    (stray / "receipts.json").write_text('{"salt": "1"}')
    with pytest.raises(InputError, match="holds files of no run recorded in"):
        prover.prove_snapshot(prover.Snapshot(ACCOUNTS, MARKET, keys), out)
    assert not out.exists()
    # a file slipped into a run's own partial folder is refused, not published
    real_publish = prover.publish

    def slip_in(partial, target, expected):
        (partial / "extra.json").write_text("{}")
        real_publish(partial, target, expected)

    prover.publish = slip_in
    try:
        with pytest.raises(InputError, match=r"extra\.json: not written by this run"):
            prover.prove_snapshot(
                prover.Snapshot(ACCOUNTS, MARKET, keys), out, prover.ProveOptions(restart=True)
            )
    finally:
        prover.publish = real_publish
    assert not out.exists()
    (stray / "extra.json").unlink()
    result = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, keys), out
    )  # resumes, then publishes
    assert result.resumed_batches == 3 and not stray.exists()


def test_a_full_disk_mid_run_is_one_line_and_resumes(monkeypatch, keys, tmp_path) -> None:
    out = tmp_path / "report"
    written = []
    real = assembly.write_json

    def fill_up(path, content, mode=None):  # the disk fills up at the second batch's proof
        if path.name == layout.PROOF and written.count(layout.PROOF) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path.name)
        real(path, content, mode)

    monkeypatch.setattr(assembly, "write_json", fill_up)
    monkeypatch.setattr("zkmargin.cli.progress.ProgressPrinter.__call__", lambda *_: None)
    args = ["prove", str(ACCOUNTS), "--market", str(MARKET), "--keys", str(keys.folder)]
    monkeypatch.setattr(prepared_run, "load_keys", lambda _: keys)
    res = CliRunner().invoke(main, [*args, "--out", str(out), "--quiet"])
    assert res.exit_code == 2 and len(res.output.splitlines()) == 1, res.output
    assert "No space left on device" in res.output and "run the same command" in res.output
    assert not out.exists()
    assert not list((tmp_path / "report.partial").rglob("*.tmp"))  # no half-written file
    monkeypatch.setattr(assembly, "write_json", real)
    res = CliRunner().invoke(main, [*args, "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert "1 resumed" in res.output


def test_a_damaged_ledger_says_how_to_restart(keys, monkeypatch, tmp_path) -> None:
    out = tmp_path / "report"

    def crash(task):
        if task.index == 1:
            raise KeyboardInterrupt
        return stand_in(task)

    monkeypatch.setattr(prover, "prove_batch", crash)
    with pytest.raises(KeyboardInterrupt):
        prover.prove_snapshot(prover.Snapshot(ACCOUNTS, MARKET, keys), out)
    ledger = tmp_path / "report.private" / LEDGER
    ledger.write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(prover, "prove_batch", stand_in)
    with pytest.raises(InputError, match=r"damaged job ledger .*add --restart to discard"):
        prover.prove_snapshot(prover.Snapshot(ACCOUNTS, MARKET, keys), out)
    result = prover.prove_snapshot(
        prover.Snapshot(ACCOUNTS, MARKET, keys), out, prover.ProveOptions(restart=True)
    )
    assert result.resumed_batches == 0 and len(result.report.batches) == 3
