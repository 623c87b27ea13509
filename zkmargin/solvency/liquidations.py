"""Justified liquidations: a notice at epoch E, liquidation at E′ ≥ E + grace, reports chained.

``zkmargin liquidate REPORT/ ACCOUNT_ID --notice NOTICE.json --chain R_E/ [R…/] --keys KEYS/``
writes a liquidation file (``"format": "zkmargin-liquidation/1"``) holding

* ``notice``: the account's earlier notice (margin call or liquidation at epoch E, against the
  first ``--chain`` report);
* ``liquidation``: a new notice against REPORT stating ``liquidation`` for the same pseudonym;
* ``links``: per report from the notice's up to the one before REPORT, its account ``root`` and
  batch ``statements`` — enough to recompute each chain hash
  (:mod:`zkmargin.solvency.chain`), so the file checks alone against REPORT.

:func:`verify_liquidation` checks the new notice against REPORT, each link (report k + 1 names
report k's chain hash, REPORT names the last one's; epochs increasing; the links proven with
REPORT's circuit), the earlier notice against the first link (its root, tree depth, table root,
market hash, epoch), the same ``account`` in both, and ``E′ − E ≥ grace`` (REPORT's
``model.grace``, seconds). An account that recovered (not in liquidation at E′) or a
liquidation before the grace ends cannot be proven: ``liquidate`` refuses it (exit 1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zkmargin.account_circuits.statement import STATES
from zkmargin.batch import Statement, load_model_circuit, tree_depth
from zkmargin.errors import InputError
from zkmargin.json_input import decimal_string, load_json
from zkmargin.solvency.account_proofs import (
    Refused,
    check_claim,
    check_claim_doc,
    circuit_header,
    health_report,
    report_header,
)
from zkmargin.solvency.chain import chain_hash, chain_hash_of, previous_of
from zkmargin.solvency.notices import NOTICE_CIRCUIT, NOTICE_FORMAT, Notice, issue_notice
from zkmargin.solvency.report_parts import BatchEntry
from zkmargin.solvency.snapshot_tree import top_depth
from zkmargin.solvency.verifier import Invalid

LIQUIDATION_FORMAT = "zkmargin-liquidation/1"
LIQUIDATION = 2


def liquidate(
    report: str | Path,
    account_id: str,
    notice: str | Path,
    chain: list[str | Path],
    keys: str | Path,
    private: str | Path | None = None,
) -> dict[str, Any]:
    """The liquidation JSON (module docstring); :class:`Refused` when it cannot be justified."""
    if not chain:
        raise InputError("--chain", "", "name the notice's report (and any after it)")
    links = [health_report(c) for c in chain]
    _, earlier = check_claim(notice, chain[0], NOTICE_CIRCUIT, NOTICE_FORMAT, {"state"})
    current = health_report(report)
    for before, after in zip(links, [*links[1:], current], strict=True):
        if previous_of(after.report) != chain_hash(before.report):
            raise InputError(
                "--chain", "", f"{after.folder} does not follow {before.folder}: not a chain"
            )
    start, end = earlier.statement.epoch, current.report.batches[0].statement.epoch
    grace = current.market.model.grace
    if end - start < grace:
        raise Refused(
            f"{account_id}: the grace period ({grace} s) after the notice at "
            f"{links[0].report.epoch} has not ended at {current.report.epoch}"
        )
    later = issue_notice(report, account_id, keys, private)
    if later["account"] != str(earlier.statement.account):
        raise InputError(str(notice), "account", f"not {account_id}'s pseudonym in {report}")
    if later["state"] != STATES[LIQUIDATION]:
        raise Refused(f"{account_id} recovered: in {later['state']} at {current.report.epoch}")
    return {
        "format": LIQUIDATION_FORMAT,
        "notice": load_json(Path(notice)),
        "liquidation": later,
        "links": [
            {
                "root": str(link.report.root),
                "statements": [b.statement.to_json() for b in link.report.batches],
            }
            for link in links
        ],
    }


def verify_liquidation(doc: dict[str, Any], source: str, report: str | Path) -> Notice:
    """Check a parsed liquidation file against ``report``: :class:`Invalid` naming the problem,
    ``InputError`` for a malformed one. Returns the liquidation notice, verified."""
    name = Path(source).name
    if set(doc) != {"format", "notice", "liquidation", "links"}:
        raise InputError(source, "", "expected format, notice, liquidation and links")
    loaded = health_report(report)
    r = loaded.report
    cls = load_model_circuit(NOTICE_CIRCUIT)
    later, key = check_claim_doc(
        doc["liquidation"], f"{name}: liquidation", NOTICE_CIRCUIT, NOTICE_FORMAT, {"state"},
        report_header(r, cls), r.epoch, loaded.claim_keys,
    )  # fmt: skip
    if later.state != LIQUIDATION or doc["liquidation"]["state"] != STATES[LIQUIDATION]:  # type: ignore[attr-defined]
        raise Invalid(f"{name}: the later notice does not state liquidation")
    links = _links(doc["links"], source)
    if not links:
        raise Invalid(f"{name}: no link to the notice's report")
    followers = [*(b[0].statement.previous for _, b in links[1:]), previous_of(r)]
    epochs = [b[0].statement.epoch for _, b in links] + [r.batches[0].statement.epoch]
    for k, ((root, batches), named) in enumerate(zip(links, followers, strict=True)):
        st = batches[0].statement
        if any(
            (
                b.statement.epoch,
                b.statement.previous,
                b.statement.circuit_id,
                b.statement.circuit_digest,
            )
            != (st.epoch, st.previous, r.circuit_id, r.circuit_digest)
            for b in batches
        ):
            raise Invalid(f"{name}: links[{k}]: statements of another circuit or report")
        if named != chain_hash_of(root, batches):
            raise Invalid(f"{name}: links[{k}] is not followed by the next report: not a chain")
        if epochs[k] >= epochs[k + 1]:
            raise Invalid(f"{name}: links[{k}]: epochs do not increase")
    root, batches = links[0]
    st = batches[0].statement
    header = {
        "root": root,
        "depth": tree_depth(r.batch_size) + top_depth(len(batches)),
        "table_root": st.table_root,
        "market_hash": st.market_hash,
        **circuit_header(r, cls),
        "epoch": st.epoch,
    }
    epoch_text = datetime.fromtimestamp(st.epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    earlier, _ = check_claim_doc(
        doc["notice"], f"{name}: notice", NOTICE_CIRCUIT, NOTICE_FORMAT, {"state"}, header,
        epoch_text, loaded.claim_keys,
    )  # fmt: skip
    if doc["notice"]["state"] != STATES.get(earlier.state):  # type: ignore[attr-defined]
        raise Invalid(f"{name}: notice: state is not the statement's")
    if earlier.account != later.account:
        raise Invalid(f"{name}: the notice and the liquidation name different accounts")
    grace = loaded.market.model.grace
    if later.epoch - earlier.epoch < grace:
        raise Invalid(f"{name}: liquidated before the grace period ({grace} s) ended")
    return Notice(later.account, STATES[LIQUIDATION], r.epoch, key)


def _links(value: Any, source: str) -> list[tuple[int, list[BatchEntry]]]:
    if not isinstance(value, list):
        raise InputError(source, "links", "expected a list")
    out = []
    for k, link in enumerate(value):
        if not isinstance(link, dict) or set(link) != {"root", "statements"}:
            raise InputError(source, f"links[{k}]", "expected root and statements")
        statements = link["statements"]
        if not isinstance(statements, list) or not statements:
            raise InputError(source, f"links[{k}].statements", "expected a non-empty list")
        root = decimal_string(link["root"], source, f"links[{k}].root")
        try:
            batches = [BatchEntry.of(n, Statement.from_json(s)) for n, s in enumerate(statements)]
        except (ValueError, TypeError) as err:
            raise InputError(source, f"links[{k}]", str(err)) from None
        out.append((root, batches))
    return out


__all__ = ["LIQUIDATION_FORMAT", "liquidate", "verify_liquidation"]
