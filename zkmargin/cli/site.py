"""``zkmargin site`` and ``zkmargin serve``: a published report people check in their browser.

Exit status: 0 OK; 1 a report does not verify (nothing written); 2 bad input.
"""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path

import click

from zkmargin.cli.errors import fail, user_errors
from zkmargin.cli.options import DIR
from zkmargin.cli.root import main


@main.command("site")
@click.argument("reports", nargs=-1, required=True, type=DIR)
@click.option("--out", required=True, type=DIR, help="Folder to write the site to.")
@user_errors
def site_command(reports: tuple[Path, ...], out: Path) -> None:
    """Write a static site for REPORT folders (one per epoch: a chain gets charts across
    epochs): an overview of the proven figures, and a page where users check their receipt in
    the browser, nothing uploaded. Every report is verified first."""
    from zkmargin.site import build_site
    from zkmargin.solvency import Invalid

    try:
        site = build_site(reports, out)
    except Invalid as err:
        fail(f"invalid: {err}", 1)
    epochs = ", ".join(site.epochs)
    click.echo(
        f"OK: {site.folder}/index.html: {len(site.epochs)} report(s) ({epochs}); "
        f"{site.files:,} files, {site.bytes / 1024:,.0f} KiB. Host the folder as it is; "
        f"`zkmargin serve {site.folder}` to look at it here."
    )


@main.command("serve")
@click.argument("site", type=DIR)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@user_errors
def serve_command(site: Path, port: int) -> None:
    """Serve SITE on this machine only (127.0.0.1) for a local look; Ctrl-C stops. Port 0 picks
    a free one."""
    from zkmargin.errors import InputError
    from zkmargin.site.build import SITE_DATA

    if not (site / SITE_DATA).is_file():
        raise InputError(str(site), "", "not a site made by zkmargin site")
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        fail(f"error: 127.0.0.1:{port}: {err.strerror or err}")
    host, bound = server.server_address[:2]
    click.echo(f"serving {site} at http://{host}:{bound}/ (Ctrl-C stops)")
    sys.stdout.flush()  # the address, before serving, even into a pipe
    with server:
        server.serve_forever()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The standard static handler without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass
