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
from dataclasses import dataclass
from pathlib import Path

from zkmargin.batch import (
    tree_depth,
)
from zkmargin.batch.statement import public_count
from zkmargin.curve import curve_by_name
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import (
    Proof,
    VerifyingKey,
    read_proof,
    read_public,
)
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.groth16 import batch_verify, verify
from zkmargin.hash import root_from_path
from zkmargin.json_input import load_json
from zkmargin.margin import Market, load_market
from zkmargin.solvency import layout
from zkmargin.solvency.published_market import (
    MarketTable,
    check_market_table,
    published_market,
    read_market_table,
)
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_checks import (
    Invalid,
    check_batch,
    check_circuit,
    check_claim,
    check_header,
    check_root,
    check_totals,
    checked_key,
    circuit_class,
    circuit_digest,
    existing_file,
    published_claim_keys,
    report_extra_names,
)
from zkmargin.solvency.report_parts import BatchEntry
from zkmargin.solvency.snapshot_tree import top_depth as snapshot_top_depth


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
    extra_names = report_extra_names(report)
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

    check_header(report, market)
    recompiled = check_circuit(report, market)
    check_market_table(folder, report, market)
    publics, proofs = {}, {}
    r = curve_by_name(vk.curve).fr.p
    first = 0  # where the next range must start
    for n, batch in enumerate(report.batches):
        check_batch(report, market, n, batch, first, len(extra_names))
        first += batch.statement.count
        where = layout.batch_dir(folder, batch.index)
        publics[n] = read_public(existing_file(where / layout.PUBLIC), r)
        if publics[n] != batch.statement.public_signals(mode):
            what = "hash" if mode == "hash" else "fields"
            raise Invalid(
                f"batch {n}: public.json is not the statement {what} recomputed from report.json"
            )
        proofs[n] = read_proof(existing_file(where / layout.PROOF))
    check_totals(report, extra_names)
    check_claim(report, market)
    check_root(report)
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
    proof alone, to name the first failing batch). Returns the report; raises :class:`Invalid`.

    ``docs/api.md`` verifies a report it proves; a folder that is not one is refused:

    >>> import tempfile
    >>> verify_report(tempfile.mkdtemp())
    Traceback (most recent call last):
    zkmargin.errors.InputError: .../report.json: not found (is this a report folder?)
    """
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

    ``docs/api.md`` checks a receipt of a report it proves; the report folder is read first:

    >>> import tempfile
    >>> verify_inclusion("receipts/alice.json", tempfile.mkdtemp())
    Traceback (most recent call last):
    zkmargin.errors.InputError: .../report.json: not found (is this a report folder?)
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


__all__ = [
    "Inclusion",
    "Invalid",
    "LoadedReport",
    "MarketTable",
    "circuit_class",
    "circuit_digest",
    "load_report",
    "published_market",
    "read_market_table",
    "read_report",
    "verify_inclusion",
    "verify_report",
]
