"""Keys folders: ``zkmargin setup`` writes one, ``zkmargin prove`` reads it.

``circuit.json`` records what the keys were made for — circuit name, model, shape (batch size,
slots, table capacity...), curve, sizes — and the *fingerprint*: the SHA-256 of
``circuit.r1cs``. ``prove`` compiles the circuit for the recorded shape, checks the market and
accounts fit it, fingerprints the result the same way and refuses keys that do not match with
one line, before any proving work.

Keys come from the one-party development setup (:func:`zkmargin.groth16.setup_unsafe_dev`:
whoever runs it can forge proofs), from a powers-of-tau file as the start of a phase-2 ceremony,
or from a finished ceremony's key (see ``docs/ceremony.md``); ``circuit.json`` says which.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from zkmargin.batch import Shape, load_model_circuit
from zkmargin.dsl import CompiledCircuit
from zkmargin.errors import InputError
from zkmargin.formats.binfile import read_binfile
from zkmargin.formats.point_codec import decode_g1_points
from zkmargin.formats.r1cs import write_r1cs
from zkmargin.formats.snarkjs_json import VerifyingKey, write_json
from zkmargin.formats.zkey import ZKey, read_zkey, write_zkey
from zkmargin.formats.zkey_header import IC, MAGIC, VERSION, read_groth_header
from zkmargin.groth16 import setup_unsafe_dev, verification_key
from zkmargin.json_input import load_json
from zkmargin.margin import Market
from zkmargin.solvency import layout
from zkmargin.solvency.batch_model import BatchModel, batch_model, check_market_model, circuit_shape
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

    @property
    def public_count(self) -> int:
        """The key's number of public signals (``nPublic``): 1 (the statement hash) with the
        shape's ``statement=hash``, else the statement's fields (the circuit's own totals
        included, so the circuit is loaded)."""
        if self.shape.statement == "hash":
            return 1
        return load_model_circuit(self.circuit).public_count(self.shape)

    def to_json(self) -> dict[str, Any]:
        return {"format": KEYS_FORMAT, **asdict(self), "shape": self.shape.to_json()}

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
        if values["setup"] not in SETUPS:
            raise InputError(source, "setup", f"must be one of {', '.join(SETUPS)}")
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
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


SETUPS = ("unsafe-dev", "phase2-start", "ceremony")
"""``circuit.json``'s ``setup``: one party's key (development only); the start of a phase-2
ceremony from a ptau (delta = 1: contributions must follow before any proof is trusted); a
ceremony's final key, adopted."""


def setup_keys(
    circuit: str,
    market: Market,
    batch_size: int,
    out: str | Path,
    rng: random.Random | None = None,
    params: dict[str, Any] | None = None,
    *,
    ptau: str | Path | None = None,
    zkey: str | Path | None = None,
) -> KeyInfo:
    """Compile ``circuit`` for the shape of ``market`` at ``batch_size`` (``params`` override
    the inferred shape: ``{"slots": 8, "instruments": 4096}``) and write the keys folder ``out``
    (all files or none).

    By default the key comes from the UNSAFE development setup (``rng``, a seeded
    ``random.Random``, makes it reproducible — tests only). With ``ptau`` (prepared for phase
    2) and no ``zkey``: the initial key of a phase-2 ceremony (snarkjs's ``groth16 setup``).
    With ``zkey``: a ceremony's final key is adopted after checking it is for this circuit —
    in full (every section, the circuit hash, each contribution) when ``ptau`` is given too,
    else by its sizes.

    The setup takes seconds to minutes (``docs/api.md`` runs one); a destination already in use
    is refused before any of that work:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from zkmargin.margin import example_paths, load_market
    >>> market = load_market(example_paths()[0])
    >>> used = Path(tempfile.mkdtemp())
    >>> (used / "notes.txt").write_text("mine")
    4
    >>> setup_keys("scenario", market, batch_size=2, out=used)
    Traceback (most recent call last):
    zkmargin.errors.InputError: --out: ... already exists; remove it or choose another folder
    """
    from zkmargin.ceremony import phase2, zkey_verify
    from zkmargin.ceremony.powersoftau import CeremonyFailure

    check_destination(out)  # before minutes of setup work
    model = batch_model(circuit, market, circuit_shape(circuit, market, batch_size, params))
    check_market_model(model)
    r1cs = model.compiled.r1cs
    setup = "unsafe-dev"
    with staged_folder(out) as tmp:
        write_r1cs(tmp / layout.R1CS_FILE, r1cs)
        if zkey is not None:
            if ptau is not None:
                try:
                    zkey_verify.verify(r1cs, str(ptau), str(zkey), layout.R1CS_FILE)
                except CeremonyFailure as err:
                    raise InputError(
                        str(zkey), "", f"not a ceremony key for this circuit: {err}"
                    ) from None
            key = read_zkey(zkey)
            if (key.n_vars, key.n_public) != (r1cs.n_wires, r1cs.n_public):
                raise InputError(
                    str(zkey), "", f"key is for {key.n_vars} wires, the circuit has {r1cs.n_wires}"
                )
            shutil.copyfile(zkey, tmp / layout.ZKEY)
            setup = "ceremony"
        elif ptau is not None:
            phase2.write_sections(
                str(tmp / layout.ZKEY), phase2.initial_key(r1cs, str(ptau)).sections
            )
            key = read_zkey(tmp / layout.ZKEY)
            setup = "phase2-start"
        else:
            key = setup_unsafe_dev(r1cs, rng=rng)
            write_zkey(tmp / layout.ZKEY, key)
        write_json(tmp / layout.VKEY, verification_key(key))
        info = KeyInfo(
            circuit=circuit,
            model=model.model,
            shape=model.shape,
            curve=key.curve,
            constraints=r1cs.n_constraints,
            wires=r1cs.n_wires,
            fingerprint=_sha256(tmp / layout.R1CS_FILE),
            setup=setup,
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
    n_public = info.public_count
    if zkey.n_vars != info.wires or zkey.n_public != n_public:
        raise InputError(
            str(zkey_path),
            "",
            f"key is for {zkey.n_vars} wires and {zkey.n_public} public signals; the circuit has "
            f"{info.wires} wires and {n_public} public signal{'s' * (n_public != 1)}",
        )
    return Keys(folder, info, zkey)


def published_key(folder: str | Path) -> VerifyingKey:
    """The verifying key ``prove`` publishes with this keys folder's proving key (the one in
    ``circuit.zkey``, a ceremony's included), read from the key's header and IC sections only."""
    path = Path(folder) / layout.ZKEY
    if not path.is_file():
        raise InputError(str(path), "", "proving key not found")
    binfile = read_binfile(path, MAGIC, max_version=VERSION)
    head = read_groth_header(binfile)
    ic = decode_g1_points(binfile.section(IC, "IC"), head.curve, source=str(path))
    return VerifyingKey(
        head.curve, head.n_public, head.alpha1, head.beta2, head.gamma2, head.delta2, tuple(ic)
    )


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
