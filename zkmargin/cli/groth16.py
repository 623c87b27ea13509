"""``zkmargin groth16 ...``: snarkjs-compatible Groth16 commands (snarkjs's argument order).

Exit status: 0 OK, 1 proof does not verify or the verifying key is one anyone could forge under,
2 bad input (one ``error: FILE: FIELD: PROBLEM`` line).
"""

from __future__ import annotations

from pathlib import Path

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import FILE, backend_option
from zkmargin.cli.root import main
from zkmargin.errors import InputError, printable


@main.group("groth16")
def groth16() -> None:
    """Groth16 proofs interchangeable with snarkjs (bn128 and bls12381)."""


@groth16.command("prove")
@click.argument("zkey", type=FILE)
@click.argument("wtns", type=FILE)
@click.argument("proof", type=FILE)
@click.argument("public", type=FILE)
@backend_option
@user_errors
def prove_cmd(zkey: Path, wtns: Path, proof: Path, public: Path, backend: str | None) -> None:
    """Prove with ZKEY (snarkjs or ours) and witness WTNS; write PROOF and PUBLIC JSON."""
    from zkmargin.curve import default_backend
    from zkmargin.formats.snarkjs_json import write_proof, write_public
    from zkmargin.formats.wtns import read_wtns
    from zkmargin.formats.zkey import read_zkey
    from zkmargin.formats.zkey_arrays import read_zkey_arrays
    from zkmargin.groth16 import WitnessMismatch, prove
    from zkmargin.groth16.prove import PURE_BACKENDS

    # the array reader hands the file's Montgomery points straight to the fast kernels
    pure = (backend or default_backend()) in PURE_BACKENDS
    key = read_zkey(zkey) if pure else read_zkey_arrays(zkey)
    prime, witness = read_wtns(wtns)
    from zkmargin.curve import curve_by_name

    if prime != curve_by_name(key.curve).fr.p:
        raise InputError(str(wtns), "prime", f"the witness's field is not {key.curve}'s")
    try:
        pi, signals = prove(key, witness, backend=backend)
    except WitnessMismatch as err:
        raise InputError(str(wtns), "witness", str(err)) from None
    write_proof(proof, pi)
    write_public(public, signals)


@groth16.command("verify")
@click.argument("vk", type=FILE)
@click.argument("public", type=FILE)
@click.argument("proof", type=FILE)
@backend_option
@user_errors
def verify_cmd(vk: Path, public: Path, proof: Path, backend: str | None) -> None:
    """Verify PROOF for the PUBLIC signals under the verification key VK (refused, exit 1, if
    anyone could forge proofs under it: see ``zkmargin.groth16.key_checks``)."""
    from zkmargin.curve import curve_by_name
    from zkmargin.formats.snarkjs_json import (
        InvalidPoint,
        read_proof,
        read_public,
        read_verification_key,
    )
    from zkmargin.groth16 import verify
    from zkmargin.groth16.key_checks import key_defect

    try:
        key = read_verification_key(vk)
    except InvalidPoint as err:  # off the curve or the subgroup: a key that proves nothing
        fail(f"invalid: {err}", 1)
    defect = key_defect(key)
    if defect is not None:
        fail(f"invalid: {printable(vk, 160)}: {defect}", 1)
    signals = read_public(public, curve_by_name(key.curve).fr.p)
    pi = read_proof(proof)
    if pi.curve != key.curve:
        raise InputError(str(proof), "curve", f"proof is on {pi.curve}, the key on {key.curve}")
    if len(signals) != key.n_public:
        raise InputError(
            str(public), "", f"expected {key.n_public} public signals (nPublic), got {len(signals)}"
        )
    if verify(key, signals, pi, backend=backend):
        click.echo("OK!")
    else:
        click.echo("invalid proof", err=True)
        raise SystemExit(1)


@groth16.command("setup")
@click.argument("r1cs", type=FILE)
@click.argument("files", nargs=-1, required=True, metavar="[PTAU] ZKEY")
@user_errors
def setup_cmd(r1cs: Path, files: tuple[str, ...]) -> None:
    """Write the ZKEY for R1CS. With PTAU (prepared for phase 2): the start of a phase-2
    ceremony, the same key as ``snarkjs groth16 setup`` — contribute to it with
    ``zkmargin zkey contribute`` and finish with ``zkey beacon``.

    Without PTAU: an UNSAFE development key from one party's randomness (whoever runs it can
    forge proofs).
    """
    from zkmargin.formats.r1cs import read_r1cs

    if len(files) > 2:
        raise InputError("setup", "", "expected R1CS [PTAU] ZKEY")
    if len(files) == 2:
        from zkmargin.ceremony import phase2
        from zkmargin.cli.powersoftau import fmt_hash

        ptau, zkey = files
        key = phase2.initial_key(read_r1cs(r1cs), ptau, str(r1cs))
        phase2.write_sections(zkey, key.sections)
        click.echo(fmt_hash("Circuit hash:", key.circuit_hash))
        return
    from zkmargin.formats.zkey import write_zkey
    from zkmargin.groth16 import setup_unsafe_dev

    click.echo(
        "warning: UNSAFE single-party setup, for development only: whoever ran it can forge proofs",
        err=True,
    )
    write_zkey(files[0], setup_unsafe_dev(read_r1cs(r1cs)))


@groth16.command("export-vk")
@click.argument("zkey", type=FILE)
@click.argument("vk", type=FILE)
@user_errors
def export_vk_cmd(zkey: Path, vk: Path) -> None:
    """Write the verification key JSON of ZKEY to VK (snarkjs zkey export verificationkey)."""
    from zkmargin.formats.snarkjs_json import write_json
    from zkmargin.formats.zkey import read_zkey
    from zkmargin.groth16 import verification_key

    write_json(vk, verification_key(read_zkey(zkey)))
