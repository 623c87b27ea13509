"""The notice and attestation verifying keys a report publishes, and which key a claim must use.

A notice or attestation is a Groth16 proof; under a key its prover made itself it proves
nothing (whoever runs a one-party setup can prove anything). So a claim file's own
``verification_key`` is never trusted alone: ``prove --claim-keys KEYS/`` (a ``notice`` or
``attestation`` keys folder of the report's shape) publishes that circuit's verifying key in
the report folder, ``claim_keys/<circuit>.json``, and states its fingerprint
(:func:`~zkmargin.formats.vk_fingerprint.vk_fingerprint`) in ``report.json`` under
``claim_keys``. ``verify`` checks each published key (the file's fingerprint is the stated
one, and no degenerate key); ``verify-notice`` and ``verify-attestation`` refuse a claim whose
key is not the report's published one — or, with ``--vk FILE``, not that file's key; a report
that publishes none for the circuit is refused unless ``--vk`` names one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from zkmargin.batch import Shape
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import VerifyingKey, vk_from_json, vk_to_json
from zkmargin.formats.vk_fingerprint import vk_fingerprint
from zkmargin.groth16 import verifying_key
from zkmargin.groth16.key_checks import key_defect
from zkmargin.json_input import load_json
from zkmargin.solvency import layout
from zkmargin.solvency.keys import load_keys
from zkmargin.solvency.report import CLAIM_CIRCUITS

REPORT_CIRCUIT = "health"
"""The batch circuit whose reports single-account claims check against."""


def claim_shape(shape: Shape) -> Shape:
    """The shape of a single-account circuit for a report of ``shape``: the same at batch size
    1, its statement hashed whatever the report's mode (the claim's is not the batch
    statement)."""
    return replace(shape, batch_size=1, statement="hash")


def read_claim_keys(
    folders: Sequence[str | Path], circuit: str, shape: Shape
) -> dict[str, VerifyingKey]:
    """The verifying keys of the ``--claim-keys`` folders, per circuit, for a report of
    ``circuit`` and ``shape``; ``InputError`` (before any proving) for a folder of another
    circuit or shape, two of one circuit, or a degenerate key."""
    out: dict[str, VerifyingKey] = {}
    for folder in folders:
        keys = load_keys(folder)
        name = keys.info.circuit
        if circuit != REPORT_CIRCUIT:
            raise InputError(
                "--claim-keys", "", f"{circuit} report: notices and attestations need health"
            )
        if name not in CLAIM_CIRCUITS:
            raise InputError(
                str(folder), "circuit", f"{name}: not one of {', '.join(CLAIM_CIRCUITS)}"
            )
        if name in out:
            raise InputError(str(folder), "circuit", f"a second {name} keys folder")
        if keys.info.shape != claim_shape(shape):
            raise InputError(str(folder), "shape", "not the report's shape (at batch size 1)")
        vk = verifying_key(keys.zkey)
        defect = key_defect(vk, n_public=1)
        if defect is not None:
            raise InputError(str(folder / layout.ZKEY), "verification key", defect)
        out[name] = vk
    return out


def trusted_key(
    claim_vk: VerifyingKey,
    published: dict[str, VerifyingKey],
    circuit: str,
    name: str,
    pinned: str | Path | None,
) -> str:
    """Check a claim's own key ``claim_vk`` against the key it must be: ``pinned``'s (``--vk``)
    when given, else the report's published ``circuit`` key. Returns what it was compared with,
    for the verdict line; :class:`Invalid` otherwise."""
    from zkmargin.solvency.verifier import Invalid

    if pinned is not None:
        want = vk_from_json(load_json(Path(pinned)), str(pinned))
        if vk_to_json(want) != vk_to_json(claim_vk):
            raise Invalid(f"{name}: not proven under the key {pinned}")
        return f"--vk {Path(pinned).name}"
    if circuit not in published:
        raise Invalid(
            f"{name}: the report publishes no {circuit} key (prove --claim-keys); pin one with --vk"
        )
    if vk_to_json(published[circuit]) != vk_to_json(claim_vk):
        raise Invalid(f"{name}: not proven under the report's published {circuit} key")
    return "the report's published key"


def fingerprints(keys: dict[str, VerifyingKey]) -> dict[str, str]:
    return {name: vk_fingerprint(vk) for name, vk in sorted(keys.items())}


__all__ = [
    "CLAIM_CIRCUITS",
    "claim_shape",
    "fingerprints",
    "read_claim_keys",
    "trusted_key",
]
