"""The tiny market and accounts the solvency tests prove (2 assets, 1 perpetual, cross margin)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
MARKET = DATA / "market.json"
ACCOUNTS = DATA / "accounts.jsonl"
CIRCUIT = "cross"
BATCH_SIZE = 2

# The scenario circuit's market (3 instruments, an option priced by the pricers) and accounts,
# proven under keys of a shape with room to spare (capacity 8, 2 slots, a Merkle path per slot).
SCENARIO_MARKET = DATA / "scenario_market.json"
SCENARIO_ACCOUNTS = DATA / "scenario_accounts.jsonl"
SCENARIO_SHAPE = {"slots": 2, "instruments": 8, "lookup": "merkle"}
