"""Building forgeries: degenerate verifying keys, and proofs that verify under them without any
witness (for a key whose ``gamma`` equals ``delta``: ``(alpha, beta, −IC(x))``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner

from zkmargin.batch import tree_depth
from zkmargin.cli import main
from zkmargin.curve import BN254
from zkmargin.formats.snarkjs_json import (
    Proof,
    VerifyingKey,
    proof_to_json,
    vk_from_json,
    vk_to_json,
)
from zkmargin.solvency import layout
from zkmargin.solvency.report import Report
from zkmargin.solvency.report_parts import BatchEntry, Totals
from zkmargin.solvency.snapshot_tree import TopTree

G1, G2 = BN254.g1, BN254.g2


def cli(*args: object) -> tuple[int, str]:
    """Run the CLI; (exit code, stdout + stderr)."""
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res.exit_code, res.output


def read(path: Path):
    return json.loads(path.read_text())


def write(path: Path, doc) -> None:
    path.write_text(json.dumps(doc, indent=1))


def honest_key(report: Path) -> VerifyingKey:
    return vk_from_json(read(report / layout.VKEY))


def gamma_equals_delta(vk: VerifyingKey) -> VerifyingKey:
    """The honest key with ``delta`` set to ``gamma`` (with snarkjs's keys, whose ``gamma`` is
    the G2 generator, that is a phase 2 nobody contributed to)."""
    return VerifyingKey(vk.curve, vk.n_public, vk.alpha1, vk.beta2, vk.gamma2, vk.gamma2, vk.ic)


def forged_proof(vk: VerifyingKey, public: int) -> Proof:
    """A proof of ``public`` under a key with ``gamma = delta``: no witness, no prover."""
    ic = BN254.g1_add(vk.ic[0], BN254.g1_mul(vk.ic[1], public))
    return Proof("bn128", vk.alpha1, vk.beta2, BN254.g1_neg(ic))


def fabricate(report: Path, vk: VerifyingKey, scale: int) -> None:
    """Rewrite ``report`` in place: every batch's collateral total multiplied by ``scale``, the
    statements, hashes, root and totals recomputed, the key replaced by ``vk`` and every proof
    forged under it — a report made from nothing but public data."""
    doc = Report.from_json(read(report / layout.REPORT))
    batches = []
    for b in doc.batches:
        st = b.statement
        fake = dataclasses.replace(st, total_collateral=st.total_collateral * scale)
        entry = BatchEntry.of(b.index, fake)
        folder = layout.batch_dir(report, b.index)
        write(folder / layout.PUBLIC, [str(entry.statement_hash)])
        write(folder / layout.PROOF, proof_to_json(forged_proof(vk, entry.statement_hash)))
        batches.append(entry)
    top = TopTree([b.statement.batch_root for b in batches], tree_depth(doc.batch_size))
    totals = Totals.of(batches, len(doc.assets), doc.totals.extra_names)
    forged = Report(
        **{**doc.__dict__, "batches": tuple(batches), "totals": totals, "root": top.root}
    )
    write(report / layout.REPORT, forged.to_json())
    write(report / layout.VKEY, vk_to_json(vk))
