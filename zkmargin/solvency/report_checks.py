"""The checks ``verify`` runs on a report folder's files before any pairing: the circuit (its
digest recompiled, its model, its claim), the published keys, the header against the market,
each batch's statement against its public signals, the root over the batch roots, the totals.

Each raises :class:`Invalid` naming what does not add up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from zkmargin.batch import (
    Shape,
    circuit_id,
    load_model_circuit,
    tree_depth,
)
from zkmargin.batch.claims import claim
from zkmargin.batch.digest import compile_with_digest
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import (
    InvalidPoint,
    VerifyingKey,
    vk_from_json,
)
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.groth16.key_checks import key_defect
from zkmargin.json_input import load_json
from zkmargin.margin import Market
from zkmargin.solvency import layout
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import BatchEntry, Totals
from zkmargin.solvency.snapshot_tree import TopTree


class Invalid(Exception):
    """A report or receipt that does not verify; ``str()`` is one line naming what is wrong.

    :func:`~zkmargin.solvency.verifier.verify_report` and
    :func:`~zkmargin.solvency.verifier.verify_inclusion` raise it (a claim that does not hold:
    the CLI exits 1), apart from :class:`~zkmargin.errors.InputError` for an unreadable file
    (exit 2):

    >>> try:
    ...     raise Invalid("batch 0: the proof does not verify (batches/0/proof.json)")
    ... except Invalid as err:
    ...     print(f"invalid: {err}")
    invalid: batch 0: the proof does not verify (batches/0/proof.json)
    """


def circuit_class(circuit: str) -> Any:
    """A report's circuit class when it loads by plain name, else ``None``.

    Only a plain name is looked up — never a path: a report must not make its verifier import a
    file it names. The class says how a leaf is built (a model may commit more per account, e.g.
    isolated margin balances), whether it proves cover (``proves_cover``) and what its own
    statement totals are called.

    >>> circuit_class("scenario").proves_cover, circuit_class("/tmp/mine.py") is None
    (True, True)
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", circuit):
        return None
    try:
        return load_model_circuit(circuit)
    except InputError:
        return None


def checked_key(path: Path, name: str, n_public: int) -> VerifyingKey:
    """A verifying key file, refused (:class:`Invalid`) when anyone could forge under it."""
    try:
        vk = vk_from_json(load_json(path), name)
    except InvalidPoint as err:
        raise Invalid(str(err)) from None
    defect = key_defect(vk, n_public=n_public)
    if defect is not None:
        raise Invalid(f"{name}: {defect}")
    return vk


_DIGESTS: dict[tuple[Any, Shape], int] = {}
"""Digests of the circuits compiled in this process, per circuit and shape."""


def published_claim_keys(folder: str | Path, stated: dict[str, str]) -> dict[str, VerifyingKey]:
    """The claim keys a report folder publishes, each checked against the fingerprint
    ``report.json`` states (``stated``) and refused when degenerate; :class:`Invalid`."""
    out = {}
    for circuit, fingerprint in stated.items():
        path = layout.claim_key_path(folder, circuit)
        name = f"{layout.CLAIM_KEYS}/{circuit}.json"
        if not path.is_file():
            raise Invalid(f"{name}: missing (report.json states its fingerprint)")
        vk = checked_key(path, name, 1)
        if vk_fingerprint(vk) != fingerprint:
            raise Invalid(
                f"{name}: fingerprint {vk_fingerprint(vk)}, report.json states {fingerprint}"
            )
        out[circuit] = vk
    published = Path(folder) / layout.CLAIM_KEYS
    if published.is_dir():
        names = {layout.claim_key_path(folder, c).name for c in stated}
        extra = sorted(p.name for p in published.iterdir() if p.name not in names)
        if extra:
            raise Invalid(f"{layout.CLAIM_KEYS}/{extra[0]}: a key report.json does not state")
    return out


def circuit_digest(cls: Any, shape: Shape) -> int:
    """The digest of ``cls`` compiled for ``shape`` (cached: one compilation per circuit and
    shape in a process, however many reports or receipts)."""
    key = (cls, shape)
    if key not in _DIGESTS:
        _DIGESTS[key] = compile_with_digest(cls(shape=shape))[1]
    return _DIGESTS[key]


def check_circuit(report: Report, market: Market) -> bool:
    """The circuit proves the market's model; a built-in circuit (loaded by name here) is
    compiled again: its digest and its claim must be the report's. Returns whether it was."""
    declared = market.model.name
    if report.model != declared:
        raise Invalid(
            f"report.json: circuit {report.circuit} proves the {report.model} model; "
            f"market.json declares {declared}"
        )
    for n, batch in enumerate(report.batches):
        if batch.statement.circuit_digest != report.circuit_digest:
            raise Invalid(f"batch {n}: statement.circuit_digest is not the report's")
    cls = circuit_class(report.circuit)
    if cls is None:
        return False
    if cls.model != report.model:
        raise Invalid(
            f"report.json: model {report.model}, but circuit {report.circuit} proves {cls.model}"
        )
    try:
        digest = circuit_digest(cls, report.shape)
    except (TypeError, ValueError) as err:
        raise Invalid(f"report.json: shape: circuit {report.circuit}: {err}") from None
    if digest != report.circuit_digest:
        raise Invalid(
            f"report.json: circuit_digest is not the digest of circuit {report.circuit} at its "
            "shape (another constraint system, proven under the name of a built-in circuit)"
        )
    return True


def check_claim(report: Report, market: Market) -> None:
    """A built-in circuit's claim is recomputed (after the totals, whose count it states)."""
    cls = circuit_class(report.circuit)
    if cls is None:
        return
    expected = claim(cls, market, report.totals.accounts)
    if report.claim != expected:
        raise Invalid(f"report.json: claim {report.claim!r}; circuit {report.circuit} proves "
                      f"{expected!r}")  # fmt: skip


def report_extra_names(report: Report) -> tuple[str, ...]:
    """The names of the circuit's own statement totals: the circuit's, when it loads by name
    (the report's labels must be those, in that order, less those that count accounts when the
    count is hidden — a swapped label would pass the sums but mislead a reader); else the
    report's own labels, checked only for their number."""
    stated = report.totals.extra_names
    cls = circuit_class(report.circuit)
    if cls is None:
        return stated
    names = tuple(cls.statement_extra_names)
    shown = names
    if report.count_hidden:
        shown = tuple(n for n in names if n not in cls.padding_counts)
    if stated != shown:
        raise Invalid(
            f"report.json: totals.extra: circuit {report.circuit} states "
            f"{', '.join(shown) or 'no totals of its own'}; the report has "
            f"{', '.join(stated) or 'none'}"
        )
    return names


def check_header(report: Report, market: Market) -> None:
    epoch = market.epoch.strftime("%Y-%m-%dT%H:%M:%SZ")
    if report.epoch != epoch:
        raise Invalid(f"report.json: epoch {report.epoch} but market.json's is {epoch}")
    if report.assets != market.asset_names:
        raise Invalid(f"report.json: assets {list(report.assets)} are not market.json's")
    if report.level != market.model.level:
        raise Invalid(
            f"report.json: level {report.level} but market.json's is {market.model.level}"
        )
    if report.shape.level != report.level:
        raise Invalid(f"report.json: level {report.level} but the shape's is {report.shape.level}")
    cid = circuit_id(report.circuit, report.batch_size, report.shape.encoding())
    if report.circuit_id != cid:
        raise Invalid(
            f"report.json: circuit_id is not the id of circuit {report.circuit!r} at its shape"
        )
    if not report.batches:
        raise Invalid("report.json: no batches")


def check_batch(
    report: Report, market: Market, n: int, batch: BatchEntry, expected_first: int, n_extra: int
) -> None:
    st = batch.statement
    where = f"batch {n}"
    if batch.index != n:
        raise Invalid(f"{where}: index {batch.index}, expected {n}")
    n_assets = len(report.assets)
    checks = [
        (st.table_root == report.table_root, "statement.table_root is not the report's"),
        (st.market_hash == report.market_hash, "statement.market_hash is not the report's"),
        (st.circuit_id == report.circuit_id, "statement.circuit_id is not the report's circuit"),
        (
            st.epoch == market.epoch_seconds,
            f"statement.epoch {st.epoch} is not market.json's epoch",
        ),
        (
            st.previous == report.batches[0].statement.previous,
            "statement.previous is not batch 0's (a report follows one report)",
        ),
        (
            st.first_index == expected_first,
            f"statement.first_index {st.first_index}, expected {expected_first} (ranges must be "
            "contiguous and not overlap)",
        ),
        (
            1 <= st.count <= report.batch_size,
            f"statement.count {st.count} outside 1..{report.batch_size}",
        ),
        (
            st.count == report.batch_size or n == len(report.batches) - 1,
            f"statement.count {st.count} in a batch that is not the last (only the last batch "
            "may be partly filled)",
        ),
        (
            len(st.asset_totals) == report.shape.assets and not any(st.asset_totals[n_assets:]),
            f"statement.asset_totals has {len(st.asset_totals)} entries for the shape's "
            f"{report.shape.assets} assets, or a balance in an asset past the market's "
            f"{n_assets}",
        ),
        (
            len(st.extra) == n_extra,
            f"statement.extra has {len(st.extra)} entries for the circuit's {n_extra} totals",
        ),
    ]
    for ok, problem in checks:
        if not ok:
            raise Invalid(f"{where}: {problem}")
    try:
        recomputed = st.hash()
    except ValueError as err:
        raise Invalid(f"{where}: {err}") from None
    if batch.statement_hash != recomputed:
        raise Invalid(f"{where}: statement_hash is not the hash of the statement")


def check_root(report: Report) -> None:
    depth = tree_depth(report.batch_size)
    top = TopTree([b.statement.batch_root for b in report.batches], depth)
    if top.root != report.root:
        raise Invalid(
            "report.json: root is not the root of the account tree over the batches' "
            "statement.batch_root"
        )


def check_totals(report: Report, extra_names: tuple[str, ...]) -> None:
    cls = circuit_class(report.circuit)
    hidden = None
    if report.count_hidden:
        hidden = () if cls is None else tuple(cls.padding_counts)
    sums = Totals.of(report.batches, len(report.assets), extra_names, hidden)
    stated = report.totals
    for field in ("accounts", "collateral_value", "requirement"):
        if getattr(stated, field) != getattr(sums, field):
            raise Invalid(
                f"report.json: totals.{field} {getattr(stated, field)} is not the sum of the "
                f"batches ({getattr(sums, field)})"
            )
    for asset, s, t in zip(report.assets, stated.assets, sums.assets, strict=True):
        if s != t:
            raise Invalid(
                f"report.json: totals.assets.{asset} {s} is not the sum of the batches ({t})"
            )
    for (name, s), (_, t) in zip(stated.extra, sums.extra, strict=True):
        if s != t:
            raise Invalid(
                f"report.json: totals.extra.{name} {s} is not the sum of the batches ({t})"
            )


def existing_file(path: Path) -> Path:
    if not path.is_file():
        raise InputError(str(path), "", "file not found")
    return path
