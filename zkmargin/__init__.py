"""zkmargin: zero-knowledge margin proofs.

Portfolio margin checks are compiled into R1CS circuits, proven with Groth16 and cross-checked
against a plain reference calculator. See the README for a tour and ``docs/api.md`` for this
public API by task.

``__all__`` is the public API: an exchange loads its market and accounts, margins them with
the reference calculator, sets up keys and proves a snapshot; a user verifies a report and their
account's receipt; a researcher finds or compiles a circuit and proves it with Groth16. Each is
imported from its home module on first use, so ``import zkmargin`` stays light:

>>> import zkmargin
>>> zkmargin.load_market is zkmargin.margin.market.load_market
True
>>> "prove_snapshot" in dir(zkmargin)
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports on first use
    from zkmargin.batch.loader import available_circuits, find_circuit
    from zkmargin.dsl.circuit import compile_circuit
    from zkmargin.errors import InputError
    from zkmargin.groth16.keys import verification_key
    from zkmargin.groth16.prove import prove
    from zkmargin.groth16.setup import setup_unsafe_dev
    from zkmargin.groth16.verify import verify
    from zkmargin.margin.accounts import read_accounts
    from zkmargin.margin.calculator import calculate
    from zkmargin.margin.example import example_paths
    from zkmargin.margin.market import load_market
    from zkmargin.solvency.keys import setup_keys
    from zkmargin.solvency.prove_request import ProveOptions, Snapshot
    from zkmargin.solvency.prover import prove_snapshot
    from zkmargin.solvency.report_checks import Invalid
    from zkmargin.solvency.verifier import verify_inclusion, verify_report

__all__ = [
    "InputError",
    "Invalid",
    "ProveOptions",
    "Snapshot",
    "available_circuits",
    "calculate",
    "compile_circuit",
    "example_paths",
    "find_circuit",
    "load_market",
    "prove",
    "prove_snapshot",
    "read_accounts",
    "setup_keys",
    "setup_unsafe_dev",
    "verification_key",
    "verify",
    "verify_inclusion",
    "verify_report",
]

_HOMES = {
    # an exchange: its inputs, the reference calculator, keys, the proof of a snapshot
    "example_paths": "zkmargin.margin.example",
    "load_market": "zkmargin.margin.market",
    "read_accounts": "zkmargin.margin.accounts",
    "calculate": "zkmargin.margin.calculator",
    "setup_keys": "zkmargin.solvency.keys",
    "Snapshot": "zkmargin.solvency.prove_request",
    "ProveOptions": "zkmargin.solvency.prove_request",
    "prove_snapshot": "zkmargin.solvency.prover",
    "InputError": "zkmargin.errors",
    # a user: the report and one account's receipt
    "verify_report": "zkmargin.solvency.verifier",
    "verify_inclusion": "zkmargin.solvency.verifier",
    "Invalid": "zkmargin.solvency.report_checks",
    # a researcher: circuits by name or file, compiled, proven and verified with Groth16
    "available_circuits": "zkmargin.batch.loader",
    "find_circuit": "zkmargin.batch.loader",
    "compile_circuit": "zkmargin.dsl.circuit",
    "setup_unsafe_dev": "zkmargin.groth16.setup",
    "prove": "zkmargin.groth16.prove",
    "verify": "zkmargin.groth16.verify",
    "verification_key": "zkmargin.groth16.keys",
}
"""Each public name's home module, imported on first use (:func:`__getattr__`)."""


def __getattr__(name: str) -> Any:
    # PEP 562: a public name is looked up in its home module the first time it is asked for,
    # then kept here; anything else is an ordinary AttributeError.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
