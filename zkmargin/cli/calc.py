"""``zkmargin calc ACCOUNTS --market MARKET``: the reference calculator as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

from zkmargin.cli import main
from zkmargin.cli.errors import user_errors
from zkmargin.errors import InputError
from zkmargin.margin import calculate_chunks, load_market, read_accounts
from zkmargin.margin.calculator import Result, add_totals, totals_json
from zkmargin.margin.domain import LEVELS, MODELS, Market
from zkmargin.margin.fixed import RATE_SCALE, format_decimal

COLUMNS = (
    ("id", "<", 14),
    ("requirement", ">", 22),
    ("collateral value", ">", 22),
    ("excess", ">", 22),
    ("health", "<", 11),
)


def _line(cells: tuple[str, ...]) -> str:
    padded = (f"{c:{align}{width}}" for c, (_, align, width) in zip(cells, COLUMNS, strict=True))
    return "  ".join(padded).rstrip()


def _grouped(text: str) -> str:
    # 1234567.5 -> 1,234,567.5 (the exact decimal, only easier to read).
    sign, _, digits = text.rpartition("-")
    whole, dot, frac = digits.partition(".")
    return f"{sign and '-'}{int(whole):,}{dot}{frac}"


def _check_choice(value: str | None, choices: tuple[str, ...], option: str) -> None:
    if value is not None and value not in choices:
        raise InputError(option, "", f"must be one of {', '.join(choices)}, got {value!r}")


def run_calc(
    market: Market, chunks: Iterator[Result], as_json: bool, echo=click.echo
) -> dict[str, Any]:
    """Print the per-account figures as they are computed, then the totals; returns totals.

    Streams: one chunk of accounts is in memory at a time, for the table and for JSON alike.
    """
    totals: dict[str, Any] = {}
    first = True
    model = level = ""
    for chunk in chunks:
        if first:
            model, level = chunk.model, chunk.level
            if as_json:
                echo(f'{{"model": {json.dumps(model)}, "level": {json.dumps(level)}, "accounts": [')
            else:
                echo(_line(tuple(name for name, _, _ in COLUMNS)))
        for row in chunk.rows():
            if as_json:
                echo(("" if first else ",\n") + "  " + json.dumps(row), nl=False)
            else:
                echo(
                    _line(
                        (
                            row["id"],
                            *(
                                _grouped(row[k])
                                for k in ("requirement", "collateral_value", "excess")
                            ),
                            row["health"],
                        )
                    )
                )
            first = False
        totals = add_totals(totals, chunk.totals)
    if not totals:
        raise InputError("accounts", "", "no accounts")
    shown = totals_json(totals)
    if as_json:
        echo(f'\n], "totals": {json.dumps(shown)}}}')
        return totals
    echo(
        _line(
            (
                "TOTAL",
                *(_grouped(shown[k]) for k in ("requirement", "collateral_value", "excess")),
                "",
            )
        )
    )
    echo(
        f"{totals['accounts']} accounts ({model} model, {level} level, "
        f"buffer {format_decimal(market.model.buffer, RATE_SCALE)}): "
        f"{totals['healthy']} healthy, {totals['margin_call']} margin call, "
        f"{totals['liquidation']} liquidation; shortfall {_grouped(shown['shortfall'])}"
    )
    return totals


@main.command("calc")
@click.argument("accounts")
@click.option("--market", "market_path", metavar="MARKET", help="Market snapshot (JSON).")
@click.option("--model", metavar="|".join(MODELS), help="Margin model (default: the market's).")
@click.option("--level", metavar="|".join(LEVELS), help="Margin level (default: the market's).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with decimal strings.")
@user_errors
def calc_command(
    accounts: str, market_path: str | None, model: str | None, level: str | None, as_json: bool
) -> None:
    """Margin every account in ACCOUNTS (.jsonl or .csv) against --market.

    Per account: the requirement at the chosen level, the collateral value after haircuts, the
    excess over the buffered requirement, and the health (healthy / margin_call / liquidation);
    then the totals. Figures are exact decimals in the quote currency (see docs/formats.md).
    """
    if market_path is None:
        raise InputError("--market", "", "required: the market snapshot file")
    _check_choice(model, MODELS, "--model")
    _check_choice(level, LEVELS, "--level")
    market = load_market(market_path)
    # A first streaming pass validates every account, so a bad line prints only the error,
    # never half a table; the second pass computes and prints chunk by chunk.
    if sum(1 for _ in read_accounts(accounts, market)) == 0:
        raise InputError(accounts, "", "no accounts")
    chunks = calculate_chunks(
        market, read_accounts(accounts, market), model, level, intermediates=False
    )
    run_calc(market, chunks, as_json)
