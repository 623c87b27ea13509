"""``zkmargin powersoftau ...``: phase 1 of a trusted setup, snarkjs's commands and files.

``new``, ``contribute``, ``beacon``, ``prepare phase2``, ``verify`` and the offline flow
(``export challenge``, ``challenge contribute``, ``import response``) with snarkjs's argument
order; options take both ``--name N -e E`` and snarkjs's ``--name=N -e=E``. Exit status: 0 OK;
1 a file does not verify (one ``invalid:`` line naming the first failed check); 2 bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import (
    FILE,
    beacon_arguments,
    contribute_arguments,
    entropy_option,
    name_option,
)
from zkmargin.cli.root import main

if TYPE_CHECKING:
    from zkmargin.ceremony.powersoftau import ContributionResult


def entropy_rng(entropy: str | None):
    from zkmargin.ceremony.chacha import entropy_rng as make

    while not entropy:
        entropy = click.prompt("Enter a random text. (Entropy)", hide_input=True)
    return make(entropy)


def fmt_hash(label: str, digest: bytes) -> str:
    h = digest.hex()
    rows = [" ".join(h[r + i : r + i + 8] for i in range(0, 32, 8)) for r in range(0, 128, 32)]
    return label + "\n" + "\n".join("    " + row for row in rows)


def refusals(fn):
    """A :class:`~zkmargin.ceremony.powersoftau.CeremonyFailure` prints ``invalid: ...``, exit 1."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from zkmargin.ceremony.powersoftau import CeremonyFailure

        try:
            return fn(*args, **kwargs)
        except CeremonyFailure as err:
            fail(f"invalid: {err}", 1)

    return wrapper


def check_curve(curve: str) -> None:
    from zkmargin.errors import InputError

    if curve not in ("bn128", "bn254"):
        raise InputError("CURVE", "", f"only bn128 is supported, got {curve!r}")


def _log(text: str) -> None:
    click.echo(text, err=True)


def _show(res: ContributionResult) -> None:
    """A phase-1 contribution's hashes, for the contributor to publish and the next to check."""
    from zkmargin.formats.ptau import NO_HASH

    click.echo(fmt_hash("Contribution response hash:", res.response_hash))
    if res.next_challenge == NO_HASH:
        click.echo("Next challenge hash: none (a transcript without points)")
    else:
        click.echo(fmt_hash("Next challenge hash:", res.next_challenge))


@main.group("powersoftau")
def powersoftau() -> None:
    """Powers of tau (phase 1 of a Groth16 ceremony), snarkjs's files."""


@powersoftau.command("new")
@click.argument("curve")
@click.argument("power", type=int)
@click.argument("out", type=FILE)
@user_errors
def new_cmd(curve: str, power: int, out: Path) -> None:
    """Start an accumulator of 2^POWER powers on CURVE (bn128)."""
    from zkmargin.ceremony import powersoftau as pt

    check_curve(curve)
    click.echo(fmt_hash("First contribution hash:", pt.new(power, out)))


@powersoftau.command("contribute")
@contribute_arguments
@user_errors
def contribute_cmd(src: Path, dst: Path, name: str, entropy: str | None) -> None:
    """Add a contribution to SRC, write DST. Keep nothing: the secret is forgotten on exit."""
    from zkmargin.ceremony import powersoftau as pt

    _show(pt.contribute(src, dst, name, entropy_rng(entropy), _log))


@powersoftau.command("beacon")
@beacon_arguments
@user_errors
def beacon_cmd(src: Path, dst: Path, beacon_hash: str, iterations: str, name: str) -> None:
    """Add the beacon contribution: secrets from 2^ITERATIONS SHA-256 rounds of BEACON_HASH."""
    from zkmargin.ceremony import powersoftau as pt

    _show(pt.beacon(src, dst, name, beacon_hash, iterations, _log))


@powersoftau.group("prepare")
def prepare() -> None:
    """Prepare a ptau for phase 2."""


@prepare.command("phase2")
@click.argument("src", type=FILE)
@click.argument("dst", type=FILE)
@user_errors
def prepare_phase2_cmd(src: Path, dst: Path) -> None:
    """Add the Lagrange sections (12–15) a circuit setup reads; identical to snarkjs's."""
    from zkmargin.ceremony.prepare import prepare_phase2

    prepare_phase2(src, dst)


@powersoftau.command("verify")
@click.argument("ptau", type=FILE)
@user_errors
@refusals
def verify_cmd(ptau: Path) -> None:
    """Check every contribution, the challenge chain, the powers and the Lagrange sections."""
    from zkmargin.ceremony import ptau_verify

    contribs = ptau_verify.verify(ptau, _log)
    for i, c in enumerate(contribs, 1):
        kind = " (beacon)" if c.type == 1 else ""
        click.echo(
            fmt_hash(f"contribution #{i} {c.name}{kind}: response", ptau_verify.response_hash(c))
        )
        if c.type == 1:
            click.echo(f"    beacon {c.beacon_hash.hex()}, 2^{c.iterations_exp} iterations")
    click.echo("OK: powers of tau verified")


@powersoftau.group("export")
def export() -> None:
    """Export a ptau for an offline contributor."""


@export.command("challenge")
@click.argument("ptau", type=FILE)
@click.argument("challenge", type=FILE, default="challenge")
@user_errors
@refusals
def export_challenge_cmd(ptau: Path, challenge: Path) -> None:
    """Write the challenge of PTAU's next contribution (default file name: challenge)."""
    from zkmargin.ceremony import offline

    click.echo(fmt_hash("Challenge hash:", offline.export_challenge(ptau, challenge)))


@powersoftau.group("challenge")
def challenge_group() -> None:
    """Answer a challenge offline."""


@challenge_group.command("contribute")
@click.argument("curve")
@click.argument("challenge", type=FILE)
@click.argument("response", type=FILE, required=False)
@entropy_option
@user_errors
def challenge_contribute_cmd(
    curve: str, challenge: Path, response: Path | None, entropy: str | None
) -> None:
    """Answer CHALLENGE with a contribution, write RESPONSE (default: the challenge's name
    with the extension .response). The name is given when the response is imported."""
    from zkmargin.ceremony import offline

    check_curve(curve)
    out = response or challenge.with_suffix(".response")
    res = offline.challenge_contribute(challenge, out, entropy_rng(entropy))
    click.echo(fmt_hash("Challenge hash:", res.next_challenge))
    click.echo(fmt_hash("Contribution response hash:", res.response_hash))


@powersoftau.group("import")
def import_group() -> None:
    """Import an offline contribution."""


@import_group.command("response")
@click.argument("src", type=FILE)
@click.argument("response", type=FILE)
@click.argument("dst", type=FILE)
@name_option
@click.option(
    "--nopoints", "-nopoints", is_flag=True,
    help="Write a transcript: the header and the contributions, without the points.",
)  # fmt: skip
@click.option(
    "--nocheck", "-nocheck", is_flag=True,
    help="Skip the proofs of knowledge, the link and the powers check (verify the file later).",
)  # fmt: skip
@user_errors
@refusals
def import_response_cmd(
    src: Path, response: Path, dst: Path, name: str, nopoints: bool, nocheck: bool
) -> None:
    """Check the contribution in RESPONSE (answering SRC's challenge) and add it to SRC,
    writing DST."""
    from zkmargin.ceremony import offline

    _show(offline.import_response(src, response, dst, name, not nopoints, not nocheck))
