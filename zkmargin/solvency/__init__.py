"""The solvency pipeline: keys, batch proofs of a snapshot, the report, receipts, verification.

:func:`setup_keys` compiles a model circuit for a market and batch size and writes a keys
folder; :func:`prove_snapshot` margins a snapshot with the reference calculator, proves it batch
by batch (streaming, resumable, on any executor) under one account tree and writes a report
folder (public) and a private folder with one receipt per account; :func:`verify_report` checks a
report folder and :func:`verify_inclusion` one receipt against it. The CLI commands ``setup``,
``prove``, ``verify``, ``verify-inclusion`` and ``demo`` are thin wrappers (``docs/solvency.md``).

Example (minutes in pure Python: the setup dominates)::

    from zkmargin.margin import load_market
    market = load_market("market.json")
    setup_keys("greeks", market, batch_size=2, out="keys")        # UNSAFE dev setup
    prove_snapshot(Snapshot("accounts.jsonl", "market.json", "keys"), "report")
    verify_report("report").report.totals.accounts                 # raises Invalid if not
    verify_inclusion("report.private/receipts/acct-0001.json", "report")

Receipt file names: ``receipt_filename("acct-0001") == "acct-0001.json"``.
"""

from zkmargin.solvency.batch_jobs import ProvingError
from zkmargin.solvency.batch_plan import padded_count, shortfalls
from zkmargin.solvency.keys import KeyInfo, Keys, load_keys, setup_keys
from zkmargin.solvency.layout import receipt_filename
from zkmargin.solvency.prove_request import (
    Progress,
    ProveOptions,
    ProveResult,
    Snapshot,
    UnderMargined,
)
from zkmargin.solvency.prover import prove_snapshot
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import BatchEntry, Excluded, Totals
from zkmargin.solvency.verifier import (
    Inclusion,
    Invalid,
    LoadedReport,
    circuit_class,
    load_report,
    verify_inclusion,
    verify_report,
)

__all__ = [
    "BatchEntry",
    "Excluded",
    "Inclusion",
    "Invalid",
    "KeyInfo",
    "Keys",
    "LoadedReport",
    "Progress",
    "ProveOptions",
    "ProveResult",
    "ProvingError",
    "Receipt",
    "Report",
    "Snapshot",
    "Totals",
    "UnderMargined",
    "circuit_class",
    "load_keys",
    "load_report",
    "padded_count",
    "prove_snapshot",
    "receipt_filename",
    "setup_keys",
    "shortfalls",
    "verify_inclusion",
    "verify_report",
]
