"""Streaming account readers: JSON Lines and CSV, one :class:`Account` at a time.

Only account ids are remembered (to reject duplicates); positions and balances of an account
are dropped as soon as the consumer moves on, so a million accounts never sit in memory.

CSV layout (header required): ``account,kind,name,amount`` with ``kind`` ``position``,
``collateral`` or ``isolated`` (an isolated position's margin balance); the rows of one account
are consecutive.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.csv").write_text("account,kind,name,amount\\nu1,position,BTC-PERP,1.5\\n"
...                              "u1,collateral,USDT,100\\n")
>>> [a.positions["BTC-PERP"] for a in read_accounts(d / "a.csv")]
[150000000]
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from zkmargin.errors import InputError
from zkmargin.json_input import parse_json
from zkmargin.limits import MAX_ACCOUNT_LINE as MAX_LINE
from zkmargin.margin.domain import Account, Market
from zkmargin.margin.fixed import QTY_BOUND, QTY_SCALE, UNSIGNED_BOUND, parse_decimal
from zkmargin.margin.schema import (
    ACCOUNT_ID,
    NAME,
    SIGNED_DECIMAL,
    invalid_name,
    validate_or_raise,
)

CSV_HEADER = ("account", "kind", "name", "amount")
CSV_KINDS = {"position": "positions", "collateral": "collateral", "isolated": "isolated"}


_SECTIONS = ("positions", "collateral", "isolated")


def _conforms(doc: Any) -> bool:
    """The account schema, hand-compiled for speed (a generic JSON Schema validator per record
    would cost more than the rest of the parse; `bench/scale.py` times reading the accounts).

    Never accepts what the schema rejects (a property test checks both on generated records);
    it is stricter only on a name ending in a line break, which ``$`` lets through the schema.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        return False
    if not ACCOUNT_ID.fullmatch(doc["id"]) or not doc.keys() <= {"id", *_SECTIONS}:
        return False
    for section in _SECTIONS:
        amounts = doc.get(section, {})
        if not isinstance(amounts, dict):
            return False
        for name, value in amounts.items():
            if not NAME.fullmatch(name) or not isinstance(value, str):
                return False
            if not SIGNED_DECIMAL.fullmatch(value):
                return False
    return True


def _bad_name(doc: dict[str, Any]) -> tuple[str, str]:
    if not ACCOUNT_ID.fullmatch(doc["id"]):
        return "id", invalid_name(doc["id"])
    name = next(n for s in _SECTIONS for n in doc.get(s, {}) if not NAME.fullmatch(n))
    return "name", invalid_name(name)


def parse_account(
    doc: Any, file: str = "<accounts>", line: int | None = None, market: Market | None = None
) -> Account:
    """Validate one account record (schema, decimals, bounds, known names) into an Account."""
    if not _conforms(doc):
        # The schema names the first problem; if it finds none, a name ended in a line break.
        validate_or_raise(doc, "account", file, line=line)
        raise InputError(file, *_bad_name(doc), line=line)
    positions = _amounts(doc.get("positions", {}), "positions", file, line, market, signed=True)
    collateral = _amounts(doc.get("collateral", {}), "collateral", file, line, market)
    isolated = _amounts(doc.get("isolated", {}), "isolated", file, line, market)
    return _check_isolated(Account(doc["id"], positions, collateral, line, isolated), file)


def _check_isolated(account: Account, file: str) -> Account:
    """An isolated margin balance needs a position to margin (a typo must not park funds)."""
    for name in account.isolated:
        if not account.positions.get(name):
            raise InputError(
                file,
                f"isolated.{name}",
                "isolated margin for an instrument the account holds no position in",
                line=account.line,
            )
    return account


def _amounts(
    raw: Mapping[str, str],
    section: str,
    file: str,
    line: int | None,
    market: Market | None,
    *,
    signed: bool = False,
) -> dict[str, int]:
    known = None
    if market is not None:
        known = market.assets if section == "collateral" else market.instruments
    out = {}
    for name, text in raw.items():
        field = f"{section}.{name}"
        if not NAME.fullmatch(name):
            raise InputError(file, section, invalid_name(name), line=line)
        if known is not None and name not in known:
            what = "collateral asset" if section == "collateral" else "instrument"
            raise InputError(file, field, f"unknown {what} {name!r}", line=line)
        try:
            out[name] = parse_decimal(
                text, QTY_SCALE, signed=signed, bound=QTY_BOUND if signed else UNSIGNED_BOUND
            )
        except ValueError as err:
            problem = str(err)
            if problem.startswith("negative") and section == "collateral":
                problem += " (balances cannot be negative; liabilities are not supported yet)"
            raise InputError(file, field, problem, line=line) from None
    return out


def _unique(accounts: Iterable[Account], file: str) -> Iterator[Account]:
    seen: set[str] = set()
    for acc in accounts:
        if acc.id in seen:
            raise InputError(file, "id", f"duplicate account id {acc.id!r}", line=acc.line)
        seen.add(acc.id)
        yield acc


def _jsonl(path: Path, file: str, market: Market | None) -> Iterator[Account]:
    with path.open("rb") as fh:
        for number, text in enumerate(iter(lambda: fh.readline(MAX_LINE + 1), b""), start=1):
            if len(text) > MAX_LINE:
                raise InputError(file, "", f"line longer than {MAX_LINE:,} bytes", line=number)
            if not text.strip():
                continue
            yield parse_account(parse_json(text, file, number), file, number, market)


def _csv(path: Path, file: str, market: Market | None) -> Iterator[Account]:
    """The CSV reader, with the csv module's and the decoder's errors as one line each."""
    rows = _csv_rows(path, file, market)
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as err:
            raise InputError(file, "", f"not UTF-8 (byte {err.start} of a block)") from None
        except csv.Error as err:
            raise InputError(file, "", f"invalid CSV: {err}") from None


def _csv_rows(path: Path, file: str, market: Market | None) -> Iterator[Account]:
    with path.open("r", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != CSV_HEADER:
            raise InputError(file, "header", f"expected {','.join(CSV_HEADER)}", line=1)
        current: Account | None = None
        for row in reader:
            number = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(CSV_HEADER):
                problem = f"expected {len(CSV_HEADER)} columns, got {len(row)}"
                raise InputError(file, "row", problem, line=number)
            acc_id, kind, name, amount = (c.strip() for c in row)
            if kind not in CSV_KINDS:
                raise InputError(file, "kind", f"must be position or collateral: {kind!r}", number)
            if current is None or current.id != acc_id:
                if current is not None:
                    yield _check_isolated(current, file)
                if not ACCOUNT_ID.fullmatch(acc_id):
                    raise InputError(file, "id", invalid_name(acc_id), line=number)
                current = Account(acc_id, {}, {}, number, {})
            section = CSV_KINDS[kind]
            held = getattr(current, section)
            if name in held:
                raise InputError(file, f"{section}.{name}", "listed twice", line=number)
            signed = section == "positions"
            held.update(_amounts({name: amount}, section, file, number, market, signed=signed))
        if current is not None:
            yield _check_isolated(current, file)


def read_accounts(path: str | Path, market: Market | None = None) -> Iterator[Account]:
    """Stream the accounts of a ``.jsonl`` or ``.csv`` file (chosen by suffix).

    With ``market``, names are checked against its instruments and assets. Errors name the file,
    the line (for CSV: the account's first row), the field and the problem.

    >>> from zkmargin.margin.example import example_paths
    >>> from zkmargin.margin.market import load_market
    >>> market_path, accounts_path = example_paths()
    >>> accounts = list(read_accounts(accounts_path, load_market(market_path)))
    >>> len(accounts), accounts[0].id
    (300, 'acct-0000')
    """
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise InputError(file, "", "accounts file must end in .jsonl or .csv")
    if not path.is_file():
        raise InputError(file, "", "no such file")
    reader = _jsonl if suffix == ".jsonl" else _csv
    return _unique(reader(path, file, market), file)
