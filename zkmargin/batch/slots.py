"""Sparse accounts: K position slots (instrument index, signed quantity), and what they prove.

Reference: :func:`account_slots` — an account's non-zero positions as ``(index, quantity)``
pairs in increasing index order, then ``(0, 0)`` up to K. In a circuit, :func:`prove_slots`
constrains each slot ``k`` of an account (names relative to ``account[i]/slot[k]``):

| constraint | refuses |
|---|---|
| ``index/bit[b]/boolean``, ``index/recompose`` | an index beyond the capacity (``index < 2^bits``) |
| ``quantity/signed_range64/...`` | a quantity outside ``[−2^63, 2^63)`` |
| ``used/boolean``, ``used/nonzero`` | a slot marked used with quantity 0 (``q·inv = used``) |
| ``unused/quantity`` | an unused slot with a non-zero quantity (``(1 − used)·q = 0``) |
| ``unused/index`` | an unused slot with a non-zero index |
| ``used_first`` (k ≥ 1) | a used slot after an unused one |
| ``increasing/...`` (k ≥ 1) | indices not strictly increasing — two slots on one instrument |
|  | included (``used·(index_k − index_(k−1) − 1)`` in ``bits`` bits) |

So an account has exactly one encoding: one slot per instrument held, zero quantities take no
slot, and a position cannot be split over two slots to dodge a bracket or a group. Each slot's
table row is proven by the lookup (:mod:`zkmargin.batch.lookup`, ``row/...``, and ``listed``:
a used slot's row is a listed instrument's).

>>> account_slots({"B": -5, "A": 0, "C": 7}, {"A": 0, "B": 1, "C": 2}, 3)
[(1, -5), (2, 7), (0, 0)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from zkmargin.batch.arith import product
from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets import Bounded, range_check
from zkmargin.dsl.gadgets.bits import assert_bool, decompose
from zkmargin.margin.fixed import QTY_BOUND

QTY_BITS = 64


def account_slots(
    positions: Mapping[str, int], index: Mapping[str, int], slots: int
) -> list[tuple[int, int]]:
    """``(instrument index, quantity)`` per slot: held positions by increasing index, then
    ``(0, 0)``. ``ValueError`` for an unknown instrument or more positions than ``slots``."""
    held = []
    for name, q in positions.items():
        if name not in index:
            raise ValueError(f"unknown instrument {name!r}")
        if q:
            held.append((index[name], q))
    if len(held) > slots:
        raise ValueError(f"{len(held)} positions, the circuit holds {slots}")
    return sorted(held) + [(0, 0)] * (slots - len(held))


@dataclass
class SlotWires:
    """One proven slot: index (and its bits), signed quantity, ``used`` flag and table row."""

    api: API
    k: int
    index: Bounded
    index_bits: list[Bounded]
    quantity: Bounded
    used: Bounded
    long: Bounded
    row: dict[str, Bounded] = field(default_factory=dict)
    """The slot's table row by column name (``listed`` and the model's columns)."""
    _long_part: Bounded | None = None

    def _long(self) -> Bounded:
        if self._long_part is None:
            with self.api.namespace(f"slot[{self.k}]"):
                self._long_part = product(self.api, self.long, self.quantity, "long_part")
        return self._long_part

    def size(self) -> Bounded:
        """``|q|`` (one constraint per slot, shared with :meth:`short`)."""
        return 2 * self._long() - self.quantity

    def short(self) -> Bounded:
        """``max(−q, 0)``."""
        return self._long() - self.quantity


def prove_slots(
    api: API, indices: list[LC], quantities: list[LC], index_bits: int
) -> list[SlotWires]:
    """The constraints of the module docstring over one account's slots (in the current
    namespace, each under ``slot[k]``)."""
    out: list[SlotWires] = []
    for k, (idx, q) in enumerate(zip(indices, quantities, strict=True)):
        with api.namespace(f"slot[{k}]"):
            with api.namespace("index"):
                bits = [Bounded(api, b, 0, 1) for b in decompose(api, api.lc(idx), index_bits)]
            index = Bounded(api, idx, 0, (1 << index_bits) - 1)
            with api.namespace("quantity"), api.namespace(f"signed_range{QTY_BITS}"):
                qbits = decompose(api, api.lc(q) + QTY_BOUND, QTY_BITS)
            quantity = Bounded(api, q, -QTY_BOUND, QTY_BOUND - 1)
            (used, inverse) = api.hint(
                lambda v: [int(v != 0), pow(v, -1, api.p) if v else 0], q, n_out=2, name="used"
            )
            assert_bool(api, used, name="used/boolean")
            api.assert_product(q, inverse, used, name="used/nonzero")
            api.assert_product(1 - api.lc(used), q, 0, name="unused/quantity")
            api.assert_product(1 - api.lc(used), idx, 0, name="unused/index")
            if out:
                previous = out[-1]
                api.assert_product(used, 1 - previous.used.lc, 0, name="used_first")
                step = api.mul(used, api.lc(idx) - previous.index.lc - 1, name="step")
                with api.namespace("increasing"):
                    range_check(api, step, max(index_bits, 1))
            out.append(
                SlotWires(
                    api, k, index, bits, quantity, Bounded(api, used, 0, 1),
                    Bounded(api, qbits[-1], 0, 1),
                )
            )  # fmt: skip
    return out


__all__ = ["QTY_BITS", "SlotWires", "account_slots", "prove_slots"]
