"""Output folders that appear whole or not at all, and files written atomically.

:func:`staged_folder` yields a hidden temporary folder next to the destination; when the block
finishes without an exception the folder is renamed onto the destination in one step, otherwise
it is removed. A reader (or a verifier started too early) never sees half a report.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
>>> with staged_folder(out) as tmp:
...     _ = (tmp / "report.json").write_text("{}")
...     out.exists()
False
>>> sorted(p.name for p in out.iterdir())
['report.json']

A long ``prove`` builds its report in a *visible* partial folder, ``REPORT.partial`` beside
``REPORT`` (:func:`partial_folder`), which survives an interruption so the run can resume, and
is renamed onto ``REPORT`` by :func:`publish` at the end — only when it holds exactly the files
the run wrote, so nothing stray is ever published. Its private counterpart (receipts, job
ledger, witnesses) is written in place in the private folder (:func:`open_folders`). Every file
is written with :func:`~zkmargin.atomic_files.atomic_write` (temporary name in the same folder, then rename): a file is
whole or absent, and a full disk or a refused write leaves the previous state.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zkmargin.atomic_files import TEMPORARY_SUFFIX, atomic_write, current_umask
from zkmargin.errors import InputError
from zkmargin.solvency import layout

PUBLIC_README = """\
# A zkmargin solvency report: PUBLIC

Everything in this folder is meant to be published, as a whole. Nothing in it reveals an
account: accounts appear only as salted hashes inside the proofs' statements.

- report.json: the claims (totals, the account tree's root, one statement per batch proof);
- verification_key.json: the Groth16 key the proofs verify under;
- market.json: the market snapshot the margins were computed with;
- market_table.json: the integers the circuit consumed (market vector, instrument table), which
  the report's market hash and table root are recomputed from;
- batches/<n>/proof.json, batches/<n>/public.json: batch n's proof and its public signal.

Anyone can check it: zkmargin verify REPORT/ (or snarkjs groth16 verify per batch). A user
checks their own account with the receipt the exchange sent them privately:
zkmargin verify-inclusion RECEIPT --report REPORT/. Before publishing, zkmargin publish-check
REPORT/ confirms that nothing private is in the folder.
"""

PRIVATE_README = """\
# zkmargin: PRIVATE, do not publish

This folder belongs to the report folder of the same name (without .private). It is readable by
its owner only and must never be published or shared as a whole:

- receipts/<account>.json: one per account, with its positions, balances and the salt that
  hides its leaf. Send each user their own receipt, privately: whoever holds a receipt learns
  that account's positions.
- ledger.sqlite: the job ledger (file hashes, timings) that lets an interrupted run resume;
  for the exchange only.
- witnesses/<n>.wtns (when kept): every private value of batch n, the accounts in the clear;
  for the exchange only (debugging, snarkjs wtns check).
- account.key (when no --account-key was given): the key every account's secret, and so its
  pseudonym, derives from; keep it and pass it to the next epoch's prove as --account-key.
"""


def check_destination(out: str | Path, option: str = "--out") -> Path:
    """``out`` as a Path, refused (one line) if it exists and is not an empty folder."""
    out = Path(out)
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise InputError(option, "", f"{out} already exists; remove it or choose another folder")
    if not out.parent.is_dir():
        raise InputError(option, "", f"folder {out.parent} does not exist")
    return out


@contextmanager
def staged_folder(out: str | Path, option: str = "--out") -> Iterator[Path]:
    """Build a folder under a temporary name, then rename it to ``out`` (see module docstring)."""
    out = check_destination(out, option)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes 0700; give the usual mkdir mode
        if out.exists():
            out.rmdir()  # empty (checked above); a folder someone filled meanwhile raises here
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def partial_folder(out: Path) -> Path:
    """Where a resumable run builds ``out``: ``out.partial`` beside it."""
    return out.with_name(out.name + ".partial")


def check_private(out: Path, private: str | Path | None) -> Path:
    """The private folder of report ``out`` (default ``out.private``), refused if it lies inside
    the report (it would be published) or holds the report."""
    chosen = layout.private_dir(out) if private is None else Path(private)
    a, b = chosen.resolve(), out.resolve()
    for folder in (b, partial_folder(b)):
        if a == folder or folder in a.parents or a in folder.parents:
            raise InputError("--private", "", f"{chosen} must lie outside the report folder {out}")
    if not chosen.parent.is_dir():
        raise InputError("--private", "", f"folder {chosen.parent} does not exist")
    return chosen


def make_dir(path: Path, mode: int) -> None:
    """Create ``path`` if needed and give it ``mode`` (whatever the umask)."""
    path.mkdir(mode=mode, exist_ok=True)
    os.chmod(path, mode)


def open_folders(partial: Path, private: Path, ledger: str) -> None:
    """Create (or reopen, to resume) a run's partial report folder and its private folder.

    The private folder is new, empty, or holds an earlier run's ``ledger``; a partial folder
    without a ledger to account for it is another run's (or a stray copy) and is refused, so
    nothing from it can be published.
    """
    if private.exists() and not private.is_dir():
        raise InputError("--private", "", f"{private} is not a folder")
    if not (private / ledger).is_file():
        if private.is_dir():
            own = (layout.README, layout.ACCOUNT_KEY)  # the key stays from epoch to epoch
            foreign = sorted(p.name for p in private.iterdir() if p.name not in own)
            if foreign:
                raise InputError(
                    "--private", "", f"{private} holds other files ({foreign[0]}); choose a new one"
                )
        if partial.is_dir() and any(partial.iterdir()):
            raise InputError(
                "--out",
                "",
                f"{partial} holds files of no run recorded in {private}; remove it, or add "
                "--restart to discard it",
            )
    make_dir(private, layout.PRIVATE_DIR_MODE)
    atomic_write(private / layout.README, PRIVATE_README.encode(), layout.PRIVATE_FILE_MODE)
    make_dir(partial, layout.PUBLIC_DIR_MODE)


def discard_run(partial: Path, private: Path, run_files: tuple[str, ...]) -> None:
    """Remove an interrupted run: the partial folder and the run's files in the private one."""
    shutil.rmtree(partial, ignore_errors=True)
    if private.is_dir():
        for name in (*run_files, layout.RECEIPTS, layout.WITNESSES, layout.README):
            target = private / name
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        for name in run_files:  # SQLite's journal, if a kill left one
            (private / f"{name}-journal").unlink(missing_ok=True)


def publish(partial: Path, out: Path, expected: set[str]) -> None:
    """Rename the finished ``partial`` folder onto ``out`` (absent or empty) in one step, if it
    holds exactly the ``expected`` files (relative paths): anything else there was not written
    by this run, and is refused rather than published."""
    for leftover in partial.rglob(f".*{TEMPORARY_SUFFIX}"):  # an atomic write a kill cut short
        leftover.unlink()
    found = {p.relative_to(partial).as_posix() for p in partial.rglob("*") if not p.is_dir()}
    stray = sorted(found - expected)
    if stray:
        raise InputError(
            str(partial / stray[0]), "", "not written by this run: remove it and run again"
        )
    missing = sorted(expected - found)
    if missing:
        raise InputError(str(partial / missing[0]), "", "missing: add --restart to prove again")
    os.chmod(partial, layout.PUBLIC_DIR_MODE)
    if out.exists():
        out.rmdir()  # empty (checked when the run started); a folder filled meanwhile raises
    os.replace(partial, out)
