"""A report's keys traced to a public ceremony: recompiled circuit → phase-2 key → ptau.

:func:`verify_ceremony` recompiles the report's circuit for its market and batch size, checks
the powers-of-tau file (every contribution, the Lagrange sections), checks the final ``.zkey``
against that circuit and ptau (every section, the circuit hash, each contribution), and that
the report's verification key is this key's. Together with :func:`~zkmargin.solvency.verify_report`
that ties every batch proof to a ceremony in which one honest contributor suffices.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zkmargin.ceremony import ptau_verify, zkey_verify
from zkmargin.ceremony.powersoftau import CeremonyFailure
from zkmargin.formats.snarkjs_json import vk_from_json
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.formats.zkey import read_zkey
from zkmargin.groth16 import verification_key
from zkmargin.json_input import load_json
from zkmargin.margin import load_market
from zkmargin.solvency import layout
from zkmargin.solvency.batch_model import batch_model
from zkmargin.solvency.report import Report
from zkmargin.solvency.verifier import Invalid


@dataclass(frozen=True)
class CeremonyChain:
    ptau_contributions: list
    zkey_contributions: list
    circuit_hash: bytes


def verify_ceremony(folder: str | Path, zkey: str | Path, ptau: str | Path) -> CeremonyChain:
    """Check the chain from the report's circuit to ``zkey`` and ``ptau`` (module docstring);
    raises :class:`~zkmargin.solvency.verifier.Invalid` naming the first failure."""
    folder = Path(folder)
    report = Report.from_json(load_json(folder / layout.REPORT), str(folder / layout.REPORT))
    model = batch_model(report.circuit, load_market(folder / layout.MARKET), report.batch_size)
    try:
        ptau_contribs = ptau_verify.verify(str(ptau))
        key = zkey_verify.verify(
            model.compiled.r1cs, str(ptau), str(zkey), f"circuit {report.circuit}"
        )
    except CeremonyFailure as err:
        raise Invalid(str(err)) from None
    vk = vk_from_json(load_json(folder / layout.VKEY), str(folder / layout.VKEY))
    ceremony_vk = vk_from_json(verification_key(read_zkey(zkey)), str(zkey))
    if vk_fingerprint(ceremony_vk) != vk_fingerprint(vk):
        raise Invalid(f"{layout.VKEY}: not the verification key of {zkey}")
    return CeremonyChain(ptau_contribs, key.contributions, key.circuit_hash)
