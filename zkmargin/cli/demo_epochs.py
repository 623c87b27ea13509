"""``zkmargin demo --epochs 3``: margin calls across three chained snapshots of the example.

Four accounts of the embedded example, margined with the ``health`` circuit (cross margin with
brackets, buffer 5 %) at three hourly epochs, with a grace period of two hours:

* epoch 1: ``acct-0001`` has withdrawn down to its margin-call band and ``acct-0002`` too: both
  get a margin-call notice;
* epoch 2: ``acct-0001`` has deposited and is healthy again; ``acct-0002`` has withdrawn more
  and is in liquidation — but its grace has not ended, so no liquidation can be proven yet;
* epoch 3: ``acct-0002`` is still in liquidation, two hours after its notice: its liquidation
  is proven and checked; ``acct-0000`` (healthy throughout) proves to a third party, from its
  receipt alone, that its excess is at least a round figure.

Every later epoch is derived from the example deterministically: the same market an hour later
and the chosen accounts' collateral replaced by a USDT balance placed in the band wanted (the
calculator places it, then confirms the state). Everything lands in one folder: ``keys/``
(the three circuits' keys), ``public/`` (markets, the three reports, the notices, the
liquidation, the attestation — what anyone may see) and ``private/`` (the accounts, the
account key and each report's receipts: never to be published).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from zkmargin.margin import example_paths, load_market, read_accounts
from zkmargin.margin.fixed import MONEY_SCALE, format_decimal

ACCOUNTS = 4
BATCH_SIZE = 2
SHAPE = {"slots": 4, "lookup": "merkle"}
"""The chosen accounts hold at most four positions; a Merkle path per slot is cheaper than
proving the whole table for so few accounts (about a third of the constraints)."""
GRACE = 7200
"""Seconds: epoch 2 (one hour after the notices) is inside the grace, epoch 3 is not."""
HOUR = 3600
RECOVERS, LIQUIDATED, ATTESTS = "acct-0001", "acct-0002", "acct-0000"
ATTESTED_EXCESS = 10_000  # quote units: acct-0000's excess is far above it
BAND = {"margin_call": 0.5, "liquidation": -0.5, "healthy": 3.0}
"""Where a balance is placed, as a fraction of the gap between the buffered maintenance and
initial thresholds above the maintenance one (negative: below it, in liquidation)."""
PLAN: dict[str, tuple[str, str, str]] = {
    RECOVERS: ("margin_call", "healthy", "healthy"),
    LIQUIDATED: ("margin_call", "liquidation", "liquidation"),
}
"""The states planned per epoch; the other accounts keep their example balances (healthy)."""


@dataclass
class Epoch:
    n: int
    market: Path
    accounts: Path
    report: Path
    private: Path


def run_epochs_demo(work: Path, timings: list[tuple[str, float, float]]) -> None:
    """The three-epoch flow in ``work`` (module docstring), printing a short summary."""
    from zkmargin.cli.wording import state_counts
    from zkmargin.solvency import ProveOptions, Snapshot, prove_snapshot, setup_keys
    from zkmargin.solvency.attestations import attest, verify_attestation
    from zkmargin.solvency.chain import verify_chain
    from zkmargin.solvency.layout import receipt_path
    from zkmargin.solvency.liquidations import liquidate, verify_liquidation
    from zkmargin.solvency.notices import issue_notice, verify_notice
    from zkmargin.solvency.publish_check import private_findings

    keys, public, private = work / "keys", work / "public", work / "private"
    for folder in (keys, public, private):
        folder.mkdir()
    private.chmod(0o700)

    def step(name: str, fn: Callable[[], Any]) -> Any:
        click.echo(f"  ... {name}", err=True)
        t, cpu = time.perf_counter(), time.process_time()
        out = fn()
        timings.append((name, time.perf_counter() - t, time.process_time() - cpu))
        return out

    epochs = _derive_epochs(public, private)
    first = load_market(epochs[0].market)
    for circuit, size in (("health", BATCH_SIZE), ("notice", 1), ("attestation", 1)):
        step(
            f"setup {circuit} (unsafe, dev)",
            lambda c=circuit, s=size: setup_keys(c, first, s, keys / c, params=SHAPE),
        )
    for e in epochs:
        previous = epochs[e.n - 2].report if e.n > 1 else None
        result = step(
            f"prove epoch {e.n}",
            lambda e=e, previous=previous: prove_snapshot(
                Snapshot(e.accounts, e.market, keys / "health", previous=previous),
                e.report,
                ProveOptions(
                    private=e.private,
                    account_key=private / "account.key",
                    claim_keys=[keys / "notice", keys / "attestation"],
                ),
            ),
        )
        click.echo(f"epoch {e.n} ({result.report.epoch}): {state_counts(result.report.totals)}")
    step("verify-chain (3 reports)", lambda: verify_chain([e.report for e in epochs]))
    click.echo("verify-chain: each report names the one before it, epochs increasing: OK")

    one, two, three = epochs
    notice_keys = keys / "notice"
    notices: dict[str, Path] = {}
    for account in PLAN:
        notices[account] = public / f"notice-{account}-epoch1.json"
        doc = step(
            f"call {account} (epoch 1)",
            lambda a=account: _write(
                notices[a], issue_notice(one.report, a, notice_keys, one.private)
            ),
        )
        receipt = receipt_path(one.private, account)
        verify_notice(notices[account], one.report, receipt)
        click.echo(
            f"  notice: {account} is in {doc['state']} (pseudonym {_short(doc['account'])}); "
            "verify-notice with its receipt: OK"
        )
    refused = _refusal(lambda: issue_notice(two.report, RECOVERS, notice_keys, two.private), work)
    click.echo(f"epoch 2: {RECOVERS} has deposited: call refused ({refused})")
    refused = _refusal(
        lambda: liquidate(
            two.report, LIQUIDATED, notices[LIQUIDATED], [one.report], notice_keys, two.private
        ),
        work,
    )
    click.echo(f"epoch 2: liquidating {LIQUIDATED} refused ({refused})")
    liquidation = public / f"liquidation-{LIQUIDATED}-epoch3.json"
    chain = [one.report, two.report]

    def liquidate_three() -> dict[str, Any]:
        doc = liquidate(three.report, LIQUIDATED, notices[LIQUIDATED], chain, notice_keys,
                        three.private)  # fmt: skip
        return _write(liquidation, doc)

    step(f"liquidate {LIQUIDATED} (epoch 3)", liquidate_three)
    checked = step(
        "verify-notice (liquidation, alone)",
        lambda: verify_liquidation(
            json.loads(liquidation.read_text(encoding="utf-8")), str(liquidation), three.report
        ),
    )
    click.echo(
        f"epoch 3: {LIQUIDATED} liquidated {GRACE // HOUR} h after its notice, the grace over: "
        f"verify-notice OK (same pseudonym {_short(checked.account)})"
    )
    attestation = public / f"attestation-{ATTESTS}-epoch3.json"
    floor = ATTESTED_EXCESS * MONEY_SCALE
    step(
        f"attest {ATTESTS} (epoch 3)",
        lambda: _write(
            attestation,
            attest(receipt_path(three.private, ATTESTS), three.report, keys / "attestation", floor),
        ),
    )
    att = verify_attestation(attestation, three.report)
    click.echo(
        f"epoch 3: {ATTESTS}, from its receipt alone, proves its pseudonym {_short(att.account)} "
        f"{att.words()}: verify-attestation OK"
    )
    findings = private_findings(public)
    if findings:
        raise RuntimeError(f"{findings[0].path}: {findings[0].what}")
    click.echo("public/: publish-check finds nothing private")


def _derive_epochs(public: Path, private: Path) -> list[Epoch]:
    """Write each epoch's market (the example declared ``cross``, an hour apart, with the
    grace) and accounts (the first :data:`ACCOUNTS`, balances placed per :data:`PLAN`)."""
    from zkmargin.margin import calculate

    market_path, accounts_path = example_paths()
    base = json.loads(market_path.read_text(encoding="utf-8"))
    with accounts_path.open(encoding="utf-8") as src:
        lines = [json.loads(line) for line in src if line.strip()][:ACCOUNTS]
    start = load_market(market_path).epoch.timestamp()
    out = []
    for n in (1, 2, 3):
        doc = json.loads(json.dumps(base))
        doc["model"]["name"] = "cross"
        doc["model"]["grace"] = str(GRACE)
        doc["epoch"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + (n - 1) * HOUR))
        market = public / f"market-{n}.json"
        market.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        loaded = load_market(market)
        result = calculate(loaded, read_accounts(accounts_path, loaded), "cross", "maintenance")
        rows = []
        for acct in lines:
            plan = PLAN.get(acct["id"])
            if plan is not None:
                k = result.ids.index(acct["id"])
                acct = {**acct, "collateral": {"USDT": _balance(result, k, plan[n - 1])}}
            rows.append(acct)
        accounts = private / f"accounts-{n}.jsonl"
        accounts.write_text("".join(json.dumps(a) + "\n" for a in rows), encoding="utf-8")
        _confirm(loaded, accounts, n)
        out.append(Epoch(n, market, accounts, public / f"report-{n}", private / f"report-{n}"))
    return out


def _balance(result: Any, k: int, state: str) -> str:
    """A USDT balance (price 1, no haircut) landing account ``k`` in ``state``."""
    from zkmargin.margin.arith import EXACT
    from zkmargin.models.health.calculator import threshold

    low, high = (
        int(threshold(EXACT, EXACT.array([int(result.maintenance[k])]), result.buffer)[0]),
        int(threshold(EXACT, EXACT.array([int(result.initial[k])]), result.buffer)[0]),
    )
    units = low + int(BAND[state] * (high - low))
    return format_decimal(units - units % 10**6, MONEY_SCALE)  # whole cents


def _confirm(market: Any, accounts: Path, n: int) -> None:
    """The calculator's states are the plan's (a derived epoch that misses it is a bug)."""
    from zkmargin.margin import calculate
    from zkmargin.models.health.calculator import HEALTH_NAMES

    result = calculate(market, read_accounts(accounts, market), "cross", "maintenance")
    for account_id, code in zip(result.ids, result.health, strict=True):
        want = PLAN[account_id][n - 1] if account_id in PLAN else "healthy"
        if HEALTH_NAMES[int(code)] != want:
            raise RuntimeError(f"epoch {n}: {account_id} is {HEALTH_NAMES[int(code)]}, not {want}")


def _write(path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    from zkmargin.formats.snarkjs_json import write_json

    write_json(path, doc, 0o644)
    return doc


def _refusal(fn: Callable[[], Any], work: Path) -> str:
    """The refusal ``fn`` must raise (the demo's story says so), paths relative to ``work``."""
    from zkmargin.solvency.account_proofs import Refused

    try:
        fn()
    except Refused as err:
        return str(err).replace(f"{work}/", "")
    raise RuntimeError("expected a refusal")


def _short(commitment: Any) -> str:
    return f"{str(commitment)[:10]}..."
