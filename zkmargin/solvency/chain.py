"""Epoch chains: each report commits the report before it, and ``verify-chain`` checks them.

A report's *chain hash* is the Poseidon sponge of ``[CHAIN_TAG, root, number of batches,
statement hash of each batch...]``: it fixes the account tree and every statement (market, epoch,
totals — and the statements' own ``previous``, so the hash covers the whole chain before it).
``prove --previous PREV/`` puts PREV's chain hash in every batch statement of the new report as
``previous`` (the proofs prove it: it is hashed into their public input); a report that follows
none has ``previous = 0``.

:func:`verify_chain` verifies every report, then every link: report ``k`` names report
``k − 1``'s chain hash and its epoch is strictly later. A report left out, two swapped, or one
replaced by another valid report fails a link, named by its folder. The first report may itself
follow an earlier one not given (its ``previous`` is stated, not checked).

>>> from zkmargin.batch import Statement
>>> from zkmargin.solvency.report_parts import BatchEntry
>>> s = Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 500, 100, (7, 0), previous=5)
>>> h = chain_hash_of(4, [BatchEntry.of(0, s)])
>>> h == chain_hash_of(4, [BatchEntry.of(0, s)]) != chain_hash_of(5, [BatchEntry.of(0, s)])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from zkmargin.batch.encoding import text_tag
from zkmargin.hash import poseidon_sponge
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import BatchEntry
from zkmargin.solvency.verifier import Invalid, LoadedReport, verify_report

CHAIN_TAG = text_tag("zkmargin/chain/v1")


def chain_hash_of(root: int, batches: Sequence[BatchEntry]) -> int:
    """The chain hash of a report with account ``root`` and ``batches`` (module docstring)."""
    return poseidon_sponge([CHAIN_TAG, root, len(batches), *(b.statement_hash for b in batches)])


def chain_hash(report: Report) -> int:
    """``report``'s chain hash: what the next report's statements name as ``previous``."""
    return chain_hash_of(report.root, report.batches)


def previous_of(report: Report) -> int:
    """The chain hash ``report`` follows (0: none); the verifier checks that every batch
    statement names the same one."""
    return report.batches[0].statement.previous


def verify_chain(folders: Sequence[str | Path]) -> list[LoadedReport]:
    """Verify each report folder and each link (module docstring); :class:`Invalid` naming the
    folder and the problem."""
    loaded: list[LoadedReport] = []
    for folder in folders:
        try:
            current = verify_report(folder)
        except Invalid as err:
            raise Invalid(f"{folder}: {err}") from None
        if loaded:
            before = loaded[-1]
            epoch, earlier = _seconds(current), _seconds(before)
            if epoch <= earlier:
                raise Invalid(
                    f"{folder}: epoch {current.report.epoch} is not after "
                    f"{before.folder}'s {before.report.epoch} (reports out of order)"
                )
            if previous_of(current.report) != chain_hash(before.report):
                raise Invalid(
                    f"{folder}: does not follow {before.folder} (its previous is not that "
                    "report's chain hash: a report is missing, reordered or replaced)"
                )
        loaded.append(current)
    return loaded


def _seconds(loaded: LoadedReport) -> int:
    return loaded.report.batches[0].statement.epoch


__all__ = ["CHAIN_TAG", "chain_hash", "chain_hash_of", "previous_of", "verify_chain"]
