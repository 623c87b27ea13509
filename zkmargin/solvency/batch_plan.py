"""How a snapshot is cut into batches: the scan that margins every account first (and finds
the ones the circuit cannot prove), the padded count, and the batches still to prove, read
lazily from the accounts file in its order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from zkmargin.batch import check_account_fits
from zkmargin.errors import InputError
from zkmargin.margin import Account, read_accounts
from zkmargin.solvency.batch_jobs import (
    PADDING_ID,
    BatchTask,
    ModelSpec,
)
from zkmargin.solvency.batch_model import BatchModel
from zkmargin.solvency.report_parts import Excluded
from zkmargin.solvency.seeding import Randomness

SCAN_CHUNK = 1024
"""Accounts margined at once in the scan (the calculator is vectorised over a chunk)."""


def shortfalls(model: BatchModel, accounts: Sequence[Account]) -> list[Excluded]:
    """Accounts the circuit cannot prove, each with its shortfall (money, 10^-8), as the
    circuit's class states them (:meth:`~zkmargin.batch.BatchCircuit.shortfalls`).

    A margin circuit proves ``collateral·10^6 >= (10^6 + buffer)·requirement``; the shortfall is
    ``ceil((10^6 + buffer)·requirement / 10^6) − collateral`` (the calculator's ``−excess``).
    ``isolated`` sums the shortfalls of its parts (an account can be short on one isolated
    position while its totals cover); the health circuits prove states, never cover: nobody.
    """
    if not accounts:
        return []
    short = model.cls.shortfalls(model.market, accounts)
    return [Excluded(a.id, s) for a, s in zip(accounts, short, strict=True) if s > 0]


def padded_count(real: int, batch_size: int, hide_count: bool, pad_to: int | None) -> int:
    """How many accounts the report states: ``real``, or padded with zero accounts.

    ``hide_count`` pads to a power-of-two number of full batches; ``pad_to`` to that many
    accounts (at least ``real``).

    >>> padded_count(5, 2, False, None), padded_count(5, 2, True, None), padded_count(5, 2, False, 9)
    (5, 8, 9)
    """
    if hide_count and pad_to is not None:
        raise InputError("--pad-to", "", "use --hide-count or --pad-to, not both")
    if pad_to is not None:
        if pad_to < real:
            raise InputError("--pad-to", "", f"{pad_to} is less than the {real} accounts to prove")
        return pad_to
    if hide_count:
        batches = -(-real // batch_size)
        return (1 << (batches - 1).bit_length()) * batch_size
    return real


def scan_accounts(
    model: BatchModel, accounts_path: str | Path, market
) -> tuple[int, list[Excluded]]:
    """Pass 1: how many accounts are provable, and the shortfalls of the others; an account
    with more positions than the shape's slots stops everything (one line, nothing written)."""
    real, short = 0, []
    for chunk in _chunks(read_accounts(accounts_path, market), SCAN_CHUNK):
        for account in chunk:
            check_account_fits(account, model.shape, str(accounts_path))
        found = shortfalls(model, chunk)
        short.extend(found)
        real += len(chunk) - len(found)
    if real == 0 and not short:
        raise InputError(str(accounts_path), "", "no accounts to prove")
    return real, short


def _chunks(items: Iterable[Account], size: int) -> Iterator[list[Account]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def batch_tasks(
    spec: ModelSpec,
    model: BatchModel,
    accounts_path: str | Path,
    market,
    excluded: set[str],
    counts: tuple[int, int],
    randomness: Randomness,
    done: set[int],
    previous: int,
) -> Iterator[BatchTask]:
    """Pass 2: the batches still to prove, lazily (the executor pulls them as it has room).

    ``counts`` = (real accounts, accounts proven); the real ones are spread over the batches
    (:func:`real_per_batch`) and each batch is topped up with zero accounts.
    """
    real, total = counts
    included = (a for a in read_accounts(accounts_path, market) if a.id not in excluded)
    epoch = market.epoch_seconds
    size = spec.batch_size
    for n, k in enumerate(real_per_batch(real, total, size)):
        chunk = list(itertools.islice(included, k))  # read even when skipped: the file's order
        if n in done:
            continue
        width = min(size, total - n * size)
        chunk += [Account(PADDING_ID, {}, {})] * (width - k)
        first = n * size
        salts = tuple(randomness.salt(first + i) for i in range(width))
        secrets = tuple(randomness.secret(a.id) for a in chunk)
        blinding = randomness.blinding_seed(n)
        yield BatchTask(spec, n, first, epoch, tuple(chunk), salts, blinding, secrets, previous)


def real_per_batch(real: int, total: int, size: int) -> list[int]:
    """How many of the ``real`` accounts go into each batch when ``total`` are proven.

    Spread in proportion to the batches' widths, so that with ``real >= batches`` every batch
    holds a real account and no batch's public totals are those of padding alone (which would
    give the count away to within a batch).

    >>> real_per_batch(5, 5, 2), real_per_batch(5, 8, 2), real_per_batch(3, 8, 2)
    ([2, 2, 1], [1, 1, 1, 2], [0, 1, 1, 1])
    """
    bounds = [min(total, n * size) for n in range(-(-total // size) + 1)]
    return [real * hi // total - real * lo // total for lo, hi in itertools.pairwise(bounds)]
