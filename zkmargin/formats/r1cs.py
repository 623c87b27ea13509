"""iden3 ``.r1cs`` files (version 1) to and from :class:`zkmargin.dsl.r1cs.R1CS`.

Sections (inside the :mod:`zkmargin.formats.binfile` container, magic ``r1cs``):

1. header: ``n8`` u32 (bytes per field element), the prime (``n8`` bytes), ``nWires`` u32,
   ``nPubOut`` u32, ``nPubIn`` u32, ``nPrvIn`` u32, ``nLabels`` u64, ``mConstraints`` u32;
2. constraints: for each constraint the linear combinations A, B, C, each a u32 term count then
   that many ``(wire u32, coefficient n8 bytes)``; coefficients are little-endian field elements
   in **standard** form (not Montgomery: circom writes ``1`` as ``01 00 .. 00`` and ``-1`` as
   ``p - 1``; r1csfile reads them with ``Fr.fromRprLE``, which converts from standard form);
3. wire-to-label map: one u64 label id per wire.

Sections 4 and 5 (circom's custom gates, a PLONK-only feature) are refused. Constraint names are
not part of the format: :func:`read_r1cs` names constraints ``"#<index>"``.

>>> import os, tempfile
>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> cs = R1CS(BN254_FR, n_pub_out=0, n_pub_in=1, n_prv_in=1, n_wires=3,
...           constraints=[Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> path = os.path.join(tempfile.mkdtemp(), "square.r1cs")
>>> write_r1cs(path, cs)
>>> read_r1cs(path).constraints
[Constraint(a={2: 1}, b={2: 1}, c={1: 1}, name='#0')]
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field

import numpy as np

from zkmargin.dsl.r1cs import R1CS, Constraint, Terms
from zkmargin.errors import InputError
from zkmargin.field import field_by_prime
from zkmargin.formats.binfile import BinFile, Cursor, field_bytes, read_binfile, write_binfile

MAGIC = "r1cs"
VERSION = 1
HEADER, CONSTRAINTS, WIRE_MAP, CUSTOM_GATES_LIST, CUSTOM_GATES_USES = 1, 2, 3, 4, 5
DEFAULT_ORDER = (HEADER, CONSTRAINTS, WIRE_MAP)
"""The section order snarkjs's writer uses; circom writes ``(2, 1, 3)``."""

_U32 = struct.Struct("<I")


@dataclass
class R1csLayout:
    """What a ``.r1cs`` file holds beyond the constraint system: enough to rewrite it byte for byte.

    ``n_labels`` is the header's label count (circom counts signals it optimised away, so it can
    exceed the wire count); ``section_order`` the order of section ids in the file.
    """

    n_labels: int
    section_order: list[int] = field(default_factory=lambda: list(DEFAULT_ORDER))


def read_r1cs(path: str | os.PathLike[str]) -> R1CS:
    """Read a ``.r1cs`` file; the prime picks the field (BN254 or BLS12-381 scalar field).

    Raises :class:`~zkmargin.errors.InputError` naming the file and section for a malformed file.
    """
    return read_r1cs_with_layout(path)[0]


def read_r1cs_with_layout(path: str | os.PathLike[str]) -> tuple[R1CS, R1csLayout]:
    """:func:`read_r1cs`, plus the :class:`R1csLayout` that :func:`write_r1cs` needs to reproduce
    the file byte for byte."""
    binfile = read_binfile(path, MAGIC, max_version=VERSION)
    name = binfile.path
    for sid in (CUSTOM_GATES_LIST, CUSTOM_GATES_USES):
        if binfile.has(sid):
            raise InputError(
                name, f"section {sid}", "custom gates are not supported (circom PLONK feature)"
            )
    head = Cursor(binfile.section(HEADER, "header"), name, "section 1 (header)")
    n8 = head.u32("field size")
    prime = head.uint(n8, "prime")
    try:
        fld = field_by_prime(prime)
    except ValueError:
        raise head.fail(f"prime {prime} not supported (BN254 or BLS12-381 scalar field)") from None
    if n8 != field_bytes(prime):
        raise head.fail(f"field size {n8} bytes, expected {field_bytes(prime)} for this prime")
    n_wires = head.u32("nWires")
    n_pub_out = head.u32("nPubOut")
    n_pub_in = head.u32("nPubIn")
    n_prv_in = head.u32("nPrvIn")
    n_labels = head.u64("nLabels")
    m = head.u32("mConstraints")
    head.end()
    if 1 + n_pub_out + n_pub_in + n_prv_in > n_wires:
        raise head.fail(
            f"{n_wires} wires cannot hold the constant, {n_pub_out} outputs, "
            f"{n_pub_in} public and {n_prv_in} private inputs"
        )

    constraints = _decode_constraints(
        binfile.section(CONSTRAINTS, "constraints"), name, n8, m, prime, n_wires
    )
    labels = _decode_wire_map(binfile.section(WIRE_MAP, "wire map"), name, n_wires)
    r1cs = R1CS(
        fld,
        n_pub_out=n_pub_out,
        n_pub_in=n_pub_in,
        n_prv_in=n_prv_in,
        n_wires=n_wires,
        constraints=constraints,
        wire_labels=[] if labels == list(range(n_wires)) else labels,
    )
    # sections this module does not know are dropped from the layout (and from a rewrite)
    return r1cs, R1csLayout(n_labels, [s for s in binfile.ids() if s in DEFAULT_ORDER])


def write_r1cs(path: str | os.PathLike[str], r1cs: R1CS, layout: R1csLayout | None = None) -> None:
    """Write ``r1cs`` as a ``.r1cs`` file, atomically (temporary file, then rename).

    Coefficients must already be reduced into ``[0, p)`` and wires below ``n_wires``;
    ``ValueError`` names the first constraint that breaks this. Without ``layout`` the label
    count is ``max(label) + 1`` and sections go in snarkjs's order (header, constraints, map).
    """
    p = r1cs.prime
    n8 = field_bytes(p)
    labels = r1cs.labels()
    if len(labels) != r1cs.n_wires:
        raise ValueError(f"{len(labels)} wire labels for {r1cs.n_wires} wires")
    if layout is None:
        layout = R1csLayout(max(labels, default=-1) + 1)
    header = b"".join(
        [
            _U32.pack(n8),
            p.to_bytes(n8, "little"),
            struct.pack(
                "<IIIIQI",
                r1cs.n_wires,
                r1cs.n_pub_out,
                r1cs.n_pub_in,
                r1cs.n_prv_in,
                layout.n_labels,
                r1cs.n_constraints,
            ),
        ]
    )
    payloads = {
        HEADER: header,
        CONSTRAINTS: _encode_constraints(r1cs, n8),
        WIRE_MAP: struct.pack(f"<{len(labels)}Q", *labels),
    }
    if sorted(layout.section_order) != sorted(payloads):
        raise ValueError(f"section order {layout.section_order} must list sections 1, 2 and 3")
    write_binfile(path, BinFile(MAGIC, VERSION, [(s, payloads[s]) for s in layout.section_order]))


def _encode_constraints(r1cs: R1CS, n8: int) -> bytes:
    p, n_wires = r1cs.prime, r1cs.n_wires
    parts: list[bytes] = []
    append = parts.append
    pack = _U32.pack
    for i, con in enumerate(r1cs.constraints):
        for terms in (con.a, con.b, con.c):
            if terms and not (max(terms) < n_wires and min(terms) >= 0):
                raise ValueError(f"constraint #{i} '{con.name}': wire outside [0, {n_wires})")
            if terms and not (max(terms.values()) < p and min(terms.values()) >= 0):
                raise ValueError(f"constraint #{i} '{con.name}': coefficient outside [0, p)")
            append(pack(len(terms)))
            for wire, coeff in terms.items():
                append(pack(wire))
                append(coeff.to_bytes(n8, "little"))
    return b"".join(parts)


def _decode_constraints(
    data: bytes, path: str, n8: int, m: int, p: int, n_wires: int
) -> list[Constraint]:
    """Walk the term counts in Python (cheap), then cut every term out at once with numpy:
    without the u32 counts, the section is a stream of fixed-size ``(wire, coefficient)`` terms."""
    where = "section 2 (constraints)"
    size = len(data)
    step = 4 + n8
    unpack = _U32.unpack_from
    counts: list[int] = []
    heads: list[int] = []
    pos = 0
    for k in range(3 * m):
        if pos + 4 > size:
            raise InputError(path, where, f"truncated in constraint #{k // 3} ({'ABC'[k % 3]})")
        (n,) = unpack(data, pos)
        heads.append(pos)
        counts.append(n)
        pos += 4 + n * step
        if pos > size:
            raise InputError(
                path, where, f"truncated in constraint #{k // 3} ({'ABC'[k % 3]}, {n} terms)"
            )
    if pos != size:
        raise InputError(path, where, f"size mismatch: {size} bytes, {m} constraints end at {pos}")

    buf = np.frombuffer(data, dtype=np.uint8)
    keep = np.ones(size, dtype=bool)
    h = np.asarray(heads, dtype=np.int64)
    for i in range(4):
        keep[h + i] = False
    terms = buf[keep].reshape(-1, step)
    wires = terms[:, :4].copy().view("<u4").ravel()
    if wires.size and int(wires.max()) >= n_wires:
        k = _lc_of_term(counts, int(np.argmax(wires >= n_wires)))
        raise InputError(
            path, where, f"constraint #{k // 3} ({'ABC'[k % 3]}) uses a wire >= {n_wires}"
        )
    blob = terms[:, 4:].tobytes()
    from_bytes = int.from_bytes
    coeffs = [from_bytes(blob[i : i + n8], "little") for i in range(0, len(blob), n8)]
    if coeffs and max(coeffs) >= p:
        k = _lc_of_term(counts, next(i for i, c in enumerate(coeffs) if c >= p))
        raise InputError(
            path, where, f"constraint #{k // 3} ({'ABC'[k % 3]}) has a coefficient >= p"
        )
    wire_list = wires.tolist()

    lcs: list[Terms] = []
    start = 0
    for k, n in enumerate(counts):
        if n == 0:
            lcs.append({})
            continue
        end = start + n
        lc = dict(zip(wire_list[start:end], coeffs[start:end], strict=True))
        if len(lc) != n:
            raise InputError(path, where, f"constraint #{k // 3} ({'ABC'[k % 3]}) repeats a wire")
        lcs.append(lc)
        start = end
    return [Constraint(lcs[k], lcs[k + 1], lcs[k + 2], f"#{k // 3}") for k in range(0, 3 * m, 3)]


def _lc_of_term(counts: list[int], term: int) -> int:
    """Index of the linear combination that holds the ``term``-th term of the section."""
    seen = 0
    for k, n in enumerate(counts):
        seen += n
        if term < seen:
            return k
    raise IndexError(term)


def _decode_wire_map(data: bytes, path: str, n_wires: int) -> list[int]:
    if len(data) != 8 * n_wires:
        raise InputError(
            path, "section 3 (wire map)", f"size {len(data)} bytes, expected {8 * n_wires}"
        )
    return list(struct.unpack(f"<{n_wires}Q", data))
