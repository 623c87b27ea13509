"""Fixtures for the solvency pipeline: a tiny market, keys made once, a report proven once.

The dev setup is the slow step (pure-Python fixed-base multiplications, minutes for a few
thousand constraints), so the keys are cached in pytest's cache folder under the circuit's
fingerprint: a changed circuit makes new keys, an unchanged one reuses them. A file lock keeps
pytest-xdist workers from running the setup twice.
"""

from __future__ import annotations

import fcntl
import json
import random
import shutil
from pathlib import Path

import pytest
from solvency.tiny import (
    ACCOUNTS,
    BATCH_SIZE,
    CIRCUIT,
    DATA,
    MARKET,
    SCENARIO_ACCOUNTS,
    SCENARIO_MARKET,
    SCENARIO_SHAPE,
)

from zkmargin.margin import load_market
from zkmargin.solvency import ProveOptions, Snapshot, prove_snapshot, setup_keys
from zkmargin.solvency.batch_model import batch_model, circuit_shape
from zkmargin.solvency.keys import r1cs_fingerprint


@pytest.fixture(scope="session")
def circuit_keys(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """``circuit_keys(name, market=..., **shape)``: keys for circuit ``name`` at the shape of
    the tiny market (or ``market``), batches of 2, ``shape`` parameters overriding (seeded
    setup, cached under the circuit's fingerprint)."""
    if getattr(request.config, "cache", None) is not None:
        cache = Path(request.config.cache.mkdir("zkmargin-solvency-keys"))
    else:  # -p no:cacheprovider: shared by the xdist workers of this run only
        cache = tmp_path_factory.getbasetemp().parent / "zkmargin-solvency-keys"
        cache.mkdir(exist_ok=True)

    def keys(circuit: str, market: Path = MARKET, **params: object) -> Path:
        shape = circuit_shape(circuit, load_market(market), BATCH_SIZE, params)
        model = batch_model(circuit, load_market(market), shape)
        target = cache / f"{circuit}-{BATCH_SIZE}-{r1cs_fingerprint(model.compiled)[:16]}"
        with (cache / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (target / "circuit.json").is_file():
                shutil.rmtree(target, ignore_errors=True)
                setup_keys(
                    circuit,
                    load_market(market),
                    BATCH_SIZE,
                    target,
                    random.Random(20261120),
                    params=params,
                )
        return target

    return keys


@pytest.fixture(scope="session")
def keys_dir(circuit_keys) -> Path:
    """Keys for the tiny market's cross circuit, batches of 2 (seeded setup, cached)."""
    return circuit_keys(CIRCUIT)


@pytest.fixture(scope="session")
def proven(keys_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of the five tiny accounts (3 batches, the last padded) and its witnesses.

    Returns the folder holding ``report/`` and ``report.private/`` (receipts, witnesses); tests
    that change files copy them.
    """
    base = tmp_path_factory.mktemp("proven")
    prove_snapshot(
        Snapshot(ACCOUNTS, MARKET, keys_dir),
        base / "report",
        ProveOptions(keep_witnesses=True, seed=7),
    )
    return base


@pytest.fixture(scope="session")
def fields_keys(circuit_keys) -> Path:
    """:func:`keys_dir`'s circuit with the statement's fields as its public inputs."""
    return circuit_keys(CIRCUIT, statement="fields")


@pytest.fixture(scope="session")
def fields_proven(fields_keys: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`proven`'s accounts (3 batches) under :func:`fields_keys`; the folder holding
    ``report/`` and ``report.private/``."""
    base = tmp_path_factory.mktemp("fields-proven")
    prove_snapshot(Snapshot(ACCOUNTS, MARKET, fields_keys), base / "report", ProveOptions(seed=7))
    return base


@pytest.fixture(scope="session")
def scenario_report(circuit_keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded report on the scenario market (its option row comes from the pricers) of two
    accounts, one short the option, under the keys of :data:`~solvency.tiny.SCENARIO_SHAPE`."""
    keys = circuit_keys("scenario", SCENARIO_MARKET, **SCENARIO_SHAPE)
    base = tmp_path_factory.mktemp("scenario")
    accounts = base / "accounts.jsonl"
    ana = SCENARIO_ACCOUNTS.read_text().splitlines()[0]  # perpetuals only
    dee = {"id": "dee", "positions": {"BTC-27DEC26-70000-C": "-1"}, "collateral": {"USDT": "9000"}}
    accounts.write_text(f"{ana}\n{json.dumps(dee)}\n")
    prove_snapshot(Snapshot(accounts, SCENARIO_MARKET, keys), base / "report", ProveOptions(seed=5))
    return base / "report"


@pytest.fixture
def report_copy(proven: Path, tmp_path: Path) -> Path:
    """A copy of the proven report folder (and its private folder), free to tamper with."""
    shutil.copytree(proven / "report.private", tmp_path / "report.private")
    return Path(shutil.copytree(proven / "report", tmp_path / "report"))


@pytest.fixture(scope="session")
def site_reports(circuit_keys, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three health reports of the tiny market for the site: ``a`` (five accounts) and ``b``
    (three, a day later) make a chain; ``c`` has ``a``'s epoch and accounts but other salts, so
    its receipts belong to another report. Each name maps to the folder holding ``report/`` and
    ``report.private/``."""
    import json

    from solvency.tiny import DATA

    keys = circuit_keys("health")
    base = tmp_path_factory.mktemp("site-reports")
    accounts = DATA / "health_accounts.jsonl"
    later = json.loads(MARKET.read_text())
    later["epoch"] = "2026-11-21T08:00:00Z"
    (base / "market-later.json").write_text(json.dumps(later))
    (base / "three.jsonl").write_text("".join(accounts.read_text().splitlines(True)[:3]))
    runs = {
        "a": (accounts, MARKET, 7),
        "b": (base / "three.jsonl", base / "market-later.json", 8),
        "c": (accounts, MARKET, 9),
    }
    out = {}
    for name, (accts, market, seed) in runs.items():
        out[name] = base / name
        out[name].mkdir()
        prove_snapshot(Snapshot(accts, market, keys), out[name] / "report", ProveOptions(seed=seed))
    return out


def _run(*args: object):
    from click.testing import CliRunner

    from zkmargin.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def health_reports(circuit_keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``report`` and ``other`` (the tiny health accounts, two seeds) proven with ``health``,
    publishing the keys of ``notice-keys`` and ``attestation-keys`` (copied beside them), and
    ``mia.json``, a notice for mia (in margin call; alice is healthy, ned in liquidation)."""
    base = tmp_path_factory.mktemp("notices")
    published = [
        "--claim-keys",
        circuit_keys("notice"),
        "--claim-keys",
        circuit_keys("attestation"),
    ]
    for name, seed in (("report", 1), ("other", 2)):
        res = _run("prove", DATA / "health_accounts.jsonl", "--market", MARKET,
                   "--keys", circuit_keys("health"), "--out", base / name, "--seed", seed,
                   "--quiet", *published)  # fmt: skip
        assert res.exit_code == 0, res.output
    shutil.copytree(circuit_keys("notice"), base / "notice-keys")
    shutil.copytree(circuit_keys("attestation"), base / "attestation-keys")
    res = _run("call", base / "report", "mia", "--keys", base / "notice-keys",
               "--out", base / "mia.json")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "is in margin_call" in res.output
    return base
