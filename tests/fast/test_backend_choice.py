"""The fast backend is the default; the reference can be forced (API and CLI)."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from zkmargin.cli import main
from zkmargin.curve import BN254, available_backends, default_backend, get_backend
from zkmargin.dsl.r1cs import R1CS, Constraint
from zkmargin.field import BN254_FR
from zkmargin.formats.wtns import write_wtns
from zkmargin.formats.zkey import write_zkey
from zkmargin.groth16 import setup_unsafe_dev


def test_fast_is_registered_and_the_default() -> None:
    assert {"fast", "reference", "py_ecc"} <= set(available_backends())
    assert default_backend() == "fast"
    assert get_backend().name == "fast"
    assert BN254.msm_backend.name == "fast"
    assert BN254.with_backend("reference").msm_backend.name == "reference"


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_cli_prove_backend_flag(tmp_path, backend: str) -> None:
    # x·x = y, y·x = z: one public output z = x³
    cs = R1CS(
        BN254_FR,
        1,
        0,
        1,
        4,
        [Constraint({2: 1}, {2: 1}, {3: 1}, "square"), Constraint({3: 1}, {2: 1}, {1: 1}, "cube")],
    )
    zkey = tmp_path / "k.zkey"
    write_zkey(zkey, setup_unsafe_dev(cs, rng=random.Random(1)))
    wtns = tmp_path / "w.wtns"
    write_wtns(wtns, [1, 27, 3, 9], BN254_FR.p)
    proof, public = tmp_path / "proof.json", tmp_path / "public.json"
    runner = CliRunner()
    args = ["groth16", "prove", str(zkey), str(wtns), str(proof), str(public)]
    result = runner.invoke(main, [*args, "--backend", backend])
    assert result.exit_code == 0, result.output
    assert json.loads(public.read_text()) == ["27"]
    vk = tmp_path / "vk.json"
    assert runner.invoke(main, ["groth16", "export-vk", str(zkey), str(vk)]).exit_code == 0
    for verifier in ("fast", "reference"):
        check = ["groth16", "verify", str(vk), str(public), str(proof), "--backend", verifier]
        verified = runner.invoke(main, check)
        assert verified.exit_code == 0 and "OK!" in verified.output
        public.write_text('["28"]')
        refused = runner.invoke(main, check)
        assert refused.exit_code == 1 and "invalid proof" in refused.output
        public.write_text('["27"]')


def test_cli_rejects_unknown_backend(tmp_path) -> None:
    args = ["groth16", "prove", *(str(tmp_path / n) for n in "abcd"), "--backend", "gpu"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "gpu" in result.output
