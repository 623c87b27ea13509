"""What a prove run is given and what it returns: the snapshot to prove and how to prove it
(:class:`Snapshot`, :class:`ProveOptions`), its progress and its result.

>>> Snapshot("accounts.jsonl", "market.json", "keys").previous is None
True
>>> ProveOptions(seed=7, workers=2).hide_count
False
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import Excluded

if TYPE_CHECKING:
    from zkmargin.solvency.keys import Keys


@dataclass(frozen=True)
class Snapshot:
    """What is proven: an accounts file against a market file, with the keys folder (or loaded
    :class:`~zkmargin.solvency.keys.Keys`); ``previous``: the report folder this one follows
    (verified; its chain hash goes into every statement, :mod:`zkmargin.solvency.chain`).

    >>> first = Snapshot("accounts.jsonl", "market.json", "keys")
    >>> Snapshot("accounts.jsonl", "market.json", "keys", previous="report").previous, first.previous
    ('report', None)
    """

    accounts: str | Path
    market: str | Path
    keys: str | Path | Keys
    previous: str | Path | None = None


@dataclass(frozen=True)
class ProveOptions:
    """How it is proven; every field has a default.

    ``private``: the folder for receipts, the job ledger and witnesses (default ``out.private``
    beside the report, :mod:`zkmargin.solvency.layout`); ``keep_witnesses`` writes the
    witnesses there. ``allow_shortfall`` leaves under-margined accounts out (listed in the
    report) instead of stopping. ``seed`` derives salts and proof blinding (reproducible,
    byte-identical reports, but NOT zero-knowledge: tests and audits only); by default they come
    from :mod:`secrets`. ``workers``/``executor``: where batches are proven
    (:func:`~zkmargin.solvency.executors.open_executor`); ``backend``: the MSM backend of
    :func:`zkmargin.groth16.prove`. ``hide_count``/``pad_to``: pad with zero accounts
    (:func:`~zkmargin.solvency.batch_plan.padded_count`). ``restart`` discards an interrupted run
    instead of resuming it. ``account_key``: the file of the exchange's account key, which fixes
    each account's secret and so its commitment across epochs (created when absent; default
    ``private/account.key``, or derived from ``seed``). ``progress`` is called with a
    :class:`Progress` when proving starts and after each batch. ``claim_keys``: ``notice`` and
    ``attestation`` keys folders whose verifying keys the report publishes
    (:mod:`zkmargin.solvency.claim_keys`).

    >>> options = ProveOptions(workers=2, allow_shortfall=True)
    >>> options.workers, options.seed is None, options.hide_count
    (2, True, False)
    """

    private: str | Path | None = None
    keep_witnesses: bool = False
    allow_shortfall: bool = False
    progress: Callable[[Progress], None] | None = None
    seed: int | None = None
    workers: int = 1
    executor: str | None = None
    backend: str | None = None
    hide_count: bool = False
    pad_to: int | None = None
    restart: bool = False
    account_key: str | Path | None = None
    claim_keys: Sequence[str | Path] = ()


@dataclass(frozen=True)
class Progress:
    """Where proving stands: passed to the ``progress`` callback once when proving starts
    (``event`` ``"start"``) and after each batch is written and recorded (``"batch"``).

    ``resumed_*``: what an earlier, interrupted run had already proven (not counted in rates).
    """

    event: str
    batches_done: int
    batches_total: int
    accounts_done: int
    accounts_total: int
    seconds: float
    resumed_batches: int = 0
    resumed_accounts: int = 0

    @property
    def rate(self) -> float:
        """Accounts per second proven by this run (0 before the first batch)."""
        fresh = self.accounts_done - self.resumed_accounts
        return fresh / self.seconds if self.seconds > 0 and fresh > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at this run's rate (``None`` before it is known)."""
        rate = self.rate
        return (self.accounts_total - self.accounts_done) / rate if rate else None


class UnderMargined(Exception):
    """Accounts whose collateral value misses the buffered requirement (no report written):
    raised unless ``allow_shortfall``, and with it when every account misses."""

    def __init__(self, accounts: Sequence[Excluded]) -> None:
        self.accounts = tuple(accounts)
        n = len(self.accounts)
        super().__init__(f"{n} {'account misses its' if n == 1 else 'accounts miss their'} "
                         "margin requirement")  # fmt: skip


@dataclass(frozen=True)
class ProveResult:
    """What ``prove_snapshot`` wrote: the report, where, and how much was proven."""

    report: Report
    folder: Path
    private: Path
    """The private folder: receipts, job ledger, witnesses (never to be published)."""
    constraints_per_batch: int
    seconds: float
    resumed_batches: int = 0
    proves_cover: bool = True
    """Whether the circuit proves each account's buffered cover (``BatchCircuit.proves_cover``);
    the health circuits prove states instead."""
