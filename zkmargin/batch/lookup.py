"""Proving a slot's table row against the table root, in one of two ways (the shape's ``lookup``).

``merkle`` — each slot brings its row and, per tree level, the node's children
(:meth:`~zkmargin.batch.table.InstrumentTable.path`): ``row/leaf`` hashes the row, at each level
the index bits pick one child by a one-hot selector and ``row/level[h]/child`` proves that child
is the node below, the children hash to the next node, and ``row/root`` proves the top is the
table root. Cost per slot: the row sponge (about 610 per 16 columns) plus about 417 per level of
8 (three index bits).

``scan`` — the batch brings the whole table once: ``table/...`` hashes every row and the tree and
``table/root`` proves the root; each slot then selects its row column by column with a
multiplexer on its index bits (``row/<column>/mux/...``, capacity − 1 per column). Cheaper per
slot for small tables; its fixed cost grows with the capacity.

Either way the row values come out as :class:`~zkmargin.dsl.gadgets.Bounded` in their
column windows without range checks: the root binds them to a table the verifier checks
window by window. ``listed`` (``slot[k]/listed``): a used slot's row has ``listed = 1``.
"""

from __future__ import annotations

from collections.abc import Sequence

from zkmargin.batch.slots import SlotWires
from zkmargin.batch.table import ROW_TAG, Column, level_bits
from zkmargin.dsl import API, LC
from zkmargin.dsl.gadgets import Bounded, mux, poseidon_hash, poseidon_sponge


def _row_leaf(api: API, row: Sequence[LC]) -> LC:
    return poseidon_sponge(api, [ROW_TAG, *row])


def _one_hot(api: API, bits: Sequence[Bounded]) -> list[LC]:
    """``e_k = [Σ bits_j 2^j = k]`` for boolean bits: 2 + 4 + ... products."""
    e: list[LC] = [api.constant(1)]
    for j, bit in enumerate(bits):
        high = [
            bit.lc * x.constant_value if x.is_constant else api.mul(x, bit.lc, name=f"one_hot[{j}]")
            for x in e
        ]
        e = [x - h for x, h in zip(e, high, strict=True)] + high
    return e


def tree_path_root(
    api: API, leaf: LC, index_bits: Sequence[Bounded], children: Sequence[LC], total_bits: int
) -> LC:
    """The root reached from ``leaf`` with ``children`` (all children of each level, flat, leaf
    level first) and the index's bits; names ``level[h]/child`` and ``level[h]/poseidon/...``."""
    node, at, shift = leaf, 0, 0
    for h, bits in enumerate(level_bits(total_bits)):
        arity = 1 << bits
        level = list(children[at : at + arity])
        with api.namespace(f"level[{h}]"):
            e = _one_hot(api, index_bits[shift : shift + bits])
            picked = [
                api.mul(x, c, name=f"pick[{k}]")
                for k, (x, c) in enumerate(zip(e[:-1], level[:-1], strict=True))
            ]
            api.assert_product(e[-1], level[-1], node - sum(picked, api.constant(0)), name="child")
            node = poseidon_hash(api, level)
        at, shift = at + arity, shift + bits
    return node


def path_width(index_bits: int) -> int:
    """Children wires per slot in ``merkle`` mode: Σ arities."""
    return sum(1 << b for b in level_bits(index_bits))


def prove_row_merkle(
    api: API,
    slot: SlotWires,
    row: Sequence[LC],
    children: Sequence[LC],
    columns: Sequence[Column],
    root: LC,
    index_bits: int,
) -> dict[str, Bounded]:
    """``merkle`` mode for one slot (names under ``row/``); returns the row by column name."""
    with api.namespace("row"):
        leaf = _row_leaf(api, row)
        top = tree_path_root(api, leaf, slot.index_bits, children, index_bits)
        api.assert_equal(top, root, name="root")
    return _bounded_row(api, slot, row, columns)


def prove_table_scan(api: API, table: Sequence[Sequence[LC]], root: LC, index_bits: int) -> None:
    """``scan`` mode, once per batch: the whole table hashes to ``root`` (``table/...``)."""
    with api.namespace("table"):
        level = []
        for j, row in enumerate(table):
            with api.namespace(f"row[{j}]"):
                level.append(_row_leaf(api, row))
        for h, bits in enumerate(level_bits(index_bits)):
            arity = 1 << bits
            with api.namespace(f"level[{h}]"):
                level = [
                    poseidon_hash(api, level[i : i + arity]) for i in range(0, len(level), arity)
                ]
        api.assert_equal(level[0], root, name="root")


def select_row_scan(
    api: API, slot: SlotWires, table: Sequence[Sequence[LC]], columns: Sequence[Column]
) -> dict[str, Bounded]:
    """``scan`` mode for one slot: its row picked from the batch's table by its index bits."""
    row = []
    with api.namespace("row"):
        for c, col in enumerate(columns):
            with api.namespace(col.name):
                values = [table[j][c] for j in range(len(table))]
                picked = mux(api, slot.index_bits, values) if slot.index_bits else values[0]
                row.append(picked.lc if isinstance(picked, Bounded) else api.lc(picked))
    return _bounded_row(api, slot, row, columns)


def _bounded_row(
    api: API, slot: SlotWires, row: Sequence[LC], columns: Sequence[Column]
) -> dict[str, Bounded]:
    out = {col.name: Bounded(api, v, col.lo, col.hi) for col, v in zip(columns, row, strict=True)}
    api.assert_product(slot.used, 1 - out["listed"].lc, 0, name="listed")
    return out
