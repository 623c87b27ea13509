"""``zkmargin zkey export solidityverifier|soliditycalldata`` (snarkjs's names and argument
order) and ``zkmargin export-contract`` (the report-level contract).

Exit status: 0 OK, 2 bad input (one ``error: FILE: FIELD: PROBLEM`` line).
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import user_errors
from zkmargin.cli.root import main
from zkmargin.cli.zkey import export
from zkmargin.errors import InputError

_FILE = click.Path(dir_okay=False, path_type=Path)


def read_any_verifying_key(path: Path):
    """The verifying key of a ``.zkey`` (snarkjs's or ours) or of a ``verification_key.json``."""
    from zkmargin.formats.snarkjs_json import read_verification_key
    from zkmargin.formats.zkey import read_zkey
    from zkmargin.groth16 import verifying_key

    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as err:
        raise InputError(str(path), "", f"cannot read: {err.strerror or err}") from None
    return verifying_key(read_zkey(path)) if magic == b"zkey" else read_verification_key(path)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` atomically (nothing half-written); an unwritable path is bad input."""
    from zkmargin.atomic_files import atomic_write

    try:
        atomic_write(path, [text.encode()])
    except OSError as err:
        raise InputError(str(path), "", f"cannot write: {err.strerror or err}") from None


@export.command("solidityverifier")
@click.argument("key", type=_FILE)
@click.argument("out", type=_FILE)
@user_errors
def solidityverifier_cmd(key: Path, out: Path) -> None:
    """Write a Solidity verifier for KEY (a .zkey or verification_key.json) to OUT (.sol)."""
    from zkmargin.onchain import solidity_verifier

    write_text(out, solidity_verifier(read_any_verifying_key(key), source=str(key)))


@export.command("soliditycalldata")
@click.argument("public", type=_FILE)
@click.argument("proof", type=_FILE)
@user_errors
def soliditycalldata_cmd(public: Path, proof: Path) -> None:
    """Print the verifyProof arguments for PUBLIC and PROOF (snarkjs's text form)."""
    from zkmargin.curve import curve_by_name
    from zkmargin.formats.snarkjs_json import read_proof, read_public
    from zkmargin.onchain import require_evm_curve, solidity_calldata

    pi = read_proof(proof)
    require_evm_curve(pi.curve, str(proof))
    signals = read_public(public, curve_by_name(pi.curve).fr.p)
    click.echo(solidity_calldata(pi, signals))


@main.command("export-contract")
@click.argument("keys", type=click.Path(file_okay=False, path_type=Path))
@click.argument("out", type=_FILE)
@user_errors
def export_contract_cmd(keys: Path, out: Path) -> None:
    """Write the report-level contract for the keys folder KEYS/ to OUT (.sol): it verifies a
    report's batches against their statement fields and records each snapshot as proven."""
    from zkmargin.onchain.report_contract import export_report_contract

    text, mode = export_report_contract(keys)
    write_text(out, text)
    if mode == "hash":
        click.echo(
            f"note: {keys} proves the statement's hash, which the contract recomputes in "
            "Solidity (about 6x snarkjs's verifier per batch); keys set up with "
            "-p statement=fields make a contract at about 1.3x",
            err=True,
        )
