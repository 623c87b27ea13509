"""Finding and running the npm interop tools (snarkjs, circom2, circomlibjs) installed by .ci/run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "node_modules" / ".bin"


def tool(name: str) -> str:
    """Path of an npm tool (see :func:`missing` for when it is absent)."""
    path = NODE_BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found:
        return found
    missing(f"{name} not installed: run `npm install` at the repository root (as .ci/run does)")


def missing(message: str) -> None:
    """A missing interop tool fails the test in CI (where .ci/run installs it) and skips it elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run_tool(
    *args: str, cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run an external tool; raise with its output when it exits non-zero."""
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc
