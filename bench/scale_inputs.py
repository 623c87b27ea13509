"""The inputs ``scale.py`` proves: the market, seeded account snapshots of any size, and the
keys (one dev setup per batch size, kept in the work folder)."""

from __future__ import annotations

import json
import random
import shutil
import time
from decimal import Decimal
from pathlib import Path

CIRCUIT = "collateral"
SEED = 20261123
MARKET = {
    "epoch": "2026-11-23T00:00:00Z",
    "assets": {
        "USDT": {"price": "1", "haircut": [["0", "1"]]},
        "BTC": {"price": "65000", "haircut": [["0", "0.95"], ["1000000", "0.9"]]},
    },
    "underlyings": {
        "BTC": {
            "price": "65000",
            "vol": "0.55",
            "price_scan_range": "0.16",
            "vol_scan_range": "0.1",
        }
    },
    "instruments": {
        "BTC-PERP": {
            "kind": "perpetual",
            "underlying": "BTC",
            "brackets": [["0", "0.004", "0.008"], ["50000", "0.005", "0.01"]],
        }
    },
    "model": {"name": "collateral", "level": "maintenance", "buffer": "0.05"},
}
BATCH_SIZE = 21  # 32,756 constraints: the largest batch whose proof fits a 2^15 domain


def write_market(work: Path) -> Path:
    path = work / "market.json"
    path.write_text(json.dumps(MARKET, indent=2) + "\n")
    return path


def write_accounts(path: Path, n: int, seed: int = SEED) -> Path:
    """``n`` accounts (streamed to the file, same bytes for the same ``n`` and seed): a USDT
    and/or BTC balance (some above the second haircut tier) and sometimes a perpetual."""
    if path.is_file():
        return path
    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as out:
        for i in range(n):
            collateral = {}
            if rng.random() < 0.8:
                collateral["USDT"] = str(Decimal(rng.randrange(1, 10**12)).scaleb(-4))
            if rng.random() < 0.6 or not collateral:
                collateral["BTC"] = str(Decimal(rng.randrange(1, 4 * 10**9)).scaleb(-8))
            positions = {}
            if rng.random() < 0.3:
                positions["BTC-PERP"] = str(Decimal(rng.randrange(-(10**6), 10**6)).scaleb(-4))
            doc = {"id": f"acct-{i:07d}", "positions": positions, "collateral": collateral}
            out.write(json.dumps(doc) + "\n")
    tmp.replace(path)
    return path


def ensure_keys(work: Path, market: Path, batch_size: int) -> tuple[Path, float]:
    """The keys folder for the model at ``batch_size`` (dev setup once; seconds it took, 0 if
    cached)."""
    from zkmargin.margin import load_market
    from zkmargin.solvency import setup_keys

    keys = work / f"keys-{CIRCUIT}-{batch_size}"
    if (keys / "circuit.json").is_file():
        return keys, 0.0
    shutil.rmtree(keys, ignore_errors=True)
    start = time.perf_counter()
    setup_keys(CIRCUIT, load_market(market), batch_size, keys, random.Random(SEED))
    return keys, time.perf_counter() - start


def constraints(market: Path, batch_size: int) -> tuple[int, int]:
    """(constraints per batch proof, constraints each further account adds)."""
    from zkmargin.margin import load_market
    from zkmargin.solvency.batch_model import batch_model

    m = load_market(market)
    one, two = (batch_model(CIRCUIT, m, b).compiled.r1cs.n_constraints for b in (1, 2))
    return batch_model(CIRCUIT, m, batch_size).compiled.r1cs.n_constraints, two - one
