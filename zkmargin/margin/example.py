"""Where the embedded example snapshot lives (shipped inside the package, usable anywhere).

The files are written by ``examples/make_example.py`` (fixed seed) into ``zkmargin/data/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLE_MARKET = "example_market.json"
EXAMPLE_ACCOUNTS = "example_accounts.jsonl"


def example_paths() -> tuple[Path, Path]:
    """Paths of the embedded example's market snapshot and accounts (JSON Lines).

    >>> market_path, accounts_path = example_paths()
    >>> market_path.name, accounts_path.name
    ('example_market.json', 'example_accounts.jsonl')
    """
    base = resources.files("zkmargin").joinpath("data")
    return Path(str(base.joinpath(EXAMPLE_MARKET))), Path(str(base.joinpath(EXAMPLE_ACCOUNTS)))
