"""Writing a prove run's results: each finished batch as it comes (files, then its ledger
row), which recorded batches are still intact on resume, and the assembled report.

The batch files go to the partial report folder; the receipts wait in the private folder's
``work/`` until :func:`assemble_report` gives them their full paths.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

from zkmargin.atomic_files import atomic_write
from zkmargin.batch import Statement, tree_depth
from zkmargin.batch.claims import claim
from zkmargin.formats.snarkjs_json import (
    VerifyingKey,
    proof_to_json,
    public_to_json,
    vk_to_json,
    write_json,
)
from zkmargin.formats.wtns import write_wtns
from zkmargin.groth16 import verification_key
from zkmargin.solvency import layout
from zkmargin.solvency.batch_jobs import BatchOutput, ProvingError
from zkmargin.solvency.batch_model import BatchModel
from zkmargin.solvency.claim_keys import fingerprints
from zkmargin.solvency.keys import Keys
from zkmargin.solvency.ledger import Ledger
from zkmargin.solvency.prove_request import Progress
from zkmargin.solvency.published_market import market_table_json
from zkmargin.solvency.receipts import Receipt
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import BatchEntry, Excluded, Totals
from zkmargin.solvency.snapshot_tree import TopTree
from zkmargin.solvency.staging import PUBLIC_README, make_dir

WORK = "work"
"""Folder of the private folder holding each finished batch's receipts until assembly."""

ASSEMBLED = ("assembled", "done")
"""Ledger states after which the batch files may be gone (their receipts are final)."""


class BatchWriter:
    """Writes each finished batch (files first, then its ledger row) and reports progress."""

    def __init__(self, partial: Path, private: Path, ledger: Ledger, keep_witnesses: bool,
                 p: int, progress) -> None:  # fmt: skip
        self.partial, self.private, self.ledger, self.p = partial, private, ledger, p
        self.keep_witnesses, self.progress = keep_witnesses, progress
        self.started = time.perf_counter()
        self.state: Progress | None = None

    def announce(self, state: Progress) -> None:
        self.state = state
        if self.progress is not None:
            self.progress(state)

    def save(self, output: BatchOutput) -> None:
        n = output.index
        if output.witness is not None and self.keep_witnesses:
            folder = self.private / layout.WITNESSES
            write_wtns(folder / f"{n}.wtns", output.witness, self.p, layout.PRIVATE_FILE_MODE)
        folder = layout.batch_dir(self.partial, n)
        make_dir(folder.parent, layout.PUBLIC_DIR_MODE)
        make_dir(folder, layout.PUBLIC_DIR_MODE)
        write_json(folder / layout.PROOF, proof_to_json(output.proof), layout.PUBLIC_FILE_MODE)
        write_json(folder / layout.PUBLIC, public_to_json(output.public), layout.PUBLIC_FILE_MODE)
        lines = "".join(json.dumps(r.to_json(), sort_keys=True) + "\n" for r in output.receipts)
        atomic_write(_work_file(self.private, n), lines.encode(), layout.PRIVATE_FILE_MODE)
        self.ledger.record(
            n,
            json.dumps(output.statement.to_json()),
            output.statement_hash,
            _output_hash(self.partial, self.private, n),
            output.seconds,
        )
        assert self.state is not None
        s = self.state
        self.announce(
            Progress("batch", s.batches_done + 1, s.batches_total,
                     s.accounts_done + output.statement.count, s.accounts_total,
                     time.perf_counter() - self.started, s.resumed_batches, s.resumed_accounts)
        )  # fmt: skip


def _work_file(private: Path, n: int) -> Path:
    return private / WORK / f"receipts-{n}.jsonl"


def _output_hash(partial: Path, private: Path, n: int) -> str:
    """SHA-256 over batch ``n``'s files (proof, public signals, receipts), length-prefixed."""
    digest = hashlib.sha256()
    folder = layout.batch_dir(partial, n)
    for path in (folder / layout.PROOF, folder / layout.PUBLIC, _work_file(private, n)):
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def still_valid(ledger: Ledger, partial: Path, private: Path) -> set[int]:
    """The recorded batches whose files are intact; the others are forgotten (proven again)."""
    if ledger.state in ASSEMBLED:
        return set(ledger.finished())
    valid = set()
    for n, row in ledger.finished().items():
        try:
            intact = _output_hash(partial, private, n) == row.output_sha256
        except FileNotFoundError:
            intact = False
        if intact:
            valid.add(n)
        else:
            ledger.forget(n)
    return valid


def assemble_report(
    partial: Path,
    private: Path,
    ledger: Ledger,
    model: BatchModel,
    keys: Keys,
    market_path: Path,
    n_batches: int,
    short: Sequence[Excluded],
    count_hidden: bool,
    claim_vks: dict[str, VerifyingKey],
) -> Report:
    """Pass 3: the top tree over the batch roots, ``report.json``, the receipts' full paths."""
    rows = ledger.finished()
    missing = [n for n in range(n_batches) if n not in rows]
    if missing:
        raise ProvingError(f"batch {missing[0]} was not proven")
    # The stored hash is the proof's public signal, which the worker checked equal to the
    # statement's hash (with statement=fields, computed once when the batch was recorded):
    # no Poseidon sponge per batch here.
    try:
        batches = [
            BatchEntry(
                n, Statement.from_json(json.loads(rows[n].statement)), rows[n].statement_hash
            )
            for n in range(n_batches)
        ]
    except ValueError as err:
        raise ledger.damaged(f"a batch's statement: {err}") from None
    depth = tree_depth(model.batch_size)
    top = TopTree([b.statement.batch_root for b in batches], depth)
    market = model.market
    cls = model.cls
    totals = Totals.of(
        batches,
        len(market.assets),
        cls.statement_extra_names,
        hidden=cls.padding_counts if count_hidden else None,
    )
    report = Report(
        epoch=market.epoch.strftime("%Y-%m-%dT%H:%M:%SZ"),
        circuit=model.name,
        model=model.model,
        level=market.model.level,
        shape=model.shape,
        curve=keys.info.curve,
        table_root=model.market_data.table_root,
        market_hash=model.market_data.vector.hash(),
        circuit_id=model.circuit_id,
        assets=market.asset_names,
        totals=totals,
        batches=tuple(batches),
        excluded=tuple(short),
        root=top.root,
        circuit_digest=model.circuit_digest,
        claim=claim(cls, market, totals.accounts),
        claim_keys=tuple(fingerprints(claim_vks).items()),
    )
    if ledger.state not in ASSEMBLED:
        make_dir(private / layout.RECEIPTS, layout.PRIVATE_DIR_MODE)
        for n in range(n_batches):
            upper = tuple(top.path(n))
            with _work_file(private, n).open(encoding="utf-8") as fh:
                for line in fh:
                    r = Receipt.from_json(json.loads(line), f"batch {n}")
                    full = Receipt(
                        r.account,
                        r.salt,
                        r.batch,
                        r.position,
                        r.index,
                        r.leaf,
                        r.siblings + upper,
                        r.epoch,
                        r.secret,
                    )
                    write_json(
                        layout.receipt_path(private, r.account.id),
                        full.to_json(),
                        layout.PRIVATE_FILE_MODE,
                    )
        public = layout.PUBLIC_FILE_MODE
        write_json(partial / layout.VKEY, verification_key(keys.zkey), public)
        atomic_write(partial / layout.MARKET, market_path.read_bytes(), public)
        write_json(
            partial / layout.MARKET_TABLE,
            market_table_json(market.instrument_names, model.market_data),
            public,
        )
        if claim_vks:
            make_dir(partial / layout.CLAIM_KEYS, layout.PUBLIC_DIR_MODE)
        for name, claim_vk in claim_vks.items():
            write_json(layout.claim_key_path(partial, name), vk_to_json(claim_vk), public)
        write_json(partial / layout.REPORT, report.to_json(), public)
        atomic_write(partial / layout.README, PUBLIC_README.encode(), public)
        ledger.set_state("assembled")
    return report
