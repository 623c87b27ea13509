"""``zkmargin prove``'s progress on stderr (:class:`ProgressPrinter`), shared with ``zkmargin
demo``."""

from __future__ import annotations

import json
import sys

import click

from zkmargin.cli.wording import plural


class ProgressPrinter:
    """``prove``'s progress on stderr: a redrawn bar on a terminal; one plain line per batch when
    stderr is a file or pipe (logs); one JSON object per line with ``--progress-json`` (even with
    ``--quiet``); nothing with ``--quiet``."""

    WIDTH = 30

    def __init__(
        self, *, quiet: bool, json_lines: bool, tty: bool | None = None, preface: str | None = None
    ) -> None:
        self.quiet, self.json_lines, self.preface = quiet, json_lines, preface
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.drawn = False

    def __call__(self, p) -> None:
        if p.event == "start" and self.preface is not None:
            click.echo(self.preface, err=True)
        if self.json_lines:
            click.echo(json.dumps(self.record(p), sort_keys=True), err=True)
        elif self.quiet:
            return
        elif p.event == "start":
            if p.resumed_batches:
                click.echo(
                    f"resuming: {p.resumed_batches} of {plural(p.batches_total, 'batch')} "
                    "already proven",
                    err=True,
                )
        elif self.tty:
            filled = self.WIDTH * p.batches_done // p.batches_total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            click.echo(f"\r[{bar}] {self.line(p)}\x1b[K", err=True, nl=False)
            self.drawn = True
        else:
            click.echo(self.line(p), err=True)

    @staticmethod
    def line(p) -> str:
        eta = "?" if p.eta is None else _duration(p.eta)
        return (
            f"batch {p.batches_done}/{p.batches_total}: {p.accounts_done}/{p.accounts_total} "
            f"accounts, {p.rate:.2f} accounts/s, {eta} left"
        )

    @staticmethod
    def record(p) -> dict:
        return {
            "event": p.event,
            "batches_done": p.batches_done,
            "batches_total": p.batches_total,
            "accounts_done": p.accounts_done,
            "accounts_total": p.accounts_total,
            "elapsed_s": round(p.seconds, 3),
            "accounts_per_s": round(p.rate, 3),
            "eta_s": None if p.eta is None else round(p.eta, 1),
            "resumed_batches": p.resumed_batches,
        }

    def finish(self) -> None:
        """End the bar's line (so later messages start on a fresh one)."""
        if self.drawn:
            click.echo("", err=True)
            self.drawn = False


def _duration(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
