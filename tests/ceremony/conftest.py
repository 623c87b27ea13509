"""Session fixtures for the ceremony tests: small powers of tau and a phase-2 chain, made once.

Powers are small (2^5) so the whole directory stays fast; the same code paths serve any power.
Entropy strings are public test values, never for real keys.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from zkmargin.ceremony import phase2, prepare, zkey_contribute
from zkmargin.ceremony import powersoftau as pt
from zkmargin.ceremony.chacha import entropy_rng
from zkmargin.dsl.r1cs import R1CS, Constraint
from zkmargin.field import BN254_FR
from zkmargin.formats.r1cs import write_r1cs

sys.path.insert(0, str(Path(__file__).parent))  # for ``import tamper``

POWER = 5
BEACON = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


def cube_r1cs() -> tuple[R1CS, list[int]]:
    """out = x^3 + x*k + 5, public x, private k; wires [1, out, x, k, x2, x3]."""
    p, x, k = BN254_FR.p, 3, 7
    cons = [
        Constraint({2: 1}, {2: 1}, {4: 1}, "x2"),
        Constraint({4: 1}, {2: 1}, {5: 1}, "x3"),
        Constraint({2: 1}, {3: 1}, {1: 1, 5: p - 1, 0: p - 5}, "out"),
    ]
    return R1CS(BN254_FR, 1, 1, 1, 6, cons), [1, x**3 + x * k + 5, x, k, x * x, x**3]


def square_r1cs() -> R1CS:
    """A different circuit with the same domain: out = x^2 + x."""
    return R1CS(BN254_FR, 1, 1, 0, 4, [Constraint({2: 1}, {2: 1}, {3: 1}, "sq"),
                                       Constraint({3: 1, 2: 1}, {0: 1}, {1: 1}, "out")])  # fmt: skip


@pytest.fixture(scope="session")
def shared_initial_keys():
    """Builds each circuit's initial key from a ptau once per session: the margin flow's
    setup, adoption and verify commands each rebuild the same one (what ``zkey verify``
    compares a key with), and at 2^12 a build costs seconds."""
    built: dict[tuple, phase2.InitialKey] = {}
    original = phase2.initial_key

    def cached(r1cs, ptau_path, r1cs_path="r1cs"):
        shape = (r1cs.n_pub_out, r1cs.n_pub_in, r1cs.n_prv_in, r1cs.n_wires, r1cs.constraints)
        key = (hashlib.sha256(repr(shape).encode()).digest(), str(ptau_path))
        if key not in built:
            built[key] = original(r1cs, ptau_path, r1cs_path)
        return built[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(phase2, "initial_key", cached)
        yield built


@dataclass(frozen=True)
class Ptaus:
    new: Path  # no contribution
    alice: Path  # one contribution
    bob: Path  # two
    beacon: Path  # two and the beacon
    final: Path  # prepared for phase 2
    other: Path  # an unrelated prepared ptau (one contribution)


@pytest.fixture(scope="session")
def ptaus(tmp_path_factory) -> Ptaus:
    d = tmp_path_factory.mktemp("ptau")
    pt.new(POWER, str(d / "p0.ptau"))
    pt.contribute(str(d / "p0.ptau"), str(d / "p1.ptau"), "alice", entropy_rng("a"))
    pt.contribute(str(d / "p1.ptau"), str(d / "p2.ptau"), "bob", entropy_rng("b"))
    pt.beacon(str(d / "p2.ptau"), str(d / "p3.ptau"), "beacon", BEACON, 10)
    prepare.prepare_phase2(str(d / "p3.ptau"), str(d / "final.ptau"))
    pt.contribute(str(d / "p0.ptau"), str(d / "o1.ptau"), "other", entropy_rng("o"))
    prepare.prepare_phase2(str(d / "o1.ptau"), str(d / "other.ptau"))
    return Ptaus(*(d / f for f in ("p0.ptau", "p1.ptau", "p2.ptau", "p3.ptau", "final.ptau",
                                   "other.ptau")))  # fmt: skip


@dataclass(frozen=True)
class Keys:
    r1cs: Path
    other_r1cs: Path
    init: Path
    final: Path  # one contribution and a beacon
    witness: list[int]


@pytest.fixture(scope="session")
def keys(ptaus: Ptaus, tmp_path_factory) -> Keys:
    d = tmp_path_factory.mktemp("zkey")
    cs, witness = cube_r1cs()
    write_r1cs(d / "cube.r1cs", cs)
    write_r1cs(d / "square.r1cs", square_r1cs())
    init = phase2.initial_key(cs, str(ptaus.final))
    phase2.write_sections(str(d / "k0.zkey"), init.sections)
    zkey_contribute.contribute(str(d / "k0.zkey"), str(d / "k1.zkey"), "carol", entropy_rng("c"))
    zkey_contribute.beacon(str(d / "k1.zkey"), str(d / "k2.zkey"), "final", BEACON, 10)
    return Keys(d / "cube.r1cs", d / "square.r1cs", d / "k0.zkey", d / "k2.zkey", witness)
