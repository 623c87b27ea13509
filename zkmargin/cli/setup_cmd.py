"""``zkmargin setup``: keys for a model circuit at a batch size (:mod:`zkmargin.solvency.keys`).

Exit status: 0 OK; 2 bad input (one ``error: FILE: FIELD: PROBLEM`` line).
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from zkmargin.cli.errors import user_errors
from zkmargin.cli.options import DIR, FILE
from zkmargin.cli.params import param_option, parse_params
from zkmargin.cli.root import main
from zkmargin.limits import MAX_BATCH_SIZE

UNSAFE = (
    "warning: UNSAFE single-party setup, for development only: whoever ran it can forge proofs.\n"
    "For production, run a ceremony on {r1cs} (snarkjs) and drop its .zkey in as {zkey}."
)


def _note(quiet: bool, text: str) -> None:
    if not quiet:
        click.echo(text, err=True)


@main.command("setup")
@click.option("--circuit", required=True, help="Model circuit: a name in circuits/ or FILE.py.")
@click.option("--market", "market_path", required=True, type=FILE, help="Market snapshot JSON.")
@click.option(
    "--batch-size",
    required=True,
    type=click.IntRange(1, MAX_BATCH_SIZE),
    help="Accounts per batch proof.",
)
@param_option
@click.option("--out", required=True, type=DIR, help="Keys folder to create.")
@click.option("--ptau", type=FILE, help="Powers of tau (prepared): start a phase-2 ceremony.")
@click.option("--zkey", type=FILE, help="A finished ceremony's key to adopt (checked).")
@click.option("--quiet", is_flag=True, help="No progress messages.")
@user_errors
def setup_command(
    circuit: str,
    market_path: Path,
    batch_size: int,
    params: tuple[str, ...],
    out: Path,
    ptau: Path | None,
    zkey: Path | None,
    quiet: bool,
) -> None:
    """Compile CIRCUIT for the shape of MARKET at BATCH-SIZE; write proving and verification
    keys to OUT. One set of keys proves every market and snapshot that fits its shape.

    Writes circuit.zkey, verification_key.json, circuit.r1cs (iden3) and circuit.json. Without
    --ptau/--zkey the setup is UNSAFE (one party knows the toxic waste): development only.
    --ptau writes the start of a phase-2 ceremony (contribute with zkmargin zkey contribute,
    finish with zkey beacon); --zkey adopts the finished key, checked against the circuit (in
    full, contributions included, when --ptau is given too).
    """
    from zkmargin.margin import load_market
    from zkmargin.solvency import layout
    from zkmargin.solvency.batch_model import circuit_shape
    from zkmargin.solvency.keys import setup_keys
    from zkmargin.solvency.staging import check_destination

    check_destination(out)  # options and inputs first: nothing is printed before they pass
    shape_params = parse_params(params)
    market = load_market(market_path)
    circuit_shape(circuit, market, batch_size, shape_params)  # what does not fit: before anything
    start = time.perf_counter()
    _note(quiet, f"compiling {circuit} for batches of {batch_size} and running the setup...")
    info = setup_keys(circuit, market, batch_size, out, params=shape_params, ptau=ptau, zkey=zkey)
    if ptau is None and zkey is None:
        click.echo(UNSAFE.format(r1cs=out / layout.R1CS_FILE, zkey=out / layout.ZKEY), err=True)
    shape = info.shape
    click.echo(
        f"keys for circuit {info.circuit} (model {info.model}), batches of {shape.batch_size}, "
        f"{shape.slots} slots, {shape.instruments} instruments: "
        f"{info.constraints} constraints, {info.wires} wires, {info.curve}, setup "
        f"{info.setup} -> {out} ({time.perf_counter() - start:.1f} s)"
    )
    if info.setup == "phase2-start":
        click.echo(
            f"phase-2 start: collect contributions on {out / layout.ZKEY} (zkmargin zkey "
            "contribute), end with zkey beacon, then adopt it with setup --zkey",
            err=True,
        )
