"""The constraint-system digests of the shipped circuits, frozen in ``frozen_digests.json``.

Each digest is the one a report states as ``circuit_digest`` and ``zkmargin inspect CIRCUIT
--digest`` prints (:mod:`zkmargin.batch.digest`), for the embedded example market at its
default shape with one account per batch. Run this file to rewrite the frozen file after a
deliberate change of a circuit (``CONTRIBUTING.md``: a changed digest breaks published keys).
"""

from __future__ import annotations

import json
from pathlib import Path

from zkmargin.batch import load_model_circuit
from zkmargin.batch.digest import compile_with_digest
from zkmargin.margin import example_paths, load_market

FROZEN_FILE = Path(__file__).with_name("frozen_digests.json")
BATCH_SIZE = 1


def frozen() -> dict[str, str]:
    """The frozen digests, hexadecimal, by circuit name."""
    digests: dict[str, str] = json.loads(FROZEN_FILE.read_text())["digests"]
    return digests


def current_digest(circuit: str) -> str:
    """``circuit``'s digest as compiled now (hexadecimal, as ``inspect --digest`` prints it)."""
    market = load_market(example_paths()[0])
    _, digest = compile_with_digest(load_model_circuit(circuit)(market, BATCH_SIZE))
    return f"{digest:x}"


def write_frozen(circuits: list[str]) -> None:
    doc = {
        "about": "circuit_digest of each shipped circuit for the example market, default shape, "
        f"batch size {BATCH_SIZE}; rewritten by python tests/models/{Path(__file__).name}",
        "digests": {name: current_digest(name) for name in circuits},
    }
    FROZEN_FILE.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    from zkmargin.batch.loader import ACCOUNT_CIRCUITS
    from zkmargin.models.registry import specs

    write_frozen(sorted((*specs(), *ACCOUNT_CIRCUITS)))
    print(f"wrote {FROZEN_FILE}")
