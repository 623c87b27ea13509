"""iden3 ``.wtns`` witness files, version 2 (what snarkjs and circom's witness calculators write).

Sections (magic ``wtns``): 1 = header: ``n8`` u32, the prime (``n8`` bytes), the number of
values u32; 2 = the values, ``n8`` bytes each, little-endian, standard (not Montgomery) form.

>>> import os, tempfile
>>> from zkmargin.field import BN254_FR
>>> path = os.path.join(tempfile.mkdtemp(), "w.wtns")
>>> write_wtns(path, [1, 9, 3], BN254_FR.p)
>>> read_wtns(path) == (BN254_FR.p, [1, 9, 3])
True
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence

from zkmargin.field import field_by_prime
from zkmargin.formats.binfile import BinFile, Cursor, field_bytes, read_binfile, write_binfile

MAGIC = "wtns"
VERSION = 2
HEADER, VALUES = 1, 2


def write_wtns(
    path: str | os.PathLike[str], witness: Sequence[int], prime: int, mode: int | None = None
) -> None:
    """Write ``witness`` (values in ``[0, prime)``) as a version-2 ``.wtns`` file, atomically,
    with permissions ``mode`` (default: ``open()``'s)."""
    n8 = field_bytes(prime)
    for i, v in enumerate(witness):
        if not 0 <= v < prime:
            raise ValueError(f"witness value #{i} = {v} is outside [0, p)")
    header = struct.pack("<I", n8) + prime.to_bytes(n8, "little") + struct.pack("<I", len(witness))
    values = b"".join(int(v).to_bytes(n8, "little") for v in witness)
    write_binfile(path, BinFile(MAGIC, VERSION, [(HEADER, header), (VALUES, values)]), mode)


def read_wtns(path: str | os.PathLike[str]) -> tuple[int, list[int]]:
    """Read a ``.wtns`` file (version 1 or 2): ``(prime, values)``.

    Raises :class:`~zkmargin.errors.InputError` for a malformed file, an unsupported prime, or a
    value outside ``[0, prime)``.
    """
    binfile = read_binfile(path, MAGIC, max_version=VERSION)
    head = Cursor(binfile.section(HEADER, "header"), binfile.path, "section 1 (header)")
    n8 = head.u32("field size")
    prime = head.uint(n8, "prime")
    try:
        field_by_prime(prime)
    except ValueError:
        raise head.fail(f"prime {prime} not supported (BN254 or BLS12-381 scalar field)") from None
    if n8 != field_bytes(prime):
        raise head.fail(f"field size {n8} bytes, expected {field_bytes(prime)} for this prime")
    n = head.u32("number of values")
    head.end()
    body = Cursor(binfile.section(VALUES, "values"), binfile.path, "section 2 (values)")
    if len(body.data) != n * n8:
        raise body.fail(f"size {len(body.data)} bytes, expected {n * n8} for {n} values")
    view, from_bytes = body.view, int.from_bytes
    values = [from_bytes(view[i : i + n8], "little") for i in range(0, n * n8, n8)]
    for i, v in enumerate(values):
        if v >= prime:
            raise body.fail(f"value #{i} is not below the prime")
    return prime, values
