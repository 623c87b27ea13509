"""prove checks its own work: a proving key whose points are valid but wrong makes proofs that
do not verify, and a key anyone could forge under is refused; either way prove exits 1 and
publishes nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from adversarial.forge import cli
from solvency.tiny import ACCOUNTS, MARKET

from zkmargin.curve import BN254
from zkmargin.formats.zkey import read_zkey, write_zkey
from zkmargin.solvency import layout


def _prove(keys: Path, out: Path) -> tuple[int, str]:
    return cli("prove", ACCOUNTS, "--market", MARKET, "--keys", keys, "--out", out, "--seed", 7,
               "--quiet")  # fmt: skip


def test_damaged_proving_key_exits_1_and_publishes_nothing(keys_copy: Path, tmp_path: Path):
    zkey = read_zkey(keys_copy / layout.ZKEY)
    h = list(zkey.h)
    h[0] = BN254.g1_mul(h[0], 2)  # a valid point, the wrong value
    write_zkey(keys_copy / layout.ZKEY, replace(zkey, h=h))
    code, out = _prove(keys_copy, tmp_path / "report")
    assert code == 1, out
    assert out.strip().splitlines()[-1] == (
        "error: batch 0: the proof does not verify under the proving key's own verifying key "
        "(a damaged circuit.zkey?); nothing was published"
    )
    assert not (tmp_path / "report").exists()


def test_degenerate_proving_key_is_refused_before_proving(keys_copy: Path, tmp_path: Path):
    zkey = read_zkey(keys_copy / layout.ZKEY)
    write_zkey(keys_copy / layout.ZKEY, replace(zkey, delta2=BN254.g2))
    code, out = _prove(keys_copy, tmp_path / "report")
    assert code == 1, out
    assert out.strip().splitlines()[-1] == (
        f"error: {keys_copy / layout.ZKEY}: its verifying key: vk_delta_2: is the G2 generator "
        "(no phase-2 contribution): anyone can forge proofs"
    )
    assert not (tmp_path / "report").exists()


def test_intact_key_proves(keys_copy: Path, tmp_path: Path) -> None:
    code, out = _prove(keys_copy, tmp_path / "report")
    assert code == 0 and (tmp_path / "report" / layout.REPORT).is_file(), out
