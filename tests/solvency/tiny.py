"""The tiny market and accounts the solvency tests prove (2 assets, 1 perpetual; the pipeline's
tests prove them with the collateral circuit, which reads any market)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
MARKET = DATA / "market.json"
ACCOUNTS = DATA / "accounts.jsonl"
CIRCUIT = "collateral"
BATCH_SIZE = 2
