"""The public statement of a batch proof, its hash, and the proof's public signals.

``fields()`` lists, in order: ``batch_root, table_root, market_hash, circuit_id, circuit_digest,
epoch, first_index, count, total_collateral, total_requirement, previous, asset_totals...,
extra...``; ``hash()`` is the Poseidon sponge of ``[STATEMENT_TAG, *fields()]``. A verifier
rebuilds the statement from a report's JSON and the market file, hashes it and checks the proof
against that one public input, so its cost does not grow with the number of parameters.

How a circuit exposes the statement is a shape field, ``statement`` (:data:`STATEMENT_MODES`):
``hash`` (the default) makes the hash the proof's one public input; ``fields`` makes the fields
themselves its public inputs, in ``fields()`` order — what an EVM contract checks cheaply, since
hashing on chain costs far more than a public input (``docs/onchain.md``).
:meth:`Statement.public_signals` is the proof's public signals in either mode.

>>> s = Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 500, 100, (7, 0))
>>> Statement.from_json(s.to_json()) == s
True
>>> s.to_json()["asset_totals"]
['7', '0']
>>> h = Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 500, 100, (7, 0), extra=(1, 1, 0, 0))
>>> h.to_json()["extra"], Statement.from_json(h.to_json()) == h, h.hash() != s.hash()
(['1', '1', '0', '0'], True, True)
>>> s.public_signals("hash") == [s.hash()], s.public_signals("fields") == s.fields()
(True, True)
>>> public_count("fields", assets=2, n_extra=0), public_count("hash", assets=2, n_extra=0)
(13, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from zkmargin.batch.encoding import text_tag
from zkmargin.dsl import API, LC
from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash import poseidon_sponge

STATEMENT_TAG = text_tag("zkmargin/statement/v2")
STATEMENT_MODES = ("hash", "fields")
"""How a batch proof exposes its statement: its hash as the one public input, or its fields."""

_SCALARS = (
    "batch_root",
    "table_root",
    "market_hash",
    "circuit_id",
    "circuit_digest",
    "epoch",
    "first_index",
    "count",
    "total_collateral",
    "total_requirement",
    "previous",
)
_LISTS = ("asset_totals", "extra")


@dataclass(frozen=True)
class Statement:
    """What one batch proof proves, in field elements (money at 10^8, amounts at 10^8).

    ``table_root``: the root of the instrument table the circuit read (0 for a model that reads
    none); ``market_hash``: the hash of the market vector (:mod:`zkmargin.batch.vector`).

    ``first_index``/``count``: the batch holds the accounts ``first_index .. first_index +
    count − 1`` of the snapshot, at tree positions ``0 .. count − 1``; positions from ``count``
    on are padding (zero leaves). ``asset_totals``: the sum of the batch's balances per asset,
    in the market's asset order. ``extra``: the circuit's own totals
    (:attr:`~zkmargin.batch.BatchCircuit.statement_extra_names`, e.g. the health circuit's
    counts per state); empty for the margin circuits, and then absent from the JSON. Their
    number is fixed by the circuit (its id is in the statement), so appending them is
    unambiguous.

    ``previous``: the chain hash of the report this one follows
    (:func:`zkmargin.solvency.chain.chain_hash`), 0 for a report that follows none. It is the
    last scalar in hashing order (after ``total_requirement``), declared last here so the
    positional fields keep their order.
    """

    batch_root: int
    table_root: int
    market_hash: int
    circuit_id: int
    circuit_digest: int
    """The digest of the circuit's constraint system (:mod:`zkmargin.batch.digest`), a constant
    of the circuit: the proof binds it, and a verifier compares it with the digest of the
    circuit it recompiles (0 in a circuit compiled without it: tests)."""
    epoch: int
    first_index: int
    count: int
    total_collateral: int
    total_requirement: int
    asset_totals: tuple[int, ...]
    extra: tuple[int, ...] = ()
    previous: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "asset_totals", tuple(self.asset_totals))
        object.__setattr__(self, "extra", tuple(self.extra))
        for f in fields(self):
            values = getattr(self, f.name)
            for v in values if f.name in _LISTS else (values,):
                if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                    raise ValueError(f"statement {f.name}: expected a non-negative int, got {v!r}")

    def fields(self) -> list[int]:
        """The statement's field elements, in hashing order."""
        return [*(getattr(self, n) for n in _SCALARS), *self.asset_totals, *self.extra]

    def field_names(self) -> list[str]:
        """What each of :meth:`fields` is, in the same order (``asset_totals[0]``, ...): a
        verifier written elsewhere (the site's page) builds the hashed list from these names.

        >>> Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 5, 1, (7, 0)).field_names()[-4:]
        ['total_requirement', 'previous', 'asset_totals[0]', 'asset_totals[1]']
        """
        return self.names(len(self.asset_totals), len(self.extra))

    @staticmethod
    def names(assets: int, n_extra: int) -> list[str]:
        """:meth:`field_names` of a statement of ``assets`` asset totals and ``n_extra`` own."""
        return [
            *_SCALARS,
            *(f"asset_totals[{i}]" for i in range(assets)),
            *(f"extra[{i}]" for i in range(n_extra)),
        ]

    def hash(self, field: PrimeField = BN254_FR) -> int:
        """The single public input of the batch proof."""
        if any(v >= field.p for v in self.fields()):
            raise ValueError("statement entry is not a field element (>= p)")
        return poseidon_sponge([STATEMENT_TAG, *self.fields()], field)

    def public_signals(self, mode: str) -> list[int]:
        """The batch proof's public signals (``public.json``) in ``mode`` (:data:`STATEMENT_MODES`)."""
        if mode == "hash":
            return [self.hash()]
        if mode == "fields":
            if any(v >= BN254_FR.p for v in self.fields()):
                raise ValueError("statement entry is not a field element (>= p)")
            return self.fields()
        raise ValueError(f"statement mode {mode!r} is not one of {', '.join(STATEMENT_MODES)}")

    def to_json(self) -> dict[str, Any]:
        """Decimal strings (field elements exceed JSON's safe integers)."""
        out: dict[str, Any] = {n: str(getattr(self, n)) for n in _SCALARS}
        out["asset_totals"] = [str(v) for v in self.asset_totals]
        if self.extra:
            out["extra"] = [str(v) for v in self.extra]
        return out

    @classmethod
    def from_json(cls, doc: Any) -> Statement:
        """Parse :meth:`to_json`'s output; ``ValueError`` naming the field on anything else."""
        if not isinstance(doc, dict):
            raise ValueError("statement: expected an object")
        expected = {*_SCALARS, "asset_totals"}
        if set(doc) - {"extra"} != expected:
            extra, absent = set(doc) - expected - {"extra"}, expected - set(doc)
            raise ValueError(
                "statement: "
                + "; ".join(
                    [f"unknown field(s) {sorted(extra)}"] * bool(extra)
                    + [f"missing field(s) {sorted(absent)}"] * bool(absent)
                )
            )
        lists = {}
        for name in _LISTS:
            values = doc.get(name, [])
            # An empty extra is written as no key at all: one JSON form per statement.
            if not isinstance(values, list) or (name == "extra" and "extra" in doc and not values):
                raise ValueError(f"statement {name}: expected a list of decimal strings")
            lists[name] = tuple(_decimal(v, f"{name}[{i}]") for i, v in enumerate(values))
        return cls(**{n: _decimal(doc[n], n) for n in _SCALARS}, **lists)


def public_count(mode: str, assets: int, n_extra: int) -> int:
    """How many public signals a batch proof has in ``mode``, for a shape of ``assets`` assets
    and a circuit of ``n_extra`` own totals."""
    return 1 if mode == "hash" else len(Statement.names(assets, n_extra))


def _decimal(text: Any, name: str) -> int:
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise ValueError(f"statement {name}: expected a decimal string, got {text!r}")
    if len(text) > 1 and text[0] == "0":
        raise ValueError(f"statement {name}: leading zero in {text!r}")
    return int(text)


def prove_statement(api: API, values: dict[str, LC | int], public: Any, mode: str) -> LC | None:
    """Bind the in-circuit statement ``values`` (:meth:`Statement.names` order) to the public
    inputs ``public``: with ``mode`` ``fields`` each to its own (``statement/<name>``), else
    their hash to the one public input (``statement_hash/...``, ``statement``), returned."""
    from zkmargin.dsl.gadgets import poseidon_sponge

    if mode == "fields":
        with api.namespace("statement"):
            for (name, value), wire in zip(values.items(), public, strict=True):
                api.assert_equal(value, wire, name=name)
        return None
    with api.namespace("statement_hash"):
        digest = poseidon_sponge(api, [STATEMENT_TAG, *values.values()])
    api.assert_equal(digest, public, name="statement")
    return digest
