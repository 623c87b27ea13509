"""``zkmargin site`` and ``serve`` on the Python side: the data files hold the reports' proven
figures and never a receipt's; bad input is one line; a report that does not verify writes
nothing. (The pages themselves are tested in a browser: test_site_browser.py.)"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from zkmargin.cli import main
from zkmargin.site.build import VENDOR

SERVE = "import sys; from zkmargin.cli import main; main(['serve', *sys.argv[1:]])"
pytestmark = pytest.mark.skipif(not VENDOR.is_file(), reason="npm install builds the bundle")


def _cli(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def chain_site(site_reports, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site") / "SITE"
    reports = [site_reports[n] / "report" for n in ("b", "a")]  # any order: sorted by epoch
    code, out = _cli("site", *reports, "--out", site)
    assert code == 0, out
    assert out.startswith(f"OK: {site}/index.html: 2 report(s)")
    return site


def test_site_data_holds_the_reports_totals_as_decimals(chain_site: Path, site_reports) -> None:
    data = json.loads((chain_site / "data" / "site.json").read_text())
    a, b = data["reports"]
    assert (a["epoch"], b["epoch"]) == ("2026-11-20T08:00:00Z", "2026-11-21T08:00:00Z")
    report = json.loads((site_reports["a"] / "report" / "report.json").read_text())
    assert a["totals"]["accounts"] == report["totals"]["accounts"] == 5
    assert (a["table_root"], a["market_hash"]) == (report["table_root"], report["market_hash"])
    # 10^-8 integers in the report, decimals in units on the site
    assert int(report["totals"]["assets"]["USDT"]) == 350100000000
    assert a["totals"]["assets"]["USDT"] == "3501"
    extra = report["totals"]["extra"]
    assert a["states"] == {
        "healthy": int(extra["healthy"]),
        "margin call": int(extra["margin_call"]),
        "liquidation": int(extra["liquidation"]),
    }
    assert sum(a["states"].values()) == 5
    assert [(x["first"], x["last"]) for x in a["batches"]] == [(0, 1), (2, 3), (4, 4)]
    assert b["totals"]["accounts"] == 3
    assert a["claim"] == report["claim"][:1].upper() + report["claim"][1:] + "."
    assert "is counted in its state (healthy, margin call or liquidation)" in a["claim"]
    vk = (site_reports["a"] / "report" / "verification_key.json").read_bytes()
    import hashlib

    assert a["verification_key_sha256"] == hashlib.sha256(vk).hexdigest()


def test_check_data_names_the_statement_fields_in_hashing_order(chain_site: Path) -> None:
    check = json.loads((chain_site / "data" / "check-0.json").read_text())
    batch = check["batches"][0]
    names = batch["statement_fields"]
    assert names[:11] == [
        "batch_root", "table_root", "market_hash", "circuit_id", "circuit_digest", "epoch",
        "first_index", "count", "total_collateral", "total_requirement", "previous",
    ]  # fmt: skip
    assert names[11:] == ["asset_totals[0]", "asset_totals[1]", *(f"extra[{i}]" for i in range(4))]
    assert check["leaf"] == {
        "instruments": ["BTC-PERP"], "assets": ["USDT", "BTC"], "slots": 1, "balances": 2,
        "extra": None,
    }  # fmt: skip


def test_no_receipt_data_is_written_into_the_site(chain_site: Path, site_reports) -> None:
    """Salts, leaves and the private folder's files never reach the site (a control: the
    report's public statement roots do)."""
    text = "\n".join(p.read_text("utf-8") for p in chain_site.rglob("*") if p.suffix == ".json")
    secrets = []
    for name in ("a", "b"):
        for receipt in (site_reports[name] / "report.private" / "receipts").glob("*.json"):
            doc = json.loads(receipt.read_text())
            secrets += [doc["salt"], doc["leaf"]]
    assert len(secrets) == 16
    assert not [s for s in secrets if s in text]
    report = json.loads((site_reports["a"] / "report" / "report.json").read_text())
    assert report["batches"][0]["statement"]["batch_root"] in text
    names = {p.name for p in chain_site.rglob("*")}
    assert not names & {"receipts", "ledger.sqlite", "witnesses"}
    assert not [p for p in chain_site.rglob("*") if p.suffix in {".wtns", ".zkey", ".sqlite"}]


def test_site_refuses_a_report_that_does_not_verify_and_writes_nothing(
    site_reports, tmp_path: Path
) -> None:
    report = shutil.copytree(site_reports["a"] / "report", tmp_path / "report")
    doc = json.loads((report / "report.json").read_text())
    doc["totals"]["accounts"] += 1
    (report / "report.json").write_text(json.dumps(doc))
    code, out = _cli("site", report, "--out", tmp_path / "SITE")
    assert code == 1
    assert "invalid: report.json: totals.accounts 6 is not the sum of the batches (5)" in out
    assert not (tmp_path / "SITE").exists() and not (tmp_path / "SITE.partial").exists()
    # control: the untouched report builds
    code, out = _cli("site", site_reports["a"] / "report", "--out", tmp_path / "SITE")
    assert code == 0, out


def test_site_bad_input_is_one_line(site_reports, tmp_path: Path) -> None:
    a = site_reports["a"] / "report"
    code, out = _cli("site", a, site_reports["c"] / "report", "--out", tmp_path / "S1")
    assert code == 2
    assert out.strip().endswith(
        "epoch: 2026-11-20T08:00:00Z is also " + str(a) + "'s: one per epoch"
    )
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    code, out = _cli("site", a, "--out", tmp_path / "busy")
    assert (code, out) == (
        2,
        f"error: {tmp_path / 'busy'}: not empty and not a site made by zkmargin site\n",
    )
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    code, out = _cli("site", tmp_path / "nothing", "--out", tmp_path / "S2")
    assert code == 2 and out.count("\n") == 1 and out.startswith("error: ")


def test_site_replaces_an_earlier_site(chain_site: Path, site_reports, tmp_path: Path) -> None:
    site = shutil.copytree(chain_site, tmp_path / "SITE")
    code, out = _cli("site", site_reports["a"] / "report", "--out", site)
    assert code == 0, out
    assert len(json.loads((site / "data" / "site.json").read_text())["reports"]) == 1
    assert not (site / "data" / "check-1.json").exists()


def test_serve_listens_on_loopback_only(chain_site: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(chain_site), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"serving {chain_site} at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "data/site.json") as response:
            assert json.load(response)["format"] == "zkmargin-site/1"
        port = int(url.rsplit(":", 1)[1].strip("/"))
        # the kernel's own table of listening sockets: only 127.0.0.1 holds the port
        assert _listening_addresses(port) == {"127.0.0.1"}
    finally:
        proc.terminate()
        proc.wait(10)


def _listening_addresses(port: int) -> set[str]:
    """IPv4 and IPv6 addresses listening on ``port``, read from /proc/net (no connection made)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            if len(raw) == 4:
                found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
            else:  # each 32-bit word is in host (little-endian) order
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def test_serve_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    assert _cli("serve", tmp_path, "--port", "0") == (
        2,
        f"error: {tmp_path}: not a site made by zkmargin site\n",
    )


def test_a_cover_report_states_its_claim_and_no_states(proven: Path, tmp_path: Path) -> None:
    """The tiny cross report: each account covers its buffered requirement (market buffer 0.05);
    it has no counts per state (the health reports above are the control)."""
    code, out = _cli("site", proven / "report", "--out", tmp_path / "SITE")
    assert code == 0, out
    (r,) = json.loads((tmp_path / "SITE" / "data" / "site.json").read_text())["reports"]
    assert r["claim"] == (
        "Each of 5 accounts meets its maintenance margin plus a 5% buffer under the cross model."
    )
    assert r["states"] is None and r["shortfall"] is None
    check = json.loads((tmp_path / "SITE" / "data" / "check-0.json").read_text())
    assert (check["proves_cover"], check["buffer_percent"]) == (True, "5")
