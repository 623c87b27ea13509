"""User-side attestations: ``zkmargin attest`` proves from a receipt that the account is healthy
(or has at least some excess) in a report; ``verify-attestation`` checks it.

The user holds their receipt (the account, its secret, salt and Merkle path) and the public
report; the attestation (``"format": "zkmargin-attestation/1"``) names the account by its
pseudonym only and states ``claim`` — ``healthy`` or ``min_excess`` with ``min_excess`` in
quote units (the excess is the calculator's: collateral value minus the buffered requirement
at the market's level) — with the statement, proof and key of the ``attestation`` circuit
(``zkmargin/account_circuits/attestation.py``; :mod:`zkmargin.solvency.account_proofs`). A claim the calculator
says does not hold is refused before proving.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkmargin.account_circuits.statement import EXCESS_CLAIM
from zkmargin.batch import load_model_circuit
from zkmargin.margin.arith import EXACT
from zkmargin.margin.fixed import MONEY_SCALE, format_decimal
from zkmargin.models.health.calculator import HEALTH_NAMES, HEALTHY, threshold
from zkmargin.solvency.account_proofs import (
    Refused,
    check_claim,
    health_report,
    prove_claim,
    read_receipt,
)
from zkmargin.solvency.verifier import Invalid

ATTESTATION_FORMAT = "zkmargin-attestation/1"
ATTESTATION_CIRCUIT = "attestation"
CLAIMS = ("healthy", "min_excess")


@dataclass(frozen=True)
class Attestation:
    """A verified attestation: the account's commitment, the claim, the report's epoch."""

    account: int
    claim: str
    min_excess: int
    epoch: str
    key: str

    def words(self) -> str:
        if self.claim == "healthy":
            return "is healthy"
        return f"has an excess of at least {format_decimal(self.min_excess, MONEY_SCALE)}"


def attest(
    receipt: str | Path,
    report: str | Path,
    keys: str | Path,
    min_excess: int | None = None,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """The attestation JSON: the receipt's account is healthy in ``report`` (``min_excess``
    None), or its excess is at least ``min_excess`` (money, 10^-8, >= 0). :class:`Refused` when
    the calculator says the claim does not hold."""
    loaded = health_report(report)
    own = read_receipt(receipt, loaded)
    cls = load_model_circuit(ATTESTATION_CIRCUIT)
    collateral, requirement, result = cls.reference_figures(loaded.market, [own.account])
    state = int(result.health[0])
    excess = collateral[0] - int(
        threshold(EXACT, EXACT.array([requirement[0]]), loaded.market.model.buffer)[0]
    )
    if min_excess is None and state != HEALTHY:
        problem = f"the account is in {HEALTH_NAMES[state]}, not healthy"
    elif min_excess is not None and excess < min_excess:
        problem = f"the account's excess is {format_decimal(excess, MONEY_SCALE)}, below the claim"
    else:
        problem = None
    if problem is not None:
        raise Refused(f"{Path(receipt).name}: {problem} in {report}")
    claim = {} if min_excess is None else {"min_excess": min_excess}
    doc, statement = prove_claim(
        ATTESTATION_CIRCUIT, loaded, own, keys, lambda _: None, rng, **claim
    )
    doc["format"] = ATTESTATION_FORMAT
    doc["claim"] = "healthy" if min_excess is None else "min_excess"
    doc["min_excess"] = format_decimal(statement.min_excess, MONEY_SCALE)  # type: ignore[attr-defined]
    return doc


def verify_attestation(
    path: str | Path, report: str | Path, expected_vk: str | Path | None = None
) -> Attestation:
    """Check an attestation against ``report``: :class:`Invalid` naming the problem."""
    doc, checked = check_claim(
        path, report, ATTESTATION_CIRCUIT, ATTESTATION_FORMAT, {"claim", "min_excess"},
        expected_vk,
    )  # fmt: skip
    stated: Any = checked.statement
    claim = CLAIMS[stated.kind] if stated.kind in (0, 1) else None
    if doc["claim"] != claim or doc["min_excess"] != format_decimal(stated.min_excess, MONEY_SCALE):
        raise Invalid(f"{Path(path).name}: claim or min_excess is not the statement's")
    return Attestation(
        stated.account,
        claim,
        stated.min_excess if stated.kind == EXCESS_CLAIM else 0,
        checked.report.report.epoch,
        checked.key,
    )


__all__ = ["ATTESTATION_FORMAT", "Attestation", "attest", "verify_attestation"]
