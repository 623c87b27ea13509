"""``zkmargin inspect CIRCUIT``: constraints and wires per namespace of a compiled circuit."""

from __future__ import annotations

import click

from zkmargin.batch.loader import find_circuit
from zkmargin.cli.errors import user_errors
from zkmargin.cli.params import param_option, parse_params
from zkmargin.cli.root import main
from zkmargin.dsl import compile_circuit
from zkmargin.dsl.r1cs_digest import r1cs_digest
from zkmargin.errors import InputError
from zkmargin.field import field_by_name
from zkmargin.limits import MAX_BATCH_SIZE
from zkmargin.margin import load_market


@main.command("inspect")
@click.argument("circuit")
@param_option
@click.option(
    "--market",
    "market_path",
    type=click.Path(dir_okay=False),
    help="Market snapshot JSON, passed as the circuit's `market` parameter "
    "(margin model circuits need it).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, MAX_BATCH_SIZE),
    help="Accounts per batch (margin model circuits; the same as -p batch_size=N).",
)
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="Deepest namespace level to list.")  # fmt: skip
@click.option("--expand-indices", is_flag=True, help="List account[0], account[1], ... separately.")
@click.option(
    "--digest",
    "show_digest",
    is_flag=True,
    help="Print the constraint system's digest (what a report's circuit_digest and verify "
    "compare) instead of the namespaces.",
)
@click.option(
    "--curve",
    default="bn128",
    type=click.Choice(["bn128", "bls12381"]),
    help="Field of the constraint system.",
)
@user_errors
def inspect_command(
    circuit: str,
    params: tuple[str, ...],
    market_path: str | None,
    batch_size: int | None,
    depth: int | None,
    expand_indices: bool,
    show_digest: bool,
    curve: str,
) -> None:
    """Compile CIRCUIT (a shipped name or FILE.py[:Class]) and show its cost per namespace
    (or, with --digest, its constraint-system digest).

    Margin model circuits take a batch size and shape parameters, with the rest inferred from
    the market: `zkmargin inspect scenario --market MARKET --batch-size 2 -p slots=8
    -p instruments=4096`.
    """
    cls = find_circuit(circuit)
    kwargs = parse_params(params)
    if batch_size is not None:
        if "batch_size" in kwargs:
            raise InputError("--batch-size", "", "given twice (also as -p batch_size=...)")
        kwargs["batch_size"] = batch_size
    if market_path is not None:
        kwargs["market"] = load_market(market_path)
    size = kwargs.get("batch_size", 1)
    if not isinstance(size, int) or not 1 <= size <= MAX_BATCH_SIZE:
        raise InputError(
            "--param", "batch_size", f"must be from 1 to {MAX_BATCH_SIZE:,}, got {size}"
        )
    try:
        instance = cls(**kwargs)
    except InputError:
        raise  # e.g. a market over the shape's capacity
    except (TypeError, ValueError) as err:
        raise InputError(circuit, "--param", str(err)) from None
    compiled = compile_circuit(instance, field_by_name(curve))
    r = compiled.r1cs
    click.echo(
        f"circuit {cls.__name__} on {curve}: {r.n_constraints} constraints, "
        f"{r.n_wires} wires ({r.n_pub_in} public, {r.n_prv_in} private inputs)"
    )
    if show_digest:
        # a fresh margin circuit is compiled with digest_value 0: the system its digest is of
        click.echo(f"digest {r1cs_digest(r):x}")
        return
    rows = compiled.stats(depth=depth, collapse_indices=not expand_indices)
    width = max(len(row.namespace) for row in rows)
    click.echo(f"{'namespace':<{width}}  {'constraints':>11}  {'wires':>9}")
    for row in rows:
        click.echo(f"{row.namespace:<{width}}  {row.constraints:>11}  {row.wires:>9}")
