"""The statement of a single-account proof (a notice, an attestation), and its hash (its one
public input): the counterpart for one account of :mod:`zkmargin.batch.statement` (a batch's).

Both say: the account committed as ``account`` (its pseudonym,
:func:`~zkmargin.batch.encoding.account_commitment`) is a leaf of the account tree with root
``root`` and depth ``depth`` (a report's), under the market committed as ``table_root`` and
``market_hash``, at ``epoch``, proven by the circuit ``circuit_id`` whose constraint system
has the digest ``circuit_digest`` (:mod:`zkmargin.batch.digest`) — and then their own claim:

* :class:`NoticeStatement`: the account is in health state ``state`` (1 margin call, 2
  liquidation: :mod:`zkmargin.models.health.calculator`);
* :class:`AttestationStatement`: ``kind`` 0 — the account is healthy (``min_excess`` 0); ``kind``
  1 — its excess over the buffered requirement at the market's level is at least
  ``min_excess`` (money, 10^-8).

``hash()`` is the Poseidon sponge of ``[TAG, *fields()]``, each kind with its own tag;
``circuit_id`` names the circuit and its shape.

>>> n = NoticeStatement(root=5, depth=3, table_root=9, market_hash=2, circuit_id=4,
...     circuit_digest=6, epoch=1_763_625_600, account=77, state=1)
>>> NoticeStatement.from_json(n.to_json()) == n, n.hash() != NoticeStatement(
...     5, 3, 9, 2, 4, 6, 1_763_625_600, 77, 2).hash()
(True, True)
>>> a = AttestationStatement(5, 3, 9, 2, 4, 6, 1_763_625_600, 77, 0, 0)
>>> a.hash() != AttestationStatement(5, 3, 9, 2, 4, 6, 1_763_625_600, 77, 1, 0).hash()
True
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields
from typing import Any, ClassVar, Self

from zkmargin.batch.encoding import text_tag
from zkmargin.field import BN254_FR, PrimeField
from zkmargin.hash import poseidon_sponge

NOTICE_TAG = text_tag("zkmargin/notice/v1")
ATTESTATION_TAG = text_tag("zkmargin/attestation/v1")
STATES = {1: "margin_call", 2: "liquidation"}
"""The states a notice can state, by code (a healthy account, code 0, gets none)."""
HEALTHY_CLAIM, EXCESS_CLAIM = 0, 1
"""An attestation's ``kind``: the account is healthy; its excess is at least ``min_excess``."""


@dataclass(frozen=True)
class AccountStatement:
    """The fields every single-account proof makes public (by hash), in hashing order; a
    subclass appends its claim's and sets :attr:`TAG`."""

    TAG: ClassVar[int] = 0
    root: int
    depth: int
    table_root: int
    market_hash: int
    circuit_id: int
    circuit_digest: int
    epoch: int
    account: int

    def fields(self) -> list[int]:
        return list(astuple(self))

    def hash(self, field: PrimeField = BN254_FR) -> int:
        if any(not 0 <= v < field.p for v in self.fields()):
            raise ValueError("statement entry is not a field element")
        return poseidon_sponge([self.TAG, *self.fields()], field)

    def to_json(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_json(cls, doc: Any) -> Self:
        """Parse :meth:`to_json`'s output; ``ValueError`` naming the field on anything else."""
        names = [f.name for f in fields(cls)]
        if not isinstance(doc, dict) or set(doc) != set(names):
            raise ValueError(f"expected an object with exactly {', '.join(names)}")
        values = {}
        for name in names:
            text = doc[name]
            if not isinstance(text, str) or not text.isascii() or not text.isdigit():
                raise ValueError(f"{name}: expected a decimal string, got {text!r}")
            if len(text) > 1 and text[0] == "0":
                raise ValueError(f"{name}: leading zero in {text!r}")
            values[name] = int(text)
        return cls(**values)


@dataclass(frozen=True)
class NoticeStatement(AccountStatement):
    TAG: ClassVar[int] = NOTICE_TAG
    state: int = 0


@dataclass(frozen=True)
class AttestationStatement(AccountStatement):
    TAG: ClassVar[int] = ATTESTATION_TAG
    kind: int = HEALTHY_CLAIM
    min_excess: int = 0


__all__ = [
    "ATTESTATION_TAG",
    "EXCESS_CLAIM",
    "HEALTHY_CLAIM",
    "NOTICE_TAG",
    "STATES",
    "AccountStatement",
    "AttestationStatement",
    "NoticeStatement",
]
