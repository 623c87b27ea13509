"""The README's two set-up commands are the ones .ci/run runs, verbatim."""

from __future__ import annotations

import re

from interop import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", setup)


def test_readme_has_two_setup_commands_and_ci_runs_them():
    commands = _readme_commands()
    assert len(commands) == 2
    install_and_demo, tests = commands
    assert install_and_demo.endswith("zkmargin demo")
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert install_and_demo in ci
    assert tests in ci
