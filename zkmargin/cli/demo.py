"""``zkmargin demo``: the whole flow on the embedded example snapshot, in a temporary folder.

Prints the reference calculator's totals under the circuit's own model (the model the proofs
use), then runs setup, prove, verify and verify-inclusion (a few receipts) on the example's
accounts — all 300 by default, in batches of 16 — and says, in a few dozen lines, what was
proven, how many constraints that took and how long each step took. The first step
loads the fast kernels: on a first run numba compiles them (minutes), reported apart from the
steady-state steps; later runs load them from numba's on-disk cache. ``--accounts N`` proves
the first N accounts and estimates the whole snapshot.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

import click

from zkmargin.cli.calc import run_calc
from zkmargin.cli.errors import user_errors
from zkmargin.cli.options import DIR
from zkmargin.cli.root import main
from zkmargin.cli.wording import plural
from zkmargin.limits import MAX_BATCH_SIZE
from zkmargin.margin import calculate_chunks, example_paths, load_market, read_accounts
from zkmargin.margin.fixed import MONEY_SCALE, format_decimal
from zkmargin.models.registry import market_models

WARM_UP = "fast kernels (compiled on a first run)"
DEFAULT_CIRCUIT = "greeks"
"""The lightest margin model that prices the example's options by their risk (``cross`` is
lighter in constraints but margins options by notional brackets only)."""


def _accounts_option(value: str) -> int | None:
    if value == "all":
        return None
    if not value.isdigit() or int(value) < 1:
        raise click.BadParameter("a positive number, or 'all'", param_hint="--accounts")
    return int(value)


@main.command("demo")
@click.option(
    "--circuit",
    default=DEFAULT_CIRCUIT,
    show_default=True,
    help="Model circuit to prove with (scenario is the example's own model, and the heaviest).",
)
@click.option("--accounts", "how_many", default="all", show_default=True,
              help="How many accounts of the example to prove, or 'all'.")  # fmt: skip
@click.option("--batch-size", default=16, show_default=True,
              type=click.IntRange(1, MAX_BATCH_SIZE), help="Accounts per batch proof.")  # fmt: skip
@click.option("--calc-only", is_flag=True, help="Only print the calculator's totals.")
@click.option("--epochs", type=click.Choice(["1", "3"]), default="1", show_default=True,
              help="3: margin calls across three chained snapshots of four accounts "
              "(notices, a recovery, a liquidation, an attestation).")  # fmt: skip
@click.option("--out", type=DIR,
              help="Write keys and report into this new folder instead of a temporary one.")  # fmt: skip
@click.option("--keep", type=DIR, hidden=True)  # the option's former name
@user_errors
def demo_command(
    circuit: str,
    how_many: str,
    batch_size: int,
    calc_only: bool,
    epochs: str,
    out: Path | None,
    keep: Path | None,
) -> None:
    """Run calc, setup, prove, verify and verify-inclusion on the embedded example snapshot."""
    from zkmargin.batch import load_model_circuit
    from zkmargin.solvency.staging import check_destination

    limit = _accounts_option(how_many)
    out = out if out is not None else keep
    if out is not None:
        check_destination(out)
    if epochs == "3":
        _epochs_demo(out)
        return
    model = calc_model(load_model_circuit(circuit).model)  # an unknown circuit: one line, now
    market_path, accounts_path = example_paths()
    market = load_market(market_path)
    click.echo(
        f"Example snapshot {market.epoch:%Y-%m-%dT%H:%M:%SZ}: {len(market.instruments)} "
        f"instruments over {', '.join(market.underlyings)}, collateral in "
        f"{', '.join(market.assets)}\n(files: {market_path.parent})\n"
    )
    start, cpu = time.perf_counter(), time.process_time()
    click.echo(f"Reference calculator, {model or market.model.name} model (the proofs' own):")
    accounts = itertools.islice(read_accounts(accounts_path, market), limit)
    chunks = calculate_chunks(market, accounts, model, intermediates=False)
    run_calc(market, chunks, False, echo=lambda text, **_: click.echo("  " + text), summary=True)
    timings = [("calc", time.perf_counter() - start, time.process_time() - cpu)]
    if calc_only:
        return
    if out is not None:
        out.mkdir(exist_ok=True)
        _flow(market_path, accounts_path, out, circuit, limit, batch_size, timings)
        click.echo(
            f"\nKept in {out}: keys/, report/ (public: publish-check passes), report.private/ "
            "(receipts and job ledger: never publish)"
        )
    else:
        with tempfile.TemporaryDirectory(prefix="zkmargin-demo-") as tmp:
            _flow(market_path, accounts_path, Path(tmp), circuit, limit, batch_size, timings)


def _epochs_demo(out: Path | None) -> None:
    from zkmargin.cli.demo_epochs import run_epochs_demo

    click.echo(
        "Margin calls across three hourly epochs of the example (four accounts, health circuit, "
        "grace 2 h);\nsetups are the UNSAFE one-party development setup.\n"
    )
    timings: list[tuple[str, float, float]] = []

    def flow(work: Path) -> None:
        t, cpu = time.perf_counter(), time.process_time()
        _warm_kernels()
        timings.append((WARM_UP, time.perf_counter() - t, time.process_time() - cpu))
        run_epochs_demo(work, timings)
        print_timings(timings)

    if out is not None:
        out.mkdir(exist_ok=True)
        flow(out)
        click.echo(
            f"\nKept in {out}: keys/, public/ (markets, reports, notices, liquidation, "
            "attestation), private/ (accounts, account key, receipts: never publish)"
        )
    else:
        with tempfile.TemporaryDirectory(prefix="zkmargin-demo-") as tmp:
            flow(Path(tmp))


def calc_model(circuit_model: str) -> str | None:
    """The calculator's model for a circuit's market encoding (``None``: the market's own, for
    an encoding the calculator has no model of)."""
    return circuit_model if circuit_model in market_models() else None


def _market_for(model: str, market_path: Path, work: Path) -> Path:
    """The example market declaring ``model``: a circuit proves its own model only, and the
    example (a scenario-grid market) also carries what the other models read."""
    doc = json.loads(market_path.read_text(encoding="utf-8"))
    if doc["model"]["name"] == model:
        return market_path
    click.echo(f"(the example market declares {doc['model']['name']}: proving it as {model})")
    doc["model"]["name"] = model
    path = work / "market.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def print_timings(timings: list[tuple[str, float, float]]) -> None:
    click.echo(f"\n{'step':<40}  wall s    CPU s")
    for name, wall, cpu in timings:
        click.echo(f"{name:<40}{wall:>8.1f}{cpu:>9.1f}")
    click.echo("(wall > CPU when other processes share the machine)")


def _warm_kernels() -> None:
    """Check, hash, set up, prove and verify a one-constraint circuit on bn128: loads (or, on a
    first run, compiles) every fast kernel the flow uses, so their compile time is not counted
    as proving."""
    from zkmargin.dsl.fast_check import FastCheck
    from zkmargin.dsl.r1cs import R1CS, Constraint
    from zkmargin.field import BN254_FR
    from zkmargin.groth16 import prove, setup_unsafe_dev, verify, verifying_key
    from zkmargin.hash import poseidon_sponge

    cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
    FastCheck.of(cs)([1, 9, 3])
    poseidon_sponge([9, 3])
    zkey = setup_unsafe_dev(cs)
    proof, public = prove(zkey, [1, 9, 3])
    if not verify(verifying_key(zkey), public, proof):
        raise RuntimeError("the fast kernels' warm-up proof does not verify")


def _flow(market_path, accounts_path, work: Path, circuit, limit, batch_size, timings) -> None:
    from zkmargin.batch import load_model_circuit
    from zkmargin.cli.progress import ProgressPrinter
    from zkmargin.cli.wording import shortfall_list, state_counts
    from zkmargin.solvency import (
        ProveOptions,
        Snapshot,
        prove_snapshot,
        setup_keys,
        verify_inclusion,
        verify_report,
    )
    from zkmargin.solvency.batch_model import batch_model
    from zkmargin.solvency.layout import receipt_path

    market_path = _market_for(load_model_circuit(circuit).model, market_path, work)
    market = load_market(market_path)
    total = sum(1 for _ in read_accounts(accounts_path, market))
    chosen = work / "accounts.jsonl"
    with accounts_path.open(encoding="utf-8") as src:
        lines = [line for line in src if line.strip()]
    chosen.write_text("".join(itertools.islice(lines, limit)), encoding="utf-8")
    n = min(limit or total, total)

    def step(name: str, fn):
        t, cpu = time.perf_counter(), time.process_time()
        out = fn()
        timings.append((name, time.perf_counter() - t, time.process_time() - cpu))
        return out

    step(WARM_UP, _warm_kernels)
    model = step("compile", lambda: batch_model(circuit, market, batch_size))
    per_batch = model.compiled.r1cs.n_constraints
    batches = -(-n // batch_size)
    click.echo(
        f"\nProving {n} of {plural(total, 'account')} with circuit {model.name} (model {model.model}), "
        f"batches of {batch_size}: up to {plural(batches, 'batch proof')} of {per_batch:,} "
        "constraints (fewer when under-margined accounts are left out)."
    )
    click.echo(
        "Setup is the UNSAFE one-party development setup (whoever runs it can forge proofs).",
    )
    step("setup (unsafe, dev)", lambda: setup_keys(circuit, market, batch_size, work / "keys"))

    # a redrawn bar on a terminal; nothing in a log (the summary below says it all)
    progress = ProgressPrinter(quiet=not sys.stderr.isatty(), json_lines=False)
    result = step(
        "prove",
        lambda: prove_snapshot(
            Snapshot(chosen, market_path, work / "keys"),
            work / "report",
            ProveOptions(allow_shortfall=True, progress=progress),
        ),
    )
    progress.finish()
    report = result.report
    step("verify (all batch proofs)", lambda: verify_report(work / "report"))
    receipts = [json.loads(line)["id"] for line in lines[: min(n, 3)]]
    receipts = [r for r in receipts if r not in {e.id for e in report.excluded}]
    step(
        f"verify-inclusion ({plural(len(receipts), 'receipt')})",
        lambda: [
            verify_inclusion(receipt_path(result.private, r), work / "report") for r in receipts
        ],
    )

    money = lambda x: format_decimal(x, MONEY_SCALE)  # noqa: E731
    what = f"{report.claim}, at epoch {report.epoch}"
    if state_counts(report.totals):
        what += f" — {state_counts(report.totals)}"
    click.echo(
        f"\nProven: {what};\n"
        f"  total collateral value {money(report.totals.collateral_value)}, total requirement "
        f"{money(report.totals.requirement)}; "
        f"{plural(len(report.batches), 'Groth16 proof')}, {len(report.batches) * per_batch:,} "
        "constraints proven in all."
    )
    if report.excluded:
        click.echo(
            f"  left out (under-margined, listed in the report): {len(report.excluded)}: "
            + shortfall_list(report.excluded)
        )
    if receipts:
        click.echo(f"  receipts checked: {', '.join(receipts)}")
    print_timings(timings)
    prove_cpu = next(cpu for name, _, cpu in timings if name == "prove")
    if n < total:
        click.echo(
            f"\nProving all {total} accounts would take about {prove_cpu / n * total / 60:.0f} min "
            "of CPU time (plus the setup); --accounts all does it."
        )
