"""A snarkjs ``.zkey`` as numpy arrays straight from the file bytes (the fast prover's input).

:class:`ZKeyArrays` holds the big sections without converting an element in Python: the point
sections A, B1, B2, C and H are ``uint64`` views of the file's bytes in ffjavascript's layout
(:mod:`zkmargin.formats.point_arrays`: G1 ``(n, 2, N)``, G2 ``(n, 2, 2, N)``, Montgomery form,
all-zero rows = infinity), and the coefficients are a structured array (:func:`coeff_dtype`)
whose ``value`` limbs are the stored ``v·R² mod r`` — a Montgomery product with a plain witness
value gives ``v·w`` in Montgomery form, as in snarkjs's prover. The small parts (header points,
IC) are plain Python points as in :class:`~zkmargin.formats.zkey.ZKey`, read by the same code.
See :mod:`zkmargin.formats.zkey` for the file layout; :func:`read_zkey` stays the reference.

>>> import dataclasses, os, tempfile
>>> from zkmargin.dsl.r1cs import R1CS, Constraint
>>> from zkmargin.field import BN254_FR
>>> from zkmargin.formats.zkey import read_zkey, write_zkey
>>> from zkmargin.groth16 import setup_unsafe_dev
>>> cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
>>> path = os.path.join(tempfile.mkdtemp(), "square.zkey")
>>> write_zkey(path, setup_unsafe_dev(cs))
>>> arrays = read_zkey_arrays(path)
>>> arrays.a.shape, arrays.b2.shape, arrays.coeffs["signal"].tolist()
((3, 2, 4), (3, 2, 2, 4), [2, 2, 0, 1])
>>> arrays.to_zkey() == dataclasses.replace(read_zkey(path), section_order=[])
True
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np

from zkmargin.errors import InputError
from zkmargin.field.fast import ntt64
from zkmargin.field.fast.mont64 import Field64, ints_to_limbs, limbs_to_ints
from zkmargin.formats import point_arrays
from zkmargin.formats.binfile import BinFile, Cursor, field_bytes, read_binfile
from zkmargin.formats.point_codec import G1, G2, CurveParams, decode_g1_points
from zkmargin.formats.zkey import ZKey
from zkmargin.formats.zkey_header import (
    COEFFS,
    IC,
    MAGIC,
    POINTS_A,
    POINTS_B1,
    POINTS_B2,
    POINTS_C,
    POINTS_H,
    VERSION,
    GrothHeader,
    header_fields,
    read_groth_header,
)


def coeff_dtype(n8r: int) -> np.dtype:
    """The coefficient section's record: ``matrix``, ``constraint``, ``signal`` (u32 each) and
    ``value`` (``n8r // 8`` little-endian u64 limbs), packed (``12 + n8r`` bytes).

    >>> coeff_dtype(32).itemsize
    44
    """
    return np.dtype(
        [("matrix", "<u4"), ("constraint", "<u4"), ("signal", "<u4"), ("value", "<u8", (n8r // 8,))]
    )


@dataclass(frozen=True, eq=False)
class ZKeyArrays(GrothHeader):
    """A Groth16 proving key with its large sections as arrays (see the module docstring).

    ``c`` holds the private wires' points only (``n_vars - n_public - 1`` rows), as the file
    does. Arrays made by :func:`read_zkey_arrays` are read-only views of the file's bytes.
    """

    ic: list[G1]
    coeffs: np.ndarray
    a: np.ndarray
    b1: np.ndarray
    b2: np.ndarray
    c: np.ndarray
    h: np.ndarray

    def coeff_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(matrix, constraint, signal, value)`` as contiguous arrays (``value``: ``(k, 4)``),
        the form numba kernels take (the file's 44-byte records leave ``value`` unaligned)."""
        c = self.coeffs
        return tuple(  # type: ignore[return-value]
            np.ascontiguousarray(c[name], dtype=np.uint32 if name != "value" else np.uint64)
            for name in ("matrix", "constraint", "signal", "value")
        )

    @staticmethod
    def from_zkey(zkey: ZKey) -> ZKeyArrays:
        """The arrays of a :class:`ZKey` (converts every element in Python: for keys built in
        memory and for tests; files go through :func:`read_zkey_arrays`)."""
        params = zkey.params
        fq, fr = Field64.of(params.q), Field64.of(params.r)
        n8r = field_bytes(params.r)
        coeffs = np.zeros(len(zkey.coeffs), dtype=coeff_dtype(n8r))
        if zkey.coeffs:
            m, con, sig, val = zip(*zkey.coeffs, strict=True)
            coeffs["matrix"], coeffs["constraint"], coeffs["signal"] = m, con, sig
            # stored values are v·R² mod r (see zkey.py): Montgomery-multiply by R³
            coeffs["value"] = _times_mont(fr, list(val), pow(fr.r, 3, params.r))
        npub = zkey.n_public
        return ZKeyArrays(
            **header_fields(zkey), ic=list(zkey.ic), coeffs=coeffs,
            a=_g1_array(fq, zkey.a), b1=_g1_array(fq, zkey.b1), b2=_g2_array(fq, zkey.b2),
            c=_g1_array(fq, zkey.c[npub + 1 :]), h=_g1_array(fq, zkey.h),
        )  # fmt: skip

    def to_zkey(self) -> ZKey:
        """The reference :class:`ZKey` (plain ints; no ceremony section or section order)."""
        params = self.params
        fq, fr = Field64.of(params.q), Field64.of(params.r)
        r2_inv = pow(fr.r * fr.r % params.r, -1, params.r)
        c = self.coeffs
        values = limbs_to_ints(c["value"], c["value"].shape[-1]) if len(c) else []
        coeffs = [
            (int(m), int(con), int(sig), v * r2_inv % params.r)
            for m, con, sig, v in zip(
                c["matrix"].tolist(), c["constraint"].tolist(), c["signal"].tolist(), values,
                strict=True,
            )
        ]  # fmt: skip
        return ZKey(
            **header_fields(self), ic=list(self.ic), coeffs=coeffs,
            a=_g1_points(fq, self.a), b1=_g1_points(fq, self.b1), b2=_g2_points(fq, self.b2),
            c=[None] * (self.n_public + 1) + _g1_points(fq, self.c), h=_g1_points(fq, self.h),
        )  # fmt: skip


def read_zkey_arrays(path: str | os.PathLike[str], *, validate: bool = True) -> ZKeyArrays:
    """Read a Groth16 ``.zkey`` into :class:`ZKeyArrays`, checked like :func:`read_zkey`.

    Every coordinate must be below q and every coefficient in range (matrix 0 or 1, constraint
    below the domain size, signal below nVars, value below r); with ``validate`` every point
    must also lie on its curve (a numba pass, not a Python loop). Errors are
    :class:`~zkmargin.errors.InputError` naming the file, the section and the first bad entry.
    """
    bf = read_binfile(path, MAGIC, max_version=VERSION)
    hd = read_groth_header(bf, validate=validate)
    params = hd.params
    fq = Field64.of(params.q)
    reader = _SectionReader(bf, params, fq, validate)
    ic = decode_g1_points(
        bf.section(IC, "IC"), params.name, source=bf.path, validate=validate
    )  # small: nPublic + 1 points
    if len(ic) != hd.n_public + 1:
        raise InputError(
            bf.path, f"section {IC} (IC)", f"{len(ic)} points, expected {hd.n_public + 1}"
        )
    return ZKeyArrays(
        **header_fields(hd), ic=ic,
        coeffs=reader.coeffs(hd.n_vars, hd.domain_size),
        a=reader.points(POINTS_A, "A", hd.n_vars, 1),
        b1=reader.points(POINTS_B1, "B1", hd.n_vars, 1),
        b2=reader.points(POINTS_B2, "B2", hd.n_vars, 2),
        c=reader.points(POINTS_C, "C", hd.n_vars - hd.n_public - 1, 1),
        h=reader.points(POINTS_H, "H", hd.domain_size, 1),
    )  # fmt: skip


class _SectionReader:
    """Array views of one file's sections, with the checks and messages of the reader."""

    def __init__(self, bf: BinFile, params: CurveParams, fq: Field64, validate: bool) -> None:
        self.bf, self.params, self.fq, self.validate = bf, params, fq, validate

    def _cursor(self, sid: int, label: str) -> Cursor:
        return Cursor(self.bf.section(sid, label), self.bf.path, f"section {sid} ({label})")

    def points(self, sid: int, label: str, count: int, dim: int) -> np.ndarray:
        cur = self._cursor(sid, label)
        limbs = self.fq.n_limbs
        size = count * 2 * dim * 8 * limbs
        if len(cur.data) != size:
            raise cur.fail(f"size {len(cur.data)} bytes, expected {size} for {count} points")
        arr = _u64(cur.data).reshape((count, 2, dim, limbs) if dim == 2 else (count, 2, limbs))
        m = self.fq.m
        bad = point_arrays.first_not_reduced(arr.reshape(-1, limbs), m)
        if bad >= 0:
            raise cur.fail(f"{label}: coordinate #{bad} is not below the base-field prime q")
        if self.validate:
            if dim == 1:
                bad = point_arrays.first_off_g1(arr, self.fq.to_mont([self.params.b])[0], m)
            else:
                bad = point_arrays.first_off_g2(arr, self.fq.to_mont(self.params.b2), m)
            if bad >= 0:
                raise cur.fail(f"{label}: point #{bad} is not on the G{dim} curve")
        return arr

    def coeffs(self, n_vars: int, domain_size: int) -> np.ndarray:
        cur = self._cursor(COEFFS, "coefficients")
        n = cur.u32("count")
        n8r = field_bytes(self.params.r)
        dtype = coeff_dtype(n8r)
        if len(cur.data) != 4 + n * dtype.itemsize:
            raise cur.fail(
                f"size {len(cur.data)} bytes, expected {4 + n * dtype.itemsize} for {n} entries"
            )
        rec = np.frombuffer(cur.data, dtype=dtype, offset=4, count=n)
        values = np.ascontiguousarray(rec["value"], dtype=np.uint64)
        fr = Field64.of(self.params.r)
        wrong = (rec["matrix"] > 1) | (rec["signal"] >= n_vars) | (rec["constraint"] >= domain_size)
        first = _first_bad(wrong, values, fr)
        if first >= 0:
            m, con, sig = (int(rec[k][first]) for k in ("matrix", "constraint", "signal"))
            raise cur.fail(
                f"entry #{first} (matrix {m}, constraint {con}, signal {sig}) is out of range"
            )
        return rec


def _first_bad(wrong: np.ndarray, values: np.ndarray, fr: Field64) -> int:
    """The first entry with a bad index (``wrong``) or a value ``>= r``; -1 if none."""
    bad = int(np.argmax(wrong)) if wrong.any() else -1
    bad_value = point_arrays.first_not_reduced(values, fr.m) if len(values) else -1
    candidates = [i for i in (bad, bad_value) if i >= 0]
    return min(candidates) if candidates else -1


def _u64(data: bytes) -> np.ndarray:
    """Little-endian u64 words of ``data`` as native ``uint64`` (a view on little-endian hosts)."""
    arr = np.frombuffer(data, dtype="<u8")
    return arr if sys.byteorder == "little" else arr.astype(np.uint64)


def _times_mont(f: Field64, values: list[int], k: int) -> np.ndarray:
    """``v·k·R^-1 mod p`` for reduced ``values``, as limbs: one numba pass instead of a Python
    multiplication per value (``k = R²`` gives Montgomery form)."""
    arr = ints_to_limbs(values, f.n_limbs)
    ntt64.scale_rows(arr.reshape(1, *arr.shape), f.to_mont([k * pow(f.r, -1, f.p)]), f.m)
    return arr


def _g1_array(f: Field64, points: list[G1]) -> np.ndarray:
    flat = [c for p in points for c in ((0, 0) if p is None else p)]
    return _times_mont(f, flat, f.r * f.r % f.p).reshape(len(points), 2, f.n_limbs)


def _g2_array(f: Field64, points: list[G2]) -> np.ndarray:
    flat = [c for p in points for c in ((0, 0, 0, 0) if p is None else (*p[0], *p[1]))]
    return _times_mont(f, flat, f.r * f.r % f.p).reshape(len(points), 2, 2, f.n_limbs)


def _g1_points(f: Field64, arr: np.ndarray) -> list[G1]:
    v = f.from_mont(arr)
    return [None if not (x or y) else (x, y) for x, y in zip(v[0::2], v[1::2], strict=True)]


def _g2_points(f: Field64, arr: np.ndarray) -> list[G2]:
    v = f.from_mont(arr)
    return [
        None if not any(v[i : i + 4]) else ((v[i], v[i + 1]), (v[i + 2], v[i + 3]))
        for i in range(0, len(v), 4)
    ]
