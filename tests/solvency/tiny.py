"""The tiny market and accounts the solvency tests prove (2 assets, 1 perpetual, cross margin)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
MARKET = DATA / "market.json"
ACCOUNTS = DATA / "accounts.jsonl"
CIRCUIT = "cross"
BATCH_SIZE = 2
