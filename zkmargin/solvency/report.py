"""``report.json``: what a report claims, read and written in one place.

Numbers that can exceed JSON's safe integers (field elements, money at 10^-8) are decimal
strings; counts and indices are JSON integers. Reading validates the whole shape once and
raises :class:`zkmargin.errors.InputError` naming the field (``batches[3].statement.count``);
whether the claims are *true* is :mod:`zkmargin.solvency.verifier`'s job.

>>> from zkmargin.batch import Shape, Statement
>>> s = Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 500, 100, (7, 0))
>>> batches = (BatchEntry.of(0, s),)
>>> shape = Shape(batch_size=4, slots=2, instruments=8, assets=2, tiers=1)
>>> r = Report(epoch="2026-11-20T08:00:00Z", circuit="cross", model="cross",
...     level="maintenance", shape=shape, curve="bn128", table_root=9, market_hash=2, circuit_id=3,
...     assets=("USDT", "BTC"), totals=Totals.of(batches, 2), batches=batches, excluded=(),
...     root=1, circuit_digest=4, claim="each of 2 accounts meets its maintenance margin")
>>> Report.from_json(r.to_json(), "report.json") == r
True
>>> r.to_json()["totals"]
{'accounts': 2, 'collateral_value': '500', 'requirement': '100', 'assets': {'USDT': '7', 'BTC': '0'}}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zkmargin.batch import Shape, Statement
from zkmargin.errors import InputError
from zkmargin.json_input import decimal_string
from zkmargin.limits import MAX_REPORT_TEXT as MAX_TEXT
from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE
from zkmargin.solvency import layout
from zkmargin.solvency.report_parts import BatchEntry, Excluded, Totals

REPORT_FORMAT = "zkmargin-report/3"


@dataclass(frozen=True)
class Report:
    """A proven snapshot, as ``report.json`` states it."""

    epoch: str
    circuit: str
    model: str
    level: str
    shape: Shape
    curve: str
    table_root: int
    """Root of the instrument table the batches read (0 for a circuit that reads none);
    the table's integers are in ``market_table.json``."""
    market_hash: int
    circuit_id: int
    assets: tuple[str, ...]
    totals: Totals
    batches: tuple[BatchEntry, ...]
    excluded: tuple[Excluded, ...]
    root: int
    """The snapshot's account tree root: every batch root under one top tree
    (:mod:`zkmargin.solvency.snapshot_tree`); receipts' paths end here."""
    circuit_digest: int = 0
    """The digest of the circuit's constraint system (every statement states it too)."""
    claim: str = ""
    """What the proofs establish, in one sentence (:meth:`BatchCircuit.claim`)."""
    claim_keys: tuple[tuple[str, str], ...] = ()
    """The notice and attestation keys published with the report: per circuit, its verifying
    key's fingerprint (:mod:`zkmargin.solvency.claim_keys`); written only when there are any."""

    @property
    def count_hidden(self) -> bool:
        """Whether the number of accounts is hidden (padded): ``totals.accounts`` is absent."""
        return self.totals.accounts is None

    @property
    def batch_size(self) -> int:
        return self.shape.batch_size

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "epoch": self.epoch,
            "circuit": self.circuit,
            "model": self.model,
            "level": self.level,
            "shape": self.shape.to_json(),
            "curve": self.curve,
            "scales": dict(SCALES),
            "table_root": str(self.table_root),
            "market_hash": str(self.market_hash),
            "circuit_id": str(self.circuit_id),
            "circuit_digest": str(self.circuit_digest),
            "claim": self.claim,
            "assets": list(self.assets),
            "root": str(self.root),
            "totals": self.totals.to_json(self.assets),
            "batches": [
                {
                    "index": b.index,
                    "proof": _batch_file(b.index, "proof.json"),
                    "public": _batch_file(b.index, "public.json"),
                    "statement": b.statement.to_json(),
                    "statement_hash": str(b.statement_hash),
                }
                for b in self.batches
            ],
            "excluded": [{"id": e.id, "shortfall": str(e.shortfall)} for e in self.excluded],
        } | ({"claim_keys": dict(self.claim_keys)} if self.claim_keys else {})

    @classmethod
    def from_json(cls, doc: Any, source: str = "report.json") -> Report:
        """Parse and shape-check; whether the claims hold is the verifier's job."""
        r = _Reader(source)
        optional = {"claim_keys"} & set(doc) if isinstance(doc, dict) else set()
        r.object(doc, "", {"format", *_FIELDS} | optional)
        if doc["format"] != REPORT_FORMAT:
            raise r.fail("format", f"expected {REPORT_FORMAT!r}, got {doc['format']!r}")
        if doc["scales"] != SCALES:
            raise r.fail("scales", f"expected {SCALES}, got {doc['scales']!r}")
        assets = tuple(
            r.text(a, f"assets[{i}]") for i, a in enumerate(r.list(doc["assets"], "assets"))
        )
        batches = []
        for i, entry in enumerate(r.list(doc["batches"], "batches")):
            where = f"batches[{i}]"
            r.object(entry, where, {"index", "proof", "public", "statement", "statement_hash"})
            index = r.count(entry["index"], f"{where}.index")
            for key in ("proof", "public"):
                if entry[key] != _batch_file(index, f"{key}.json"):
                    raise r.fail(f"{where}.{key}", f"expected {_batch_file(index, key + '.json')}")
            try:
                statement = Statement.from_json(entry["statement"])
            except ValueError as err:
                raise r.fail(f"{where}.statement", str(err)) from None
            stated = r.decimal(entry["statement_hash"], f"{where}.statement_hash")
            batches.append(BatchEntry(index, statement, stated))
        excluded = []
        for i, entry in enumerate(r.list(doc["excluded"], "excluded")):
            r.object(entry, f"excluded[{i}]", {"id", "shortfall"})
            excluded.append(
                Excluded(
                    r.text(entry["id"], f"excluded[{i}].id"),
                    r.decimal(entry["shortfall"], f"excluded[{i}].shortfall"),
                )
            )
        totals = doc["totals"]
        # "extra" is optional: present exactly when the circuit has totals of its own
        optional = {"extra", "accounts"} & set(totals) if isinstance(totals, dict) else set()
        r.object(totals, "totals", _TOTALS | optional)
        r.object(totals["assets"], "totals.assets", set(assets))
        extra = totals.get("extra", {})
        if not isinstance(extra, dict) or ("extra" in optional and not extra):
            raise r.fail("totals.extra", "expected a non-empty object")
        for name in extra:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name):
                raise r.fail("totals.extra", f"invalid name {name!r}")
        return cls(
            epoch=r.text(doc["epoch"], "epoch"),
            circuit=r.text(doc["circuit"], "circuit"),
            model=r.text(doc["model"], "model"),
            level=r.text(doc["level"], "level"),
            shape=Shape.from_json(doc["shape"], source),
            curve=r.text(doc["curve"], "curve"),
            table_root=r.decimal(doc["table_root"], "table_root"),
            market_hash=r.decimal(doc["market_hash"], "market_hash"),
            circuit_id=r.decimal(doc["circuit_id"], "circuit_id"),
            circuit_digest=r.decimal(doc["circuit_digest"], "circuit_digest"),
            claim=r.text(doc["claim"], "claim"),
            assets=assets,
            totals=Totals(
                accounts=r.count(totals["accounts"], "totals.accounts")
                if "accounts" in totals
                else None,
                collateral_value=r.decimal(totals["collateral_value"], "totals.collateral_value"),
                requirement=r.decimal(totals["requirement"], "totals.requirement"),
                assets=tuple(r.decimal(totals["assets"][a], f"totals.assets.{a}") for a in assets),
                extra=tuple((k, r.decimal(v, f"totals.extra.{k}")) for k, v in extra.items()),
            ),
            batches=tuple(batches),
            excluded=tuple(excluded),
            root=r.decimal(doc["root"], "root"),
            claim_keys=_claim_keys(r, doc["claim_keys"]) if "claim_keys" in doc else (),
        )


SCALES = {"money": MONEY_SCALE, "amount": QTY_SCALE}


CLAIM_CIRCUITS = ("notice", "attestation")
"""The single-account circuits whose verifying keys a report may publish (``claim_keys``)."""


def _claim_keys(r: _Reader, doc: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(doc, dict) or not doc:
        raise r.fail("claim_keys", "expected a non-empty object")
    out = []
    for name, fingerprint in doc.items():
        if name not in CLAIM_CIRCUITS:
            raise r.fail("claim_keys", f"unknown circuit {name!r}")
        if not isinstance(fingerprint, str) or not re.fullmatch(r"[0-9a-f]{64}", fingerprint):
            raise r.fail(f"claim_keys.{name}", "expected 64 lower-case hexadecimal digits")
        out.append((name, fingerprint))
    return tuple(out)


def _batch_file(index: int, name: str) -> str:
    return f"{layout.BATCHES}/{index}/{name}"


_TOTALS = {"collateral_value", "requirement", "assets"}
"""Always present; ``accounts`` is absent when the count is hidden, ``extra`` when the circuit
has no totals of its own."""

_FIELDS = {
    "epoch",
    "circuit",
    "model",
    "level",
    "shape",
    "curve",
    "scales",
    "table_root",
    "market_hash",
    "circuit_id",
    "circuit_digest",
    "claim",
    "assets",
    "root",
    "totals",
    "batches",
    "excluded",
}


class _Reader:
    """Shape checks that raise one-line :class:`InputError` naming the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, problem: str) -> InputError:
        return InputError(self.source, field, problem)

    def object(self, value: Any, field: str, keys: set[str]) -> None:
        if not isinstance(value, dict):
            raise self.fail(field, "expected an object")
        missing, extra = keys - set(value), set(value) - keys
        if missing:
            raise self.fail(field, f"missing {', '.join(sorted(missing))}")
        if extra:
            raise self.fail(field, f"unknown field(s) {', '.join(sorted(extra))}")

    def list(self, value: Any, field: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(field, "expected a list")
        return value

    def text(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(field, f"expected a non-empty string, got {value!r}")
        if len(value) > MAX_TEXT:
            raise self.fail(field, f"longer than {MAX_TEXT} characters")
        return value

    def count(self, value: Any, field: str, least: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise self.fail(field, f"expected an integer >= {least}, got {value!r}")
        return value

    def decimal(self, value: Any, field: str) -> int:
        n = decimal_string(value, self.source, field)
        if len(value) > 1 and value[0] == "0":
            raise self.fail(field, f"leading zero in {value!r}")
        return n
