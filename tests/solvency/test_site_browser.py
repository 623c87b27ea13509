"""The published site in a real browser (Debian's chromium, headless, driven by Playwright): the
overview shows the reports' proven totals; a receipt made by the Python prover verifies in the
page; a tampered receipt and one from another report of the same epoch do not match. Every
request stays on the site's own origin. Screenshots go to build/site-screenshots/ (gitignored)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from interop import ROOT, missing

from zkmargin.margin.fixed import MONEY_SCALE, QTY_SCALE, format_decimal
from zkmargin.site import build_site
from zkmargin.site.build import VENDOR

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "build" / "site-screenshots"
SERVE = "import sys; from zkmargin.cli import main; main(['serve', *sys.argv[1:]])"


def grouped(text: str) -> str:
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


@pytest.fixture(scope="module")
def site_url(site_reports, tmp_path_factory) -> Iterator[str]:
    if not VENDOR.is_file():
        missing("the site's bundle is not built: run `npm install` at the repository root")
    site = tmp_path_factory.mktemp("browser-site") / "SITE"
    build_site([site_reports["a"] / "report", site_reports["b"] / "report"], site)
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(site), "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        yield proc.stdout.readline().split(" at ", 1)[1].split()[0]
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def context(tmp_path_factory, site_url: str):
    """A browser context with a fresh profile; every request it makes is recorded."""
    if not CHROMIUM.is_file():
        missing("chromium not installed: the README's set-up command installs it")
    try:
        from playwright import sync_api
    except ImportError:
        missing("playwright not installed: the README's set-up command installs it")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1000, "height": 900},
        )
        ctx.requests = []
        ctx.on("request", lambda request: ctx.requests.append(request.url))
        yield ctx
        ctx.close()
    foreign = [u for u in ctx.requests if not u.startswith((site_url, "blob:", "data:"))]
    assert foreign == [], "the site fetched from another host"


@pytest.fixture
def page(context):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    assert page.errors == []
    page.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready]", timeout=60_000)
    assert page.get_attribute("body", "data-ready") == "yes"


def test_overview_shows_the_reports_totals(page, site_url: str, site_reports) -> None:
    _open(page, site_url)  # index.html is the landing page
    for summary in page.locator("details:not([open]) > summary").all():
        summary.click()  # the earlier epochs' details, folded under the latest
    text = page.inner_text("main")
    for name in ("a", "b"):
        report = json.loads((site_reports[name] / "report" / "report.json").read_text())
        totals = report["totals"]
        section = page.inner_text(f"section.report[data-epoch='{report['epoch']}']")
        assert f"accounts\t{totals['accounts']}" in section
        assert f"instrument table root\n{report['table_root']}" in section
        assert (
            f"collateral value\t{grouped(format_decimal(int(totals['collateral_value']), MONEY_SCALE))}"
            in section
        )
        for asset, value in totals["assets"].items():
            assert f"{asset}\t{grouped(format_decimal(int(value), QTY_SCALE))}" in section
        for key, word in (
            ("healthy", "healthy"),
            ("margin_call", "margin call"),
            ("liquidation", "liquidation"),
        ):
            assert f"{word}\t{totals['extra'][key]}" in section
    assert "3,501" in text and "350100000000" not in text  # asset units, not 10^-8 integers
    assert page.locator("svg.chart").count() >= 4  # across epochs: accounts, money, assets, states
    page.screenshot(path=SHOTS / "overview.png")  # the top, as the README shows it
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SHOTS / "overview-phone.png", full_page=True)


def _check(page, site_url: str, receipt: Path) -> tuple[str, str]:
    if not page.url.endswith("check.html"):
        _open(page, site_url + "check.html")
    before = len(page.context.requests)
    page.set_input_files("#receipt", str(receipt))
    page.wait_for_selector("body[data-checked]", timeout=120_000)
    sent = [u for u in page.context.requests[before:] if not u.startswith(("blob:", "data:"))]
    assert sent == []  # nothing sent, not even to the site itself (blob: are snarkjs's workers)
    verdict, reason = page.inner_text("#verdict"), page.inner_text("#reason")
    page.evaluate("delete document.body.dataset.checked")
    return verdict, reason


def test_a_real_receipt_verifies_and_shows_the_committed_account(
    page, site_url, site_reports
) -> None:
    receipt = site_reports["a"] / "report.private" / "receipts" / "alice.json"
    assert _check(page, site_url, receipt)[0] == "verified"
    positions = page.inner_text("#positions")
    assert "BTC-PERP" in positions and "0.5" in positions
    assert "2,000" in page.inner_text("#collateral")
    assert page.locator("#steps li.passed").count() == 5
    page.screenshot(path=SHOTS / "check-verified.png")


def test_a_tampered_receipt_does_not_match(page, site_url, site_reports, tmp_path) -> None:
    real = site_reports["a"] / "report.private" / "receipts" / "alice.json"
    assert _check(page, site_url, real)[0] == "verified"  # control
    doc = json.loads(real.read_text())
    doc["account"]["positions"]["BTC-PERP"] = "0.4"
    tampered = tmp_path / "alice.json"
    tampered.write_text(json.dumps(doc))
    verdict, reason = _check(page, site_url, tampered)
    assert verdict == "does not match"
    assert "do not give the committed leaf" in reason
    assert page.locator("#positions").count() == 0  # nothing shown as committed
    page.screenshot(path=SHOTS / "check-tampered.png", full_page=True)
    doc = json.loads(real.read_text())
    doc["siblings"][0], doc["siblings"][1] = doc["siblings"][1], doc["siblings"][0]
    swapped = tmp_path / "swapped.json"  # another file: choosing the same one again is no change
    swapped.write_text(json.dumps(doc))
    assert _check(page, site_url, swapped) == (
        "does not match",
        "the Merkle path does not lead to batch 0's root.",
    )


def test_a_receipt_from_another_report_does_not_match(page, site_url, site_reports) -> None:
    """Report c has a's epoch, market and accounts but other salts: its receipts are not a's."""
    mine = site_reports["b"] / "report.private" / "receipts" / "ned.json"  # a short position
    assert _check(page, site_url, mine)[0] == "verified"  # control: the chain's other report
    other = site_reports["c"] / "report.private" / "receipts" / "alice.json"
    verdict, reason = _check(page, site_url, other)
    assert verdict == "does not match"
    assert reason == "the Merkle path does not lead to batch 0's root."


def test_the_check_works_offline_once_loaded(page, context, site_url, site_reports) -> None:
    _open(page, site_url + "check.html")
    context.set_offline(True)
    try:
        receipt = site_reports["a"] / "report.private" / "receipts" / "~inqxe33mibcvk.json"
        assert _check(page, site_url, receipt)[0] == "verified"  # Carol@EU, batch 1
    finally:
        context.set_offline(False)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SHOTS / "check-phone.png", full_page=True)
