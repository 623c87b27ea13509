"""Justified liquidations over a chain of health reports of the tiny market (grace one hour),
two accounts in one batch each: 08:00 (mia in margin call, ned in liquidation), 08:30 (the
same), 09:00 (mia has deposited and is healthy; ned still in liquidation). Each refusal beside
its control.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from solvency.tiny import DATA, MARKET

from zkmargin.cli import main
from zkmargin.solvency import layout

TIMES = ("08:00", "08:30", "09:00")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="session")
def liquidations(circuit_keys, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reports ``r0800``, ``r0830``, ``r0900`` chained (one account key) and the 08:00 notices
    ``mia.json`` and ``ned.json``."""
    base = tmp_path_factory.mktemp("liquidations")
    lines = (DATA / "health_accounts.jsonl").read_text().splitlines()[1:3]  # mia, ned: a batch
    previous: list[object] = []
    for n, time in enumerate(TIMES):
        market = json.loads(MARKET.read_text())
        market["epoch"] = f"2026-11-20T{time}:00Z"
        market["model"]["grace"] = "3600"
        (base / f"market{n}.json").write_text(json.dumps(market))
        accounts = list(lines)
        if time == "09:00":
            accounts[0] = accounts[0].replace('"1000"', '"5000"')  # mia deposits
        (base / f"accounts{n}.jsonl").write_text("\n".join(accounts) + "\n")
        out = base / f"r{time.replace(':', '')}"
        res = run("prove", base / f"accounts{n}.jsonl", "--market", base / f"market{n}.json",
                  "--keys", circuit_keys("health"), "--out", out, "--seed", n,
                  "--account-key", base / "account.key", "--quiet", *previous,
                  "--claim-keys", circuit_keys("notice"))  # fmt: skip
        assert res.exit_code == 0, res.output
        previous = ["--previous", out]
    for name in ("mia", "ned"):
        res = run("call", base / "r0800", name, "--keys", circuit_keys("notice"),
                  "--out", base / f"{name}.json")  # fmt: skip
        assert res.exit_code == 0, res.output
    return base


def _liquidate(base: Path, keys: Path, report: str, name: str, out: Path, *chain: str):
    links = [x for c in chain for x in ("--chain", base / c)]
    return run("liquidate", base / report, name, "--notice", base / f"{name}.json",
               *links, "--keys", keys, "--out", out)  # fmt: skip


@pytest.fixture(scope="session")
def justified(liquidations: Path, circuit_keys) -> Path:
    """``ned-0900.json``: ned liquidated at 09:00, exactly the grace after its 08:00 notice."""
    out = liquidations / "ned-0900.json"
    res = _liquidate(liquidations, circuit_keys("notice"), "r0900", "ned", out, "r0800", "r0830")
    assert res.exit_code == 0, res.output
    return out


def test_a_liquidation_after_the_grace_verifies_alone(liquidations: Path, justified: Path) -> None:
    res = run("verify-notice", justified, "--report", liquidations / "r0900")
    assert res.exit_code == 0, res.output
    notice = json.loads((liquidations / "ned.json").read_text())
    assert res.output.startswith(
        f"OK: account {notice['account']} is in liquidation at 2026-11-20T09"
    )


def test_liquidation_before_the_grace_or_after_recovery_is_refused(
    liquidations: Path, circuit_keys, tmp_path: Path
) -> None:
    keys = circuit_keys("notice")
    out = tmp_path / "x.json"
    res = _liquidate(liquidations, keys, "r0830", "ned", out, "r0800")  # 30 minutes after
    assert res.exit_code == 1 and res.output.startswith("refused: ned: the grace period (3600 s)")
    res = _liquidate(liquidations, keys, "r0900", "mia", out, "r0800", "r0830")  # mia recovered
    assert res.exit_code == 1 and res.output.startswith("refused: mia is healthy in ")
    assert not out.exists()


def test_liquidate_refuses_a_chain_with_a_report_missing(
    liquidations: Path, circuit_keys, tmp_path: Path
) -> None:
    res = _liquidate(liquidations, circuit_keys("notice"), "r0900", "ned", tmp_path / "x.json",
                     "r0800")  # fmt: skip
    assert res.exit_code == 2 and "does not follow" in res.output and "not a chain" in res.output


def _edited(justified: Path, tmp_path: Path, change) -> Path:
    doc = json.loads(justified.read_text())
    change(doc)
    path = tmp_path / justified.name
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("case", "report", "problem"),
    [
        ("none", "r0830", "liquidation: statement.root is not the report's"),  # another report
        ("drop_link", "r0900", "links[0] is not followed by the next report: not a chain"),
        ("swap_links", "r0900", "links[0] is not followed by the next report: not a chain"),
        ("other_notice", "r0900", "the notice and the liquidation name different accounts"),
        ("later_state", "r0900", "the later notice does not state liquidation"),
    ],
)
def test_an_edited_liquidation_is_refused(
    liquidations: Path, justified: Path, tmp_path: Path, case: str, report: str, problem: str
) -> None:
    mia = json.loads((liquidations / "mia.json").read_text())
    changes = {
        "none": lambda d: None,
        "drop_link": lambda d: d["links"].pop(1),
        "swap_links": lambda d: d["links"].reverse(),
        "other_notice": lambda d: d.update(notice=mia),
        "later_state": lambda d: d["liquidation"].update(state="margin_call"),
    }
    res = run("verify-notice", _edited(justified, tmp_path, changes[case]),
              "--report", liquidations / report)  # fmt: skip
    assert res.exit_code == 1, res.output
    assert res.output == f"invalid: {justified.name}: {problem}\n"


def test_the_grace_is_bound_by_the_proofs(liquidations: Path, justified: Path, tmp_path: Path):
    """Re-publishing REPORT with a longer grace (so that the liquidation looks premature) or a
    shorter one fails: the grace is in the market vector every batch proof hashes."""
    report = tmp_path / "r0900"
    shutil.copytree(liquidations / "r0900", report)
    res = run("verify-notice", justified, "--report", report)  # control
    assert res.exit_code == 0, res.output
    market = json.loads((report / layout.MARKET).read_text())
    market["model"]["grace"] = "7200"
    (report / layout.MARKET).write_text(json.dumps(market))
    expected = "invalid: market.json: model.grace is not the grace market_table.json proves\n"
    for command in (["verify", report], ["verify-notice", justified, "--report", report]):
        res = run(*command)
        assert res.exit_code == 1 and res.output == expected, res.output
    # the published integers edited too: the market hash no longer matches the proofs'
    table = json.loads((report / layout.MARKET_TABLE).read_text())
    assert table["vector"][2] == "3600"  # [buffer, initial_factor, grace, ...]
    table["vector"][2] = "7200"
    (report / layout.MARKET_TABLE).write_text(json.dumps(table))
    res = run("verify", report)
    assert res.exit_code == 1
    assert (
        res.output
        == "invalid: report.json: market_hash is not the hash of market_table.json's vector\n"
    )


def test_liquidate_refuses_a_notice_under_another_key(
    liquidations: Path, circuit_keys, tmp_path: Path
) -> None:
    notice = json.loads((liquidations / "ned.json").read_text())
    other = circuit_keys("attestation") / layout.VKEY  # a sound key, not the published one
    notice["verification_key"] = json.loads(other.read_text())
    (tmp_path / "ned.json").write_text(json.dumps(notice))
    shutil.copy(liquidations / "ned.json", tmp_path / "control.json")
    for name, code in (("control", 0), ("ned", 1)):
        res = run("liquidate", liquidations / "r0900", "ned", "--notice", tmp_path / f"{name}.json",
                  "--chain", liquidations / "r0800", "--chain", liquidations / "r0830",
                  "--keys", circuit_keys("notice"), "--out", tmp_path / f"{name}-out.json")  # fmt: skip
        assert res.exit_code == code, res.output
    assert res.output == "invalid: ned.json: not proven under the report's published notice key\n"
    assert not (tmp_path / "ned-out.json").exists()
