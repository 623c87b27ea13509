"""What a published site shows and checks, as JSON: built from verified report folders only.

Two documents per site (``data/`` in the site folder; the pages read them, nothing else):

* ``site.json`` — the overview: per report (oldest epoch first) the claim in words, epoch,
  circuit, level, market commitment, the verification key's SHA-256, totals as exact decimals
  (money in the market's price unit, balances in asset units), the accounts per state when the
  circuit proves states, and the batches' index ranges. Only proven totals: nothing an account
  could be recognised from (no per-batch totals, no ids — excluded ids stay in ``report.json``).
* ``check-<n>.json`` — what the page needs to check a receipt against report ``n`` in the
  browser: the domain tags, the leaf's layout (instrument and asset order, position slots and
  balances of the circuit's shape),
  the statement's field names in hashing order, every batch's statement, hash and proof, the
  tree depths and root, and the verification key.

The page's encoding code (``assets/encoding.js``) mirrors :mod:`zkmargin.batch.encoding` and
:mod:`zkmargin.batch.statement`; writing tags, orders and field names here keeps what it has to
know about the encodings small.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from zkmargin.batch import Shape, tree_depth
from zkmargin.batch.encoding import ACCOUNT_TAG, EXTENDED_LEAF_TAG, ID_TAG, LEAF_TAG
from zkmargin.batch.health import HEALTH_TOTALS
from zkmargin.batch.statement import STATEMENT_TAG
from zkmargin.errors import InputError
from zkmargin.field import BN254_FR
from zkmargin.hash.poseidon import SPONGE_DOMAIN_BASE
from zkmargin.json_input import load_json
from zkmargin.margin import Market
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE, RATE_SCALE, format_decimal
from zkmargin.solvency import layout
from zkmargin.solvency.receipts import RECEIPT_FORMAT
from zkmargin.solvency.snapshot_tree import top_depth
from zkmargin.solvency.verifier import LoadedReport, circuit_class

SITE_FORMAT = "zkmargin-site/1"
STATE_LABELS = {"healthy": "healthy", "margin_call": "margin call", "liquidation": "liquidation"}


@dataclass(frozen=True)
class ReportData:
    """One verified report as the site shows it (``overview``) and checks it (``check``)."""

    overview: dict[str, Any]
    check: dict[str, Any]


def report_data(loaded: LoadedReport, n: int) -> ReportData:
    """The site's documents for a report that :func:`~zkmargin.solvency.verify_report` passed;
    ``n`` is its place in the site (``check-<n>.json``, ``reports/<n>/``)."""
    report, market = loaded.report, loaded.market
    if report.curve != "bn128":  # the page's Poseidon (circomlibjs) is BN254's
        raise InputError(str(loaded.folder / layout.REPORT), "curve", "the site checks bn128 only")
    cls = circuit_class(report.circuit)
    proves_cover = None if cls is None else bool(cls.proves_cover)
    extra = dict(report.totals.extra)
    states = (
        {STATE_LABELS[k]: extra[k] for k in STATE_LABELS} if tuple(extra) == HEALTH_TOTALS else None
    )
    vk_sha256 = hashlib.sha256((loaded.folder / layout.VKEY).read_bytes()).hexdigest()
    totals = report.totals
    overview = {
        "n": n,
        "epoch": report.epoch,
        "circuit": report.circuit,
        "model": report.model,
        "level": report.level,
        "claim": claim_in_words(loaded),
        "table_root": str(report.table_root),
        "market_hash": str(report.market_hash),
        "circuit_id": str(report.circuit_id),
        "root": str(report.root),
        "verification_key_sha256": vk_sha256,
        "batch_size": report.batch_size,
        "totals": {
            "accounts": totals.accounts,
            "collateral_value": format_decimal(totals.collateral_value, MONEY_SCALE),
            "requirement": format_decimal(totals.requirement, MONEY_SCALE),
            "assets": {
                a: format_decimal(v, QTY_SCALE)
                for a, v in zip(report.assets, totals.assets, strict=True)
            },
        },
        "states": states,
        "shortfall": format_decimal(extra["shortfall"], MONEY_SCALE) if states else None,
        "other_totals": None if states else {k: str(v) for k, v in extra.items()} or None,
        "excluded": len(report.excluded),
        "batches": [
            {
                "index": b.index,
                "first": b.statement.first_index,
                "last": b.statement.first_index + b.statement.count - 1,
                "count": b.statement.count,
            }
            for b in report.batches
        ],
        "report": f"reports/{n}/{layout.REPORT}",
        "check": f"data/check-{n}.json",
    }
    depth = tree_depth(report.batch_size)
    check = {
        "epoch": report.epoch,
        "receipt_format": RECEIPT_FORMAT,
        **encoding_data(market, cls, report.shape, str(loaded.folder / layout.REPORT)),
        "market_hash": str(report.market_hash),
        "circuit_id": str(report.circuit_id),
        "epoch_seconds": str(int(market.epoch.timestamp())),
        "root": str(report.root),
        "batch_depth": depth,
        "top_depth": top_depth(len(report.batches)),
        "level": report.level,
        "proves_cover": proves_cover,
        "statement_public": report.shape.statement,
        "buffer_percent": format_decimal(market.model.buffer * 100, RATE_SCALE),
        "batches": [
            {
                "statement": b.statement.to_json(),
                "statement_fields": b.statement.field_names(),
                "statement_hash": str(b.statement_hash),
                "proof": load_json(loaded.folder / layout.batch_dir("", b.index) / layout.PROOF),
            }
            for b in report.batches
        ],
        "verification_key": load_json(loaded.folder / layout.VKEY),
    }
    return ReportData(overview, check)


def encoding_data(market: Market, cls: Any, shape: Shape, source: str) -> dict[str, Any]:
    """What ``encoding.js`` needs to hash a receipt's leaf and a statement as ``cls`` (a circuit
    class, or ``None`` for one not loadable by name: the plain leaf) does for ``market`` at
    ``shape``: the domain tags, the leaf's layout (instrument and asset order, the shape's
    position slots and balances), the quantity scale. ``source`` names the report in errors."""
    return {
        "field_modulus": str(BN254_FR.p),
        "tags": {
            "id": str(ID_TAG),
            "account": str(ACCOUNT_TAG),
            "leaf": str(LEAF_TAG),
            "extended_leaf": str(EXTENDED_LEAF_TAG),
            "statement": str(STATEMENT_TAG),
            "sponge_domain_base": str(SPONGE_DOMAIN_BASE),
        },
        "leaf": {
            "instruments": list(market.instrument_names),
            "assets": list(market.asset_names),
            "slots": shape.slots,
            "balances": shape.assets,
            "extra": _leaf_extra_kind(cls, shape, source),
        },
        "quantity_decimals": len(str(QTY_SCALE)) - 1,
    }


def claim_in_words(loaded: LoadedReport) -> str:
    """The report's claim as a sentence for people: the verified ``report.claim`` (the verifier
    recomputed it from the circuit and the market), and what was left out."""
    report = loaded.report
    text = report.claim[:1].upper() + report.claim[1:] + "."
    if report.excluded:
        left = len(report.excluded)
        text += (
            f" {left:,} account{'' if left == 1 else 's'} that could not be proven "
            f"{'is' if left == 1 else 'are'} left out and listed in the report."
        )
    return text


def _leaf_extra_kind(cls: Any, shape: Shape, source: str) -> str | None:
    """What the page appends to a leaf: nothing, or the isolated margin section (per slot the
    flags, then the balances). A circuit committing anything else per account cannot be
    checked by the page."""
    if cls is None or cls.extra_size(shape) == 0:
        return None
    isolated = circuit_class("isolated")
    if isolated is not None and cls.leaf_extra.__func__ is isolated.leaf_extra.__func__:
        return "isolated"
    raise InputError(
        source, "circuit", f"the site's page cannot recompute circuit {cls.name}'s account leaf"
    )


def site_json(reports: list[ReportData]) -> dict[str, Any]:
    """``site.json``: the reports' overviews, oldest epoch first."""
    return {"format": SITE_FORMAT, "reports": [r.overview for r in reports]}
