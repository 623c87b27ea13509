"""``zkmargin site``: a static site from verified report folders.

The site folder::

    index.html  check.html  *.js  style.css  vendor.js     the page (copied from assets/)
    data/site.json  data/check-<n>.json                      what it shows and checks (data.py)
    reports/<n>/...                                          report n's public files, as proven

Every report is verified first (proofs, statement hashes, root, totals); a report that does not
verify is refused and nothing is written. Only a report's public files are copied (the report
folder's own list, :func:`zkmargin.solvency.layout.public_files`): receipts, salts, the ledger and
witnesses are never read. The site is built beside ``SITE`` and renamed onto it, so it is
complete or absent; an existing ``SITE`` must be empty or an earlier site (then replaced).
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zkmargin.errors import InputError
from zkmargin.site.data import ReportData, report_data, site_json
from zkmargin.solvency import layout
from zkmargin.solvency.verifier import verify_report

ASSETS = Path(__file__).parent / "assets"
VENDOR = ASSETS / "vendor.js"
SITE_DATA = Path("data") / "site.json"


@dataclass(frozen=True)
class Site:
    """A written site: its folder and the epochs it shows."""

    folder: Path
    epochs: tuple[str, ...]
    files: int
    bytes: int


def build_site(reports: Sequence[str | Path], out: str | Path) -> Site:
    """Verify ``reports`` and write the site to ``out`` (module docstring).

    Raises :class:`zkmargin.solvency.Invalid` for a report that does not verify and
    :class:`InputError` for bad input (no reports, two of one epoch, an unusable ``out``).
    """
    out = Path(out)
    if not VENDOR.is_file():
        raise InputError(
            str(VENDOR), "", "not built: run npm install in the zkmargin checkout (it bundles it)"
        )
    if not reports:
        raise InputError("REPORT", "", "give at least one report folder")
    _check_target(out)
    loaded = sorted((verify_report(folder) for folder in reports), key=lambda r: r.report.epoch)
    epochs = [r.report.epoch for r in loaded]
    for a, b in itertools.pairwise(loaded):
        if a.report.epoch == b.report.epoch:
            raise InputError(
                str(b.folder), "epoch", f"{b.report.epoch} is also {a.folder}'s: one per epoch"
            )
    data = [report_data(r, n) for n, r in enumerate(loaded)]

    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        shutil.copytree(ASSETS, partial)
        _write_data(partial, data)
        for n, r in enumerate(loaded):
            _copy_public(r.folder, partial / "reports" / str(n), len(r.report.batches))
        if out.exists():
            shutil.rmtree(out)
        partial.rename(out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    files = [p for p in out.rglob("*") if p.is_file()]
    return Site(out, tuple(epochs), len(files), sum(p.stat().st_size for p in files))


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "", "exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / SITE_DATA).is_file():
        raise InputError(str(out), "", "not empty and not a site made by zkmargin site")


def _write_data(site: Path, data: list[ReportData]) -> None:
    folder = site / "data"
    folder.mkdir()
    _dump(folder / "site.json", site_json(data))
    for n, d in enumerate(data):
        _dump(folder / f"check-{n}.json", d.check)


def _dump(path: Path, doc: object) -> None:
    path.write_text(json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")


def _copy_public(report: Path, target: Path, n_batches: int) -> None:
    """The report's public files (those present), never anything else in its folder."""
    for name in sorted(layout.public_files(n_batches)):
        source = report / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)
