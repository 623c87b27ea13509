"""The shipped circuits are part of the package: a wheel holds every model's folder and the
single-account circuits, and an installation made from it (not the checkout) finds every
circuit by name."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from interop import missing

from zkmargin.batch.loader import ACCOUNT_CIRCUITS
from zkmargin.models.registry import specs

ROOT = Path(__file__).resolve().parents[2]
PIP = (sys.executable, "-m", "pip")


def _can_build_wheels() -> bool:
    # setuptools builds wheels itself from 70.1; before that it needs the ``wheel`` package.
    import setuptools

    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not _can_build_wheels():
        missing("building a wheel needs setuptools >= 70.1 or the wheel package")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "zkmargin", src / "zkmargin", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    out = tmp / "dist"
    subprocess.run(
        [*PIP, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("zkmargin-*.whl")
    return built


def test_wheel_holds_every_circuit(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        str(p.relative_to(ROOT))
        for folder in ("models", "account_circuits")
        for p in (ROOT / "zkmargin" / folder).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert {f"zkmargin/models/{m}/circuit.py" for m in specs()} <= shipped
    assert {f"zkmargin/account_circuits/{m}.py" for m in ACCOUNT_CIRCUITS} <= shipped
    assert shipped <= names
    assert "zkmargin/schemas/account.schema.json" in names
    every_module = {  # no module left out of the wheel, whatever the package discovery
        str(p.relative_to(ROOT))
        for p in (ROOT / "zkmargin").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert every_module - names == set()


def test_installed_wheel_finds_circuits_by_name(wheel, tmp_path):
    """Installed from the wheel into a folder of its own, run from elsewhere: the loader finds
    the shipped circuits in the installation, not in this checkout."""
    target = tmp_path / "site"
    subprocess.run(
        [*PIP, "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import json, zkmargin\n"
        "from zkmargin.batch import load_model_circuit\n"
        "from zkmargin.batch.loader import available_circuits\n"
        "import zkmargin.models.scenario.circuit as m\n"
        "print(json.dumps([zkmargin.__file__, m.__file__, available_circuits(),"
        " load_model_circuit('scenario').model, load_model_circuit('isolated').name]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("ZKMARGIN_CIRCUITS", None)
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    package, circuit_file, names, model, isolated = json.loads(proc.stdout)
    assert Path(package).is_relative_to(target) and Path(circuit_file).is_relative_to(target)
    assert {"collateral", "cross", "scenario", "greeks", "isolated", "health"} <= set(names)
    assert (model, isolated) == ("scenario", "isolated")
