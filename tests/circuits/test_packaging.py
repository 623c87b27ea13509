"""The shipped circuits are part of the package: a wheel holds them as ``zkmargin_circuits`` and
an installation made from it (not the checkout) finds every circuit by name."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from interop import missing

ROOT = Path(__file__).resolve().parents[2]
PIP = (sys.executable, "-m", "pip")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_every_subpackage_is_in_the_package_list():
    """pyproject lists packages explicitly (package-dir maps circuits/): none may be missing."""
    config = pyproject()["tool"]["setuptools"]
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "zkmargin").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    listed = set(config["packages"])
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == {"zkmargin_circuits"}
    assert config["package-dir"]["zkmargin_circuits"] == "circuits"


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
    for name in ("zkmargin", "circuits"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
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
    shipped = sorted(p.name for p in (ROOT / "circuits").glob("*.py"))
    assert {"health.py", "isolated.py", "scenario.py", "cross.py"} <= set(shipped)
    assert {f"zkmargin_circuits/{n}" for n in shipped} <= names
    assert "zkmargin/schemas/account.schema.json" in names


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
        "from zkmargin.circuit.loader import available_circuits, builtin_circuits_dir\n"
        "print(json.dumps([zkmargin.__file__, str(builtin_circuits_dir()), available_circuits(),"
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
    package, circuits_dir, names, model, isolated = json.loads(proc.stdout)
    assert Path(package).is_relative_to(target) and Path(circuits_dir).is_relative_to(target)
    assert {"collateral", "cross", "scenario", "greeks", "isolated", "health"} <= set(names)
    assert (model, isolated) == ("scenario", "isolated")
