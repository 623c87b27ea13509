"""snarkjs's Groth16 JSON files: ``proof.json``, ``public.json`` and ``verification_key.json``.

Numbers are decimal strings. A G1 point is ``[x, y, "1"]`` (infinity ``["0", "1", "0"]``); a G2
point is ``[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`` (infinity ``[["0","0"],["1","0"],["0","0"]]``).
Reading validates everything once, at the edge: JSON shape, decimal strings, coordinates below
the base-field prime ``q``, points on the curve and in the prime-order subgroup, public signals
below the scalar-field prime ``r``. Each problem raises one :class:`zkmargin.errors.InputError`
naming the file and the field (e.g. ``proof.json: pi_b: point is not on the curve ...``).

>>> vk_json = {"protocol": "groth16", "curve": "bn128", "nPublic": 0}
>>> try:
...     vk_from_json(vk_json, "vk.json")
... except InputError as err:
...     print(err)
vk.json: vk_alpha_1: missing
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkmargin.atomic_files import atomic_write
from zkmargin.errors import InputError
from zkmargin.json_input import decimal_string, load_json

G1 = tuple[int, int] | None
G2 = tuple[tuple[int, int], tuple[int, int]] | None

CURVE_NAMES = ("bn128", "bls12381")


class InvalidPoint(InputError):
    """A well-formed point that is off the curve or outside the prime-order subgroup (a verifier
    may treat it as a claim that fails rather than as unreadable input)."""


@dataclass(frozen=True)
class Proof:
    """A Groth16 proof ``(A in G1, B in G2, C in G1)`` on the named curve."""

    curve: str
    a: G1
    b: G2
    c: G1


@dataclass(frozen=True)
class VerifyingKey:
    """A Groth16 verifying key; ``ic`` has ``n_public + 1`` points (``IC[0]`` is for wire 0)."""

    curve: str
    n_public: int
    alpha1: G1
    beta2: G2
    gamma2: G2
    delta2: G2
    ic: tuple[G1, ...]
    alphabeta12: Any = None
    """``vk_alphabeta_12`` as read (snarkjs's verifier does not use it); ``None`` if absent."""


# ---------------------------------------------------------------- encoding


def g1_to_json(p: G1) -> list[str]:
    return ["0", "1", "0"] if p is None else [str(p[0]), str(p[1]), "1"]


def g2_to_json(p: G2) -> list[list[str]]:
    if p is None:
        return [["0", "0"], ["1", "0"], ["0", "0"]]
    (x0, x1), (y0, y1) = p
    return [[str(x0), str(x1)], [str(y0), str(y1)], ["1", "0"]]


def proof_to_json(proof: Proof) -> dict[str, Any]:
    """``proof.json`` content, keys in snarkjs's order."""
    return {
        "pi_a": g1_to_json(proof.a),
        "pi_b": g2_to_json(proof.b),
        "pi_c": g1_to_json(proof.c),
        "protocol": "groth16",
        "curve": proof.curve,
    }


def public_to_json(public: Sequence[int]) -> list[str]:
    return [str(int(v)) for v in public]


def vk_to_json(vk: VerifyingKey) -> dict[str, Any]:
    """``verification_key.json`` content, keys in snarkjs's order."""
    out: dict[str, Any] = {
        "protocol": "groth16",
        "curve": vk.curve,
        "nPublic": vk.n_public,
        "vk_alpha_1": g1_to_json(vk.alpha1),
        "vk_beta_2": g2_to_json(vk.beta2),
        "vk_gamma_2": g2_to_json(vk.gamma2),
        "vk_delta_2": g2_to_json(vk.delta2),
    }
    if vk.alphabeta12 is not None:
        out["vk_alphabeta_12"] = vk.alphabeta12
    out["IC"] = [g1_to_json(p) for p in vk.ic]
    return out


def write_json(path: str | Path, content: Any, mode: int | None = None) -> None:
    """Write JSON atomically (temp file in the same folder, then rename), as snarkjs indents it;
    ``mode``: the file's permissions (default: ``open()``'s)."""
    text = json.dumps(content, indent=1) + "\n"
    atomic_write(path, (text.encode("utf-8"),), mode)


def write_proof(path: str | Path, proof: Proof) -> None:
    write_json(path, proof_to_json(proof))


def write_public(path: str | Path, public: Sequence[int]) -> None:
    write_json(path, public_to_json(public))


def write_verification_key(path: str | Path, vk: VerifyingKey) -> None:
    write_json(path, vk_to_json(vk))


# ---------------------------------------------------------------- decoding


def _curve(name: str):
    # Imported late: the curve layer is only needed once a file names its curve.
    from zkmargin.curve import curve_by_name

    return curve_by_name(name)


def _decimal(value: Any, source: str, field: str, bound: int, bound_name: str) -> int:
    n = decimal_string(value, source, field)
    if n >= bound:
        raise InputError(source, field, f"{n} is not below {bound_name}")
    return n


def _list(value: Any, length: int, source: str, field: str) -> list:
    if not isinstance(value, list) or len(value) != length:
        raise InputError(source, field, f"expected a list of {length}, got {value!r}")
    return value


def g1_from_json(value: Any, curve_name: str, source: str, field: str) -> G1:
    """A validated G1 point (on the curve, in the subgroup, coordinates < q)."""
    curve = _curve(curve_name)
    x, y, z = (
        _decimal(v, source, f"{field}[{i}]", curve.q, "the base field prime q")
        for i, v in enumerate(_list(value, 3, source, field))
    )
    if z == 0:
        return None
    if z != 1:
        raise InputError(source, f"{field}[2]", "expected affine coordinates (z = 1 or 0)")
    point = (x, y)
    if not curve.g1_is_valid(point):
        raise InvalidPoint(
            source, field, "point is not on the curve or not in the prime-order subgroup"
        )
    return point


def g2_from_json(value: Any, curve_name: str, source: str, field: str) -> G2:
    """A validated G2 point (on the twist, in the r-torsion subgroup, coordinates < q)."""
    curve = _curve(curve_name)
    coords = []
    for i, pair in enumerate(_list(value, 3, source, field)):
        coords.append(
            tuple(
                _decimal(v, source, f"{field}[{i}][{j}]", curve.q, "the base field prime q")
                for j, v in enumerate(_list(pair, 2, source, f"{field}[{i}]"))
            )
        )
    x, y, z = coords
    if z == (0, 0):
        return None
    if z != (1, 0):
        raise InputError(source, f"{field}[2]", "expected affine coordinates (z = 1 or 0)")
    point = (x, y)
    if not curve.g2_is_valid(point):
        raise InvalidPoint(
            source, field, "point is not on the twist or not in the prime-order subgroup"
        )
    return point


def _object(obj: Any, source: str, keys: Sequence[str]) -> dict:
    if not isinstance(obj, dict):
        raise InputError(source, "", f"expected a JSON object, got {type(obj).__name__}")
    for key in keys:
        if key not in obj:
            raise InputError(source, key, "missing")
    return obj


def _protocol_and_curve(obj: dict, source: str) -> str:
    if obj["protocol"] != "groth16":
        raise InputError(source, "protocol", f"expected 'groth16', got {obj['protocol']!r}")
    if obj["curve"] not in CURVE_NAMES:
        raise InputError(source, "curve", f"expected one of {CURVE_NAMES}, got {obj['curve']!r}")
    return obj["curve"]


def proof_from_json(obj: Any, source: str = "proof.json") -> Proof:
    """A validated :class:`Proof` from parsed ``proof.json`` content."""
    _object(obj, source, ("pi_a", "pi_b", "pi_c", "protocol", "curve"))
    curve = _protocol_and_curve(obj, source)
    return Proof(
        curve=curve,
        a=g1_from_json(obj["pi_a"], curve, source, "pi_a"),
        b=g2_from_json(obj["pi_b"], curve, source, "pi_b"),
        c=g1_from_json(obj["pi_c"], curve, source, "pi_c"),
    )


def public_from_json(obj: Any, source: str = "public.json", r: int | None = None) -> list[int]:
    """Public signals from parsed ``public.json`` content; each must be below ``r`` if given."""
    if not isinstance(obj, list):
        raise InputError(source, "", f"expected a JSON list of decimal strings, got {obj!r}")
    bound = r if r is not None else 1 << 512
    return [
        _decimal(v, source, f"[{i}]", bound, "the scalar field prime r") for i, v in enumerate(obj)
    ]


def vk_from_json(obj: Any, source: str = "verification_key.json") -> VerifyingKey:
    """A validated :class:`VerifyingKey` from parsed ``verification_key.json`` content."""
    _object(obj, source, ("protocol", "curve", "nPublic"))
    curve = _protocol_and_curve(obj, source)
    n_public = obj["nPublic"]
    if not isinstance(n_public, int) or isinstance(n_public, bool) or n_public < 0:
        raise InputError(source, "nPublic", f"expected a non-negative integer, got {n_public!r}")
    _object(obj, source, ("vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "IC"))
    ic = obj["IC"]
    if not isinstance(ic, list) or len(ic) != n_public + 1:
        got = len(ic) if isinstance(ic, list) else type(ic).__name__
        raise InputError(source, "IC", f"expected nPublic + 1 = {n_public + 1} points, got {got}")
    return VerifyingKey(
        curve=curve,
        n_public=n_public,
        alpha1=g1_from_json(obj["vk_alpha_1"], curve, source, "vk_alpha_1"),
        beta2=g2_from_json(obj["vk_beta_2"], curve, source, "vk_beta_2"),
        gamma2=g2_from_json(obj["vk_gamma_2"], curve, source, "vk_gamma_2"),
        delta2=g2_from_json(obj["vk_delta_2"], curve, source, "vk_delta_2"),
        ic=tuple(g1_from_json(p, curve, source, f"IC[{i}]") for i, p in enumerate(ic)),
        alphabeta12=obj.get("vk_alphabeta_12"),
    )


def read_proof(path: str | Path) -> Proof:
    return proof_from_json(load_json(path), str(path))


def read_public(path: str | Path, r: int | None = None) -> list[int]:
    return public_from_json(load_json(path), str(path), r)


def read_verification_key(path: str | Path) -> VerifyingKey:
    return vk_from_json(load_json(path), str(path))
