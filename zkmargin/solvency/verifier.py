"""``zkmargin verify`` and ``zkmargin verify-inclusion``: check a report folder, and one receipt.

Everything is recomputed from the folder's own files: the table root and the market hash from
the integers of ``market_table.json`` (no floating point anywhere: a report verifies the same on
every platform), the circuit id from the circuit name and shape, the circuit's digest by
compiling the built-in circuit again for that shape, its claim, each statement hash from
``report.json``; proofs are checked under ``verification_key.json``, which must be a key nobody
can forge under (:mod:`zkmargin.groth16.key_checks`) and, to mean anything, the key the exchange
published: pin it with ``expected_vk`` (a file) or ``expected_fingerprint``
(:mod:`zkmargin.formats.vk_fingerprint`). Well-formed files that do not add up raise
:class:`Invalid` naming what is wrong; unreadable or malformed files raise
:class:`zkmargin.errors.InputError`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkmargin.batch import (
    InstrumentTable,
    MarketVector,
    Shape,
    circuit_id,
    load_model_circuit,
    tree_depth,
)
from zkmargin.batch.claims import claim
from zkmargin.batch.digest import compile_with_digest
from zkmargin.batch.statement import public_count
from zkmargin.batch.table import Column
from zkmargin.curve import curve_by_name
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import (
    InvalidPoint,
    Proof,
    VerifyingKey,
    read_proof,
    read_public,
    vk_from_json,
)
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.groth16 import batch_verify, verify
from zkmargin.groth16.key_checks import key_defect
from zkmargin.hash import root_from_path
from zkmargin.json_input import load_json
from zkmargin.margin import Market, load_market
from zkmargin.solvency import layout
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import MARKET_TABLE_FORMAT, BatchEntry, Report, Totals
from zkmargin.solvency.snapshot_tree import TopTree
from zkmargin.solvency.snapshot_tree import top_depth as snapshot_top_depth


class Invalid(Exception):
    """A report or receipt that does not verify; ``str()`` is one line naming what is wrong."""


@dataclass
class LoadedReport:
    """A report folder read and checked for consistency (everything but the pairings)."""

    folder: Path
    report: Report
    market: Market
    vk: VerifyingKey
    publics: dict[int, list[int]]
    proofs: dict[int, Proof]
    fingerprint: str = ""
    """The verifying key's fingerprint (:func:`~zkmargin.formats.vk_fingerprint.vk_fingerprint`)."""
    pinned_by: str | None = None
    """What the key was compared with (``--vk FILE``, ``--vk-fingerprint``); ``None``: nothing,
    the key came from the report itself."""
    recompiled: bool = False
    """Whether the circuit was compiled again here and its digest compared (a built-in)."""
    claim_keys: dict[str, VerifyingKey] = dataclasses.field(default_factory=dict)
    """The notice and attestation keys the report publishes (:mod:`~zkmargin.solvency.claim_keys`)."""


def load_report(
    folder: str | Path,
    expected_vk: str | Path | None = None,
    expected_fingerprint: str | None = None,
) -> LoadedReport:
    """Read a report folder and check every claim that needs no pairing.

    Checks: the verifying key (no degenerate key, :func:`~zkmargin.groth16.key_checks.
    key_defect`; equal to ``expected_vk``'s and of fingerprint ``expected_fingerprint`` when
    given); the market's model is the circuit's; the table root and market hash recomputed
    from ``market_table.json`` (every value in its window, the instruments those of
    ``market.json``), the circuit id from the circuit and shape; for a built-in circuit, its
    digest (compiled again for the shape) and its claim; per batch, the statement's table root,
    market hash, circuit id, digest and epoch; index ranges contiguous from 0 and
    non-overlapping, ``1 <= count <= batch_size``, every batch but the last full; the stored
    statement hash equals the recomputed hash and ``public.json`` the recomputed public signals
    (that hash; with the shape's ``statement=fields``, the statement's fields); the report's ``root`` is the
    top tree over the statements' batch roots (batch ``n`` at top position ``n``, empty slots
    the empty batch root) — so the account tree holds nothing but the proven batches, and with
    the ranges every leaf slot of it is proven exactly once (a slot past a batch's ``count`` is
    a zero leaf, constrained so by the circuit); totals equal the sums of the batches, the
    circuit's own totals (``totals.extra``) too, under the circuit's names when it loads by
    name; no stray batch folders.
    """
    folder = Path(folder)
    report = read_report(folder)
    market = load_market(folder / layout.MARKET, price=False)  # names and epoch: no floats
    extra_names = _extra_names(report)
    mode = report.shape.statement
    n_public = public_count(mode, report.shape.assets, len(extra_names))
    vk = checked_key(folder / layout.VKEY, layout.VKEY, n_public)
    fingerprint = vk_fingerprint(vk)
    pinned_by = None
    if expected_vk is not None:
        published = checked_key(Path(expected_vk), str(expected_vk), n_public)
        if vk_fingerprint(published) != fingerprint:
            raise Invalid(
                f"{layout.VKEY}: not the verification key {expected_vk} (fingerprint "
                f"{fingerprint}, the published key's is {vk_fingerprint(published)})"
            )
        pinned_by = f"--vk {expected_vk}"
    if expected_fingerprint is not None:
        if expected_fingerprint != fingerprint:
            raise Invalid(
                f"{layout.VKEY}: fingerprint {fingerprint}, not the published {expected_fingerprint}"
            )
        pinned_by = "--vk-fingerprint" if pinned_by is None else f"{pinned_by} and --vk-fingerprint"
    if vk.curve != report.curve:
        raise Invalid(f"report.json: curve {report.curve} but the key is on {vk.curve}")

    _check_header(report, market)
    recompiled = _check_circuit(report, market)
    _check_market_table(folder, report, market)
    publics, proofs = {}, {}
    r = curve_by_name(vk.curve).fr.p
    first = 0  # where the next range must start
    for n, batch in enumerate(report.batches):
        _check_batch(report, market, n, batch, first, len(extra_names))
        first += batch.statement.count
        where = layout.batch_dir(folder, batch.index)
        publics[n] = read_public(_file(where / layout.PUBLIC), r)
        if publics[n] != batch.statement.public_signals(mode):
            what = "hash" if mode == "hash" else "fields"
            raise Invalid(
                f"batch {n}: public.json is not the statement {what} recomputed from report.json"
            )
        proofs[n] = read_proof(_file(where / layout.PROOF))
    _check_totals(report, extra_names)
    _check_claim(report, market)
    _check_root(report)
    claim_keys = published_claim_keys(folder, dict(report.claim_keys))
    listed = {str(b.index) for b in report.batches}
    if (folder / layout.BATCHES).is_dir():
        stray = sorted(p.name for p in (folder / layout.BATCHES).iterdir() if p.name not in listed)
        if stray:
            raise Invalid(f"batches/{stray[0]}: a batch folder report.json does not list")
    return LoadedReport(
        folder, report, market, vk, publics, proofs, fingerprint, pinned_by, recompiled, claim_keys
    )


def read_report(folder: str | Path) -> Report:
    """The folder's ``report.json``, parsed (``InputError`` if absent or malformed)."""
    path = Path(folder) / layout.REPORT
    if not path.is_file():
        raise InputError(str(path), "", "not found (is this a report folder?)")
    return Report.from_json(load_json(path), str(path))


def verify_report(
    folder: str | Path,
    expected_vk: str | Path | None = None,
    expected_fingerprint: str | None = None,
) -> LoadedReport:
    """:func:`load_report`, then every batch proof (one batched pairing check; on failure each
    proof alone, to name the first failing batch). Returns the report; raises :class:`Invalid`."""
    loaded = load_report(folder, expected_vk, expected_fingerprint)
    items = [(loaded.publics[n], loaded.proofs[n]) for n in range(len(loaded.report.batches))]
    if not batch_verify(loaded.vk, items):
        for n, (public, proof) in enumerate(items):
            if not verify(loaded.vk, public, proof):
                raise Invalid(f"batch {n}: the proof does not verify (batches/{n}/proof.json)")
        raise Invalid("the batched proof check failed but every proof verifies alone")
    return loaded


@dataclass(frozen=True)
class Inclusion:
    """A verified receipt: the account, where it sits, and the batch that proves it."""

    receipt: Receipt
    batch: BatchEntry
    report: Report
    loaded: LoadedReport | None = None
    """The report folder as checked (key fingerprint, how it was pinned)."""


def verify_inclusion(
    receipt_path: str | Path,
    folder: str | Path,
    expected_vk: str | Path | None = None,
    expected_fingerprint: str | None = None,
) -> Inclusion:
    """Check one receipt against a report folder (raises :class:`Invalid` naming the problem).

    The account's leaf (id hash, salt, positions, balances) folds up its Merkle path to the root
    of its batch's statement; its position lies inside the proven range ``[0, count)`` (a leaf
    outside it would be in the tree but never counted); its index is ``first_index + position``;
    the report is consistent (:func:`load_report`) and the batch's proof verifies.
    """
    receipt_path = Path(receipt_path)
    loaded = load_report(folder, expected_vk, expected_fingerprint)
    report, market = loaded.report, loaded.market
    receipt = Receipt.from_json(load_json(receipt_path), str(receipt_path), market)
    name = receipt_path.name
    if receipt.epoch != report.epoch:
        raise Invalid(f"{name}: epoch {receipt.epoch}, the report's is {report.epoch}")
    if receipt.batch >= len(report.batches):
        raise Invalid(
            f"{name}: batch {receipt.batch} is not in the report ({len(report.batches)} batches)"
        )
    batch = report.batches[receipt.batch]
    st = batch.statement
    if receipt.position >= st.count:
        raise Invalid(
            f"{name}: position {receipt.position} is outside batch {receipt.batch}'s proven range "
            f"[0, {st.count})"
        )
    if receipt.index != st.first_index + receipt.position:
        raise Invalid(
            f"{name}: index {receipt.index} is not first_index {st.first_index} + position "
            f"{receipt.position} of batch {receipt.batch}"
        )
    depth = tree_depth(report.batch_size)
    top = snapshot_top_depth(len(report.batches))
    if len(receipt.siblings) != depth + top:
        raise Invalid(
            f"{name}: {len(receipt.siblings)} siblings, the account tree has depth "
            f"{depth + top} (batch {depth} + top {top})"
        )
    cls = circuit_class(report.circuit)
    if cls is None:
        raise Invalid(f"report.json: circuit {report.circuit!r} is not known by name here")
    try:
        leaf = cls.account_leaf(market, receipt.account, receipt.salt, report.shape, receipt.secret)
    except ValueError as err:
        raise Invalid(f"{name}: {err}") from None
    if leaf != receipt.leaf:
        raise Invalid(
            f"{name}: leaf does not match the account data, secret, salt and id in the receipt"
        )
    bits = [(receipt.position >> h) & 1 for h in range(depth)]
    if root_from_path(leaf, bits, receipt.siblings[:depth]) != st.batch_root:
        raise Invalid(
            f"{name}: the Merkle path does not lead to batch {receipt.batch}'s root: the account "
            "data, salt or siblings differ from what was proven"
        )
    top_bits = [(receipt.batch >> h) & 1 for h in range(top)]
    if root_from_path(st.batch_root, top_bits, receipt.siblings[depth:]) != report.root:
        raise Invalid(
            f"{name}: the path from batch {receipt.batch}'s root does not lead to the report's "
            "root (top siblings differ)"
        )
    n = receipt.batch
    if not verify(loaded.vk, loaded.publics[n], loaded.proofs[n]):
        raise Invalid(f"batch {n}: the proof does not verify (batches/{n}/proof.json)")
    return Inclusion(receipt, batch, report, loaded)


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


def _check_circuit(report: Report, market: Market) -> bool:
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


def _check_claim(report: Report, market: Market) -> None:
    """A built-in circuit's claim is recomputed (after the totals, whose count it states)."""
    cls = circuit_class(report.circuit)
    if cls is None:
        return
    expected = claim(cls, market, report.totals.accounts)
    if report.claim != expected:
        raise Invalid(f"report.json: claim {report.claim!r}; circuit {report.circuit} proves "
                      f"{expected!r}")  # fmt: skip


def _extra_names(report: Report) -> tuple[str, ...]:
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


def _check_header(report: Report, market: Market) -> None:
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


@dataclass(frozen=True)
class MarketTable:
    """``market_table.json`` read back: instrument names, the market vector and the table
    (``None`` for a circuit that reads none), every value checked against its window."""

    instruments: list[str]
    vector: MarketVector[int]
    table: InstrumentTable | None


def read_market_table(path: str | Path, shape: Shape, columns: Sequence[Column]) -> MarketTable:
    """Read ``market_table.json`` for a circuit of ``shape`` whose table has ``columns`` (none:
    it reads no table); one-line :class:`InputError` naming the field."""
    doc = load_json(path)
    source = str(path)
    if not isinstance(doc, dict) or set(doc) != {"format", "instruments", "vector", "table"}:
        raise InputError(source, "", "expected format, instruments, vector, table")
    if doc["format"] != MARKET_TABLE_FORMAT:
        raise InputError(source, "format", f"expected {MARKET_TABLE_FORMAT!r}")
    instruments = doc["instruments"]
    if not isinstance(instruments, list) or not all(isinstance(n, str) for n in instruments):
        raise InputError(source, "instruments", "expected a list of names")
    vector = MarketVector.from_json(doc["vector"], source, shape)
    table = None
    if columns:
        if doc["table"] is None:
            raise InputError(source, "table", "the circuit reads a table")
        table = InstrumentTable.from_json(doc["table"], source, columns)
    elif doc["table"] is not None:
        raise InputError(source, "table", "the circuit reads no table: expected null")
    return MarketTable(instruments, vector, table)


def published_market(folder: str | Path, report: Report) -> MarketTable:
    """The integers a report's circuits consumed, from its ``market_table.json``, read against
    the columns of the report's circuit (which must load by plain name: the columns give the
    windows). ``InputError`` on a malformed file, :class:`Invalid` on a table of another
    capacity or circuit."""
    cls = circuit_class(report.circuit)
    if cls is None:
        raise Invalid(
            f"report.json: circuit {report.circuit!r} is not a circuit this verifier knows by "
            "name, so the windows of its table are unknown"
        )
    columns = cls.columns_of(report.shape)
    published = read_market_table(Path(folder) / layout.MARKET_TABLE, report.shape, columns)
    table = published.table
    if table is None:
        if report.table_root != 0:
            raise Invalid(f"circuit {report.circuit} reads no table: table_root must be 0")
    elif table.capacity != report.shape.instruments or list(table.names) != published.instruments:
        raise Invalid(
            f"{layout.MARKET_TABLE}: the table is not the shape's capacity over the instruments"
        )
    return published


def _check_market_table(folder: Path, report: Report, market: Market) -> None:
    """The published integers hash to the report's ``market_hash`` and ``table_root``, and
    ``market.json``'s grace is the vector's."""
    published = published_market(folder, report)
    if published.instruments != list(market.instrument_names):
        raise Invalid(f"{layout.MARKET_TABLE}: instruments are not market.json's, in its order")
    if published.vector.hash() != report.market_hash:
        raise Invalid(f"report.json: market_hash is not the hash of {layout.MARKET_TABLE}'s vector")
    if published.vector.grace != market.model.grace:  # what liquidations read: proven
        raise Invalid(f"market.json: model.grace is not the grace {layout.MARKET_TABLE} proves")
    if published.table is not None and published.table.root != report.table_root:
        raise Invalid(f"report.json: table_root is not the root of {layout.MARKET_TABLE}'s table")


def _check_batch(
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


def _check_root(report: Report) -> None:
    depth = tree_depth(report.batch_size)
    top = TopTree([b.statement.batch_root for b in report.batches], depth)
    if top.root != report.root:
        raise Invalid(
            "report.json: root is not the root of the account tree over the batches' "
            "statement.batch_root"
        )


def _check_totals(report: Report, extra_names: tuple[str, ...]) -> None:
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


def _file(path: Path) -> Path:
    if not path.is_file():
        raise InputError(str(path), "", "file not found")
    return path
