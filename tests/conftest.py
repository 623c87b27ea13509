"""Shared fixtures: the npm interop tools (snarkjs, circom2, circomlibjs) installed by .ci/run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"


def _tool(name: str) -> str:
    """Path of an npm tool; a missing tool fails the test in CI and skips it elsewhere."""
    path = NODE_BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} not installed: run `npm install` at the repository root (as .ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def snarkjs() -> str:
    return _tool("snarkjs")


@pytest.fixture(scope="session")
def circom() -> str:
    return _tool("circom2")


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The repository's node_modules (for `require('circomlibjs')` and circomlib's sources)."""
    path = ROOT / "node_modules"
    if not (path / "circomlibjs").exists():
        message = "circomlibjs not installed: run `npm install` at the repository root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_tool(*args: str, cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run an external tool; raise with its output when it exits non-zero."""
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc
