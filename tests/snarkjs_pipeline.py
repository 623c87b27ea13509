"""The circom → snarkjs pipeline, for tests that need real circom/snarkjs artifacts.

Import it from any test (``pythonpath = ["tests"]``)::

    from snarkjs_pipeline import compile_circom, calculate_witness, make_ptau, groth16_setup

    build = compile_circom(SOURCE, tmp_path, name="mul")          # .r1cs, .wasm, .sym
    wtns = calculate_witness(build, {"a": 3, "b": 5}, tmp_path)     # snarkjs wtns calculate
    ptau = make_ptau(tmp_path, power=8, curve="bn128")              # new, contribute, prepare
    zkey = groth16_setup(build.r1cs, ptau, tmp_path)               # setup, then one contribution

Every function skips the test locally (fails it in CI) when the npm tools are missing, and
raises with the tool's output when a tool fails. Circuits include circomlib as
``include "circomlib/circuits/<file>.circom";`` (circom runs from the repository root with
``-l node_modules``: circom2 is a WASI build that only sees the working directory and its
parents). Powers of tau and keys get a fixed, public entropy string: reproducible, and of course
not secure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from interop import ROOT, run_tool, tool

ENTROPY = "zkmargin test entropy - public, never use for a real key"


@dataclass(frozen=True)
class CircomBuild:
    """Paths of one compiled circuit."""

    name: str
    r1cs: Path
    wasm: Path
    sym: Path


def compile_circom(
    source: str, out_dir: Path, *, name: str = "circuit", prime: str = "bn128"
) -> CircomBuild:
    """Write ``source`` to ``out_dir/<name>.circom`` and compile it with circom2
    (``--r1cs --wasm --sym``, ``--prime bn128`` or ``bls12381``)."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    src = out_dir / f"{name}.circom"
    src.write_text(source)
    run_tool(
        tool("circom2"),
        str(src),
        "--r1cs",
        "--wasm",
        "--sym",
        "--prime",
        prime,
        "-o",
        str(out_dir),
        "-l",
        "node_modules",
        cwd=ROOT,
    )
    return CircomBuild(
        name,
        out_dir / f"{name}.r1cs",
        out_dir / f"{name}_js" / f"{name}.wasm",
        out_dir / f"{name}.sym",
    )


def calculate_witness(build: CircomBuild, inputs: dict, out_dir: Path, *, name: str = "") -> Path:
    """``snarkjs wtns calculate`` for ``inputs`` (a JSON-able dict of signal values)."""
    out_dir = Path(out_dir)
    stem = name or f"{build.name}_witness"
    inp = out_dir / f"{stem}.json"
    inp.write_text(json.dumps({k: _jsonable(v) for k, v in inputs.items()}))
    out = out_dir / f"{stem}.wtns"
    run_tool(tool("snarkjs"), "wtns", "calculate", str(build.wasm), str(inp), str(out))
    return out


def wtns_check(r1cs: Path, wtns: Path) -> bool:
    """``snarkjs wtns check``: True when snarkjs finds the witness satisfies the system."""
    import subprocess

    proc = subprocess.run(
        [tool("snarkjs"), "wtns", "check", str(r1cs), str(wtns)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc.returncode == 0 and "WITNESS IS CORRECT" in proc.stdout


def make_ptau(out_dir: Path, power: int, curve: str = "bn128") -> Path:
    """A prepared (phase 2) powers-of-tau file for circuits up to ``2^power / 2`` constraints:
    ``powersoftau new``, one ``contribute`` (so τ is not 1), ``prepare phase2``."""
    out_dir = Path(out_dir)
    snarkjs = tool("snarkjs")
    p0 = out_dir / f"pot{power}_{curve}_0.ptau"
    p1 = out_dir / f"pot{power}_{curve}_1.ptau"
    final = out_dir / f"pot{power}_{curve}_final.ptau"
    run_tool(snarkjs, "powersoftau", "new", curve, str(power), str(p0))
    run_tool(snarkjs, "powersoftau", "contribute", str(p0), str(p1), "--name=test", f"-e={ENTROPY}")
    run_tool(snarkjs, "powersoftau", "prepare", "phase2", str(p1), str(final))
    return final


def groth16_setup(r1cs: Path, ptau: Path, out_dir: Path, *, contribute: bool = True) -> Path:
    """``snarkjs groth16 setup``, then (by default) one ``zkey contribute`` so that δ ≠ 1 and the
    key carries a contribution record, as a ceremony's key does. Returns the final ``.zkey``."""
    out_dir = Path(out_dir)
    snarkjs = tool("snarkjs")
    stem = Path(r1cs).stem
    z0 = out_dir / f"{stem}_0000.zkey"
    run_tool(snarkjs, "groth16", "setup", str(r1cs), str(ptau), str(z0))
    if not contribute:
        return z0
    return zkey_contribute(z0, out_dir / f"{stem}_final.zkey")


def zkey_contribute(zkey: Path, out: Path) -> Path:
    """``snarkjs zkey contribute`` with the fixed test entropy: a new δ, C and H divided by it,
    and one more record in the contributions section."""
    run_tool(
        tool("snarkjs"), "zkey", "contribute", str(zkey), str(out), "--name=test", f"-e={ENTROPY}"
    )
    return Path(out)


def export_verification_key(zkey: Path, out: Path) -> Path:
    """``snarkjs zkey export verificationkey``."""
    run_tool(tool("snarkjs"), "zkey", "export", "verificationkey", str(zkey), str(out))
    return Path(out)


def groth16_prove(zkey: Path, wtns: Path, out_dir: Path) -> tuple[Path, Path]:
    """``snarkjs groth16 prove``; returns ``(proof.json, public.json)``."""
    out_dir = Path(out_dir)
    proof, public = out_dir / "proof.json", out_dir / "public.json"
    run_tool(tool("snarkjs"), "groth16", "prove", str(zkey), str(wtns), str(proof), str(public))
    return proof, public


def groth16_verify(vkey: Path, public: Path, proof: Path) -> bool:
    """``snarkjs groth16 verify``: True when snarkjs accepts the proof."""
    import subprocess

    proc = subprocess.run(
        [tool("snarkjs"), "groth16", "verify", str(vkey), str(public), str(proof)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc.returncode == 0 and "OK" in proc.stdout


def _jsonable(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
