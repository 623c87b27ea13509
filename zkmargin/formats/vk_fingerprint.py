"""The fingerprint of a Groth16 verifying key: what an exchange publishes and a verifier pins.

SHA-256 of the key's canonical form, so two files holding the same key (whatever their JSON
layout, indentation or ``vk_alphabeta_12``) share one fingerprint and two keys never do:

    "zkmargin/vk/v1" 0x00, curve name 0x00, nPublic (u32 big-endian), then each point in the
    order alpha1, beta2, gamma2, delta2, IC[0..]: a byte 0 (infinity) or 1, then its
    coordinates (G2: x.c0, x.c1, y.c0, y.c1) as big-endian integers of the base field's width
    (32 bytes on bn128, 48 on bls12381).

``vk_alphabeta_12`` is left out: it is derived from alpha and beta, and no verifier reads it.

>>> from zkmargin.curve import BN254
>>> from zkmargin.formats.snarkjs_json import VerifyingKey
>>> vk = VerifyingKey("bn128", 1, BN254.g1, BN254.g2, BN254.g2, BN254.g2, (BN254.g1, None))
>>> len(vk_fingerprint(vk)), vk_fingerprint(vk) == vk_fingerprint(vk)
(64, True)
>>> parse_fingerprint(" " + vk_fingerprint(vk).upper()) == vk_fingerprint(vk)
True
"""

from __future__ import annotations

import hashlib
import re

from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey

TAG = b"zkmargin/vk/v1\x00"
WIDTH = {"bn128": 32, "bls12381": 48}
"""Bytes per base-field coordinate."""


def vk_fingerprint(vk: VerifyingKey) -> str:
    """The key's fingerprint: 64 lower-case hexadecimal digits (module docstring)."""
    width = WIDTH[vk.curve]
    out = [TAG, vk.curve.encode() + b"\x00", vk.n_public.to_bytes(4, "big")]

    def point(coords: list[int] | None) -> None:
        if coords is None:
            out.append(b"\x00")
            return
        out.append(b"\x01" + b"".join(c.to_bytes(width, "big") for c in coords))

    def g2(q) -> list[int] | None:
        return None if q is None else [*q[0], *q[1]]

    point(None if vk.alpha1 is None else list(vk.alpha1))
    for q in (vk.beta2, vk.gamma2, vk.delta2):
        point(g2(q))
    for p in vk.ic:
        point(None if p is None else list(p))
    return hashlib.sha256(b"".join(out)).hexdigest()


def parse_fingerprint(text: str, source: str = "--vk-fingerprint") -> str:
    """A fingerprint as typed (64 hexadecimal digits, either case, surrounding blanks ignored)."""
    value = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise InputError(source, "", f"expected 64 hexadecimal digits, got {text!r}")
    return value
