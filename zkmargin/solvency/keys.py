"""Keys folders: ``zkmargin setup`` writes one, ``zkmargin prove`` reads it.

``circuit.json`` records what the keys were made for — circuit name, model, shape (batch size,
slots, table capacity...), curve, sizes — and the *fingerprint*: the SHA-256 of
``circuit.r1cs``. ``prove`` compiles the circuit for the recorded shape, checks the market and
accounts fit it, fingerprints the result the same way and refuses keys that do not match with
one line, before any proving work.

The setup here is :func:`zkmargin.groth16.setup_unsafe_dev`: whoever runs it can forge proofs.
For production, run a ceremony on ``circuit.r1cs`` with snarkjs and drop the resulting ``.zkey``
in as ``circuit.zkey`` (``verification_key.json`` is re-derived from the key when proving).
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from zkmargin.batch import Shape
from zkmargin.circuit import CompiledCircuit
from zkmargin.errors import InputError
from zkmargin.formats.r1cs import write_r1cs
from zkmargin.formats.snarkjs_json import write_json
from zkmargin.formats.zkey import ZKey, read_zkey, write_zkey
from zkmargin.groth16 import setup_unsafe_dev, verification_key
from zkmargin.json_input import load_json
from zkmargin.margin import Market
from zkmargin.solvency import layout
from zkmargin.solvency.circuits import BatchModel, batch_model, circuit_shape
from zkmargin.solvency.staging import check_destination, staged_folder

KEYS_FORMAT = "zkmargin-keys/2"


@dataclass(frozen=True)
class KeyInfo:
    """The content of ``circuit.json``."""

    circuit: str
    model: str
    shape: Shape
    curve: str
    constraints: int
    wires: int
    fingerprint: str
    setup: str = "unsafe-dev"

    @property
    def batch_size(self) -> int:
        return self.shape.batch_size

    def to_json(self) -> dict[str, Any]:
        return {"format": KEYS_FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, doc: Any, source: str) -> KeyInfo:
        if not isinstance(doc, dict) or doc.get("format") != KEYS_FORMAT:
            raise InputError(source, "format", f"not a zkmargin keys file ({KEYS_FORMAT})")
        values = {}
        values["shape"] = Shape.from_json(doc.get("shape"), source)
        for name, kind in (
            ("circuit", str),
            ("model", str),
            ("curve", str),
            ("constraints", int),
            ("wires", int),
            ("fingerprint", str),
            ("setup", str),
        ):
            value = doc.get(name)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise InputError(source, name, f"missing or not a {kind.__name__}")
            values[name] = value
        return cls(**values)


@dataclass
class Keys:
    """A loaded keys folder: what it is for, and the proving key."""

    folder: Path
    info: KeyInfo
    zkey: ZKey


def r1cs_fingerprint(compiled: CompiledCircuit) -> str:
    """SHA-256 (hex) of the circuit's ``.r1cs`` file: what ``circuit.json`` records."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / layout.R1CS_FILE
        write_r1cs(path, compiled.r1cs)
        return _sha256(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def setup_keys(
    circuit: str,
    market: Market,
    batch_size: int,
    out: str | Path,
    rng: random.Random | None = None,
    params: dict[str, Any] | None = None,
) -> KeyInfo:
    """Compile ``circuit`` for the shape of ``market`` at ``batch_size`` (``params`` override
    the inferred shape: ``{"slots": 8, "instruments": 4096}``), run the UNSAFE development
    setup and write the keys folder ``out`` (all files or none).

    ``rng`` (a seeded ``random.Random``) makes the keys reproducible — tests only.
    """
    check_destination(out)  # before minutes of setup work
    model = batch_model(circuit, market, circuit_shape(circuit, market, batch_size, params))
    zkey = setup_unsafe_dev(model.compiled.r1cs, rng=rng)
    with staged_folder(out) as tmp:
        write_r1cs(tmp / layout.R1CS_FILE, model.compiled.r1cs)
        write_zkey(tmp / layout.ZKEY, zkey)
        write_json(tmp / layout.VKEY, verification_key(zkey))
        info = KeyInfo(
            circuit=circuit,
            model=model.model,
            shape=model.shape,
            curve=zkey.curve,
            constraints=model.compiled.r1cs.n_constraints,
            wires=model.compiled.r1cs.n_wires,
            fingerprint=_sha256(tmp / layout.R1CS_FILE),
        )
        write_json(tmp / layout.CIRCUIT_INFO, info.to_json())
    return info


def read_key_info(folder: str | Path) -> KeyInfo:
    """A keys folder's ``circuit.json``; :class:`InputError` if the folder or file is missing
    or malformed."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "", "keys folder not found (make one with zkmargin setup)")
    info_path = folder / layout.CIRCUIT_INFO
    return KeyInfo.from_json(load_json(info_path), str(info_path))


def load_keys(folder: str | Path) -> Keys:
    """Read a keys folder; :class:`InputError` for a missing or inconsistent file."""
    folder = Path(folder)
    info = read_key_info(folder)
    zkey_path = folder / layout.ZKEY
    if not zkey_path.is_file():
        raise InputError(str(zkey_path), "", "proving key not found")
    zkey = read_zkey(zkey_path)
    if zkey.curve != info.curve:
        raise InputError(
            str(zkey_path),
            "curve",
            f"key is on {zkey.curve}, {layout.CIRCUIT_INFO} says {info.curve}",
        )
    if zkey.n_vars != info.wires or zkey.n_public != 1:
        raise InputError(
            str(zkey_path),
            "",
            f"key is for {zkey.n_vars} wires and {zkey.n_public} public signals; the circuit has "
            f"{info.wires} wires and 1 public signal",
        )
    return Keys(folder, info, zkey)


def check_shape(keys: Keys, model: BatchModel) -> None:
    """Refuse keys made for another circuit shape than ``model`` (one line naming both)."""
    found = r1cs_fingerprint(model.compiled)
    if found != keys.info.fingerprint:
        raise InputError(
            str(keys.folder / layout.CIRCUIT_INFO),
            "fingerprint",
            f"these keys do not match circuit {keys.info.circuit} compiled for their shape "
            f"({keys.info.constraints} constraints recorded, "
            f"{model.compiled.r1cs.n_constraints} now): run zkmargin setup again",
        )
