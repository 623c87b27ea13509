"""``zkmargin calc ACCOUNTS --market MARKET``: the reference calculator as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import click

from zkmargin.cli.errors import user_errors
from zkmargin.cli.root import main
from zkmargin.cli.wording import plural
from zkmargin.errors import InputError
from zkmargin.margin import calculate_chunks, load_market, read_accounts
from zkmargin.margin.domain import LEVELS, Market
from zkmargin.margin.fixed import RATE_SCALE, format_decimal
from zkmargin.margin.result import Result, add_totals, totals_json
from zkmargin.models.registry import market_models

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


def grouped(text: str) -> str:
    """The exact decimal, only easier to read: thousands grouped, the sign kept.

    >>> grouped("1234567.5"), grouped("-1234.25"), grouped("-0.5"), grouped("12")
    ('1,234,567.5', '-1,234.25', '-0.5', '12')
    """
    sign = "-" if text.startswith("-") else ""
    whole, dot, frac = text.removeprefix("-").partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def run_calc(
    market: Market,
    chunks: Iterator[Result],
    as_json: bool,
    echo=click.echo,
    summary: bool = False,
) -> dict[str, Any]:
    """Print the per-account figures as they are computed (unless ``summary``), then the totals;
    returns the totals.

    Streams: one chunk of accounts is in memory at a time, for the table and for JSON alike.
    """
    totals: dict[str, Any] = {}
    first = True
    model = level = ""
    for chunk in chunks:
        if first:
            model, level = chunk.model, chunk.level
            if as_json:
                head = f'{{"model": {json.dumps(model)}, "level": {json.dumps(level)}'
                echo(head + (", " if summary else ', "accounts": ['), nl=summary is False)
            elif not summary:
                echo(_line(tuple(name for name, _, _ in COLUMNS)))
        for row in () if summary else chunk.rows():
            if as_json:
                echo(("" if first else ",\n") + "  " + json.dumps(row), nl=False)
            else:
                echo(
                    _line(
                        (
                            row["id"],
                            *(
                                grouped(row[k])
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
        echo(("" if summary else "\n], ") + f'"totals": {json.dumps(shown)}}}')
        return totals
    if not summary:
        echo(
            _line(
                (
                    "TOTAL",
                    *(grouped(shown[k]) for k in ("requirement", "collateral_value", "excess")),
                    "",
                )
            )
        )
    else:
        echo(
            f"requirement {grouped(shown['requirement'])}, collateral value "
            f"{grouped(shown['collateral_value'])}, excess {grouped(shown['excess'])}"
        )
    echo(
        f"{plural(totals['accounts'], 'account')} ({model} model, {level} level, "
        f"buffer {format_decimal(market.model.buffer, RATE_SCALE)}): "
        f"{totals['healthy']:,} healthy, {totals['margin_call']:,} in margin call, "
        f"{totals['liquidation']:,} in liquidation; shortfall {grouped(shown['shortfall'])}"
    )
    return totals


@main.command("calc")
@click.argument("accounts")
@click.option(
    "--market", "market_path", required=True, metavar="MARKET", help="Market snapshot (JSON)."
)
@click.option(
    "--model", type=click.Choice(market_models()), help="Margin model (default: the market's)."
)
@click.option("--level", type=click.Choice(LEVELS), help="Margin level (default: the market's).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with decimal strings.")
@click.option("--summary", is_flag=True, help="Print only the totals and counts.")
@user_errors
def calc_command(
    accounts: str,
    market_path: str,
    model: str | None,
    level: str | None,
    as_json: bool,
    summary: bool,
) -> None:
    """Margin every account in ACCOUNTS (.jsonl or .csv) against --market.

    Per account: the requirement at the chosen level, the collateral value after haircuts, the
    excess over the buffered requirement, and the health (healthy / margin_call / liquidation);
    then the totals. Figures are exact decimals in the quote currency (see docs/formats.md).
    """
    market = load_market(market_path)
    # A first streaming pass validates every account, so a bad line prints only the error,
    # never half a table; the second pass computes and prints chunk by chunk.
    if sum(1 for _ in read_accounts(accounts, market)) == 0:
        raise InputError(accounts, "", "no accounts")
    chunks = calculate_chunks(
        market, read_accounts(accounts, market), model, level, intermediates=False
    )
    run_calc(market, chunks, as_json, summary=summary)
