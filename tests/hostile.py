"""Hostile input for every parser: valid seed files, ways to break them, and the contract.

The contract: a parser given any bytes either returns or raises one
:class:`zkmargin.errors.InputError` whose message is a single line, short, free of control
characters — never another exception, a crash or a hang. ``tests/test_hostile_input.py`` runs
it with a small budget in the suite; ``bench/fuzz.py`` with a large one.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from zkmargin.batch import Shape
from zkmargin.errors import InputError

DATA = Path(__file__).parent / "solvency" / "data"
SCENARIO_SHAPE = Shape(
    batch_size=2, slots=3, instruments=4, assets=2, tiers=2, underlyings=2, scenarios=10
)
"""The scenario circuit's shape on ``scenario_market.json`` (the keys and table seeds)."""
MAX_MESSAGE = 1000
"""Longest error line accepted (the parts are truncated well below this)."""


def _tiny_groth16(folder: Path) -> dict[str, bytes]:
    """A one-constraint circuit's .r1cs, .wtns, .zkey, proof, public signals and key."""
    from zkmargin.dsl.r1cs import R1CS, Constraint
    from zkmargin.field import BN254_FR
    from zkmargin.formats import write_r1cs, write_wtns, write_zkey
    from zkmargin.formats.snarkjs_json import proof_to_json, public_to_json
    from zkmargin.groth16 import prove, setup_unsafe_dev, verification_key

    cs = R1CS(BN254_FR, 0, 1, 1, 3, [Constraint({2: 1}, {2: 1}, {1: 1}, "square")])
    witness = [1, 9, 3]
    zkey = setup_unsafe_dev(cs, rng=random.Random(1), backend="reference")
    proof, public = prove(zkey, witness, backend="reference")
    write_r1cs(folder / "c.r1cs", cs)
    write_wtns(folder / "c.wtns", witness, BN254_FR.p)
    write_zkey(folder / "c.zkey", zkey)
    text = {
        "proof": proof_to_json(proof),
        "public": public_to_json(public),
        "vk": verification_key(zkey),
    }
    out = {name: json.dumps(doc, indent=1).encode() for name, doc in text.items()}
    for name in ("r1cs", "wtns", "zkey"):
        out[name] = (folder / f"c.{name}").read_bytes()
    return out


def _report_and_receipt() -> dict[str, bytes]:
    from zkmargin.batch import Statement
    from zkmargin.margin import Account
    from zkmargin.solvency import BatchEntry, Receipt, Report, Totals

    s = Statement(1, 9, 2, 3, 4, 1_763_625_600, 0, 2, 500, 100, (7, 0))
    batches = (BatchEntry.of(0, s),)
    report = Report(
        epoch="2026-11-20T08:00:00Z", circuit="scenario", model="scenario", level="maintenance",
        shape=SCENARIO_SHAPE, curve="bn128", table_root=9, market_hash=2, circuit_id=3,
        assets=("USDT", "BTC"), totals=Totals.of(batches, 2), batches=batches, excluded=(),
        root=1, circuit_digest=4, claim="each of 2 accounts meets its maintenance margin",
    )  # fmt: skip
    receipt = Receipt(
        Account("alice", {"BTC-PERP": 50_000_000}, {"USDT": 200_000_000_000}),
        salt=5, batch=0, position=1, index=1, leaf=9, siblings=(1, 2),
        epoch="2026-11-20T08:00:00Z",
    )  # fmt: skip
    return {
        "report": json.dumps(report.to_json(), indent=1).encode(),
        "receipt": json.dumps(receipt.to_json(), indent=1).encode(),
    }


def _keys_and_table() -> dict[str, bytes]:
    """``circuit.json`` and ``market_table.json`` of the scenario circuit on its test market."""
    from zkmargin.margin import load_market
    from zkmargin.solvency.keys import KeyInfo
    from zkmargin.solvency.published_market import market_table_json
    from zkmargin.solvency.verifier import circuit_class

    info = KeyInfo("scenario", "scenario", SCENARIO_SHAPE, "bn128", 100, 90, "ab" * 32)
    market = load_market(DATA / "scenario_market.json")
    data = circuit_class("scenario").market_data(market, SCENARIO_SHAPE)
    return {
        "circuit_info": json.dumps(info.to_json(), indent=1).encode(),
        "market_table": json.dumps(
            market_table_json(market.instrument_names, data), indent=1
        ).encode(),
    }


def _accounts_csv() -> bytes:
    rows = ["account,kind,name,amount"]
    for line in (DATA / "accounts.jsonl").read_text().splitlines():
        doc = json.loads(line)
        for section, kind in (("positions", "position"), ("collateral", "collateral")):
            rows += [f"{doc['id']},{kind},{k},{v}" for k, v in doc.get(section, {}).items()]
    return ("\n".join(rows) + "\n").encode()


def seeds(folder: Path) -> dict[str, bytes]:
    """One valid file per target (``folder``: scratch space)."""
    out = {
        "market": (DATA / "market.json").read_bytes(),
        "accounts_jsonl": (DATA / "accounts.jsonl").read_bytes(),
        "accounts_csv": _accounts_csv(),
        **_report_and_receipt(),
        **_keys_and_table(),
        **_tiny_groth16(folder),
    }
    return out


def _market():
    from zkmargin.margin import load_market

    return load_market(DATA / "market.json")


def _targets() -> dict[str, tuple[str, Callable[[Path], Any]]]:
    from zkmargin.formats import read_r1cs, read_wtns, read_zkey
    from zkmargin.formats.snarkjs_json import read_proof, read_public, read_verification_key
    from zkmargin.formats.zkey_arrays import read_zkey_arrays
    from zkmargin.json_input import load_json
    from zkmargin.margin import load_market, read_accounts
    from zkmargin.solvency import Receipt, Report
    from zkmargin.solvency.keys import KeyInfo
    from zkmargin.solvency.verifier import circuit_class, read_market_table

    market = _market()
    columns = circuit_class("scenario").columns_of(SCENARIO_SHAPE)
    return {
        "market": (".json", load_market),
        "accounts_jsonl": (".jsonl", lambda p: list(read_accounts(p, market))),
        "accounts_csv": (".csv", lambda p: list(read_accounts(p, market))),
        "report": (".json", lambda p: Report.from_json(load_json(p), str(p))),
        "receipt": (".json", lambda p: Receipt.from_json(load_json(p), str(p), market)),
        "circuit_info": (".json", lambda p: KeyInfo.from_json(load_json(p), str(p))),
        "market_table": (".json", lambda p: read_market_table(p, SCENARIO_SHAPE, columns)),
        "proof": (".json", read_proof),
        "public": (".json", read_public),
        "vk": (".json", read_verification_key),
        "r1cs": (".r1cs", read_r1cs),
        "wtns": (".wtns", read_wtns),
        "zkey": (".zkey", read_zkey),
        "zkey_arrays": (".zkey", read_zkey_arrays),
    }


TARGETS = _targets()
SEED_OF = {"zkey_arrays": "zkey"}
"""Targets that share another's seed file."""


def check_contract(target: str, data: bytes, folder: Path) -> str | None:
    """Feed ``data`` to ``target``'s parser; ``None`` if it parsed, else the error line.

    Raises ``AssertionError`` when the contract is broken (another exception, a bad message).
    """
    suffix, parse = TARGETS[target]
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        parse(path)
    except InputError as err:
        line = str(err)
        assert "\n" not in line and "\r" not in line, f"{target}: multi-line error {line!r}"
        assert len(line) <= MAX_MESSAGE, f"{target}: error of {len(line)} characters"
        assert line.isprintable(), f"{target}: control characters in {line!r}"
        return line
    except Exception as err:
        raise AssertionError(f"{target}: {type(err).__name__}: {str(err)[:300]}") from err
    return None


# -- ways to break a file ----------------------------------------------------------------------

_JSON_POISON = [
    b"[" * 100_000 + b"]" * 100_000,  # nested far past any limit
    b'{"a": 1, "a": 2}',
    b"NaN",
    b"1" * 5000,
    b'"' + b"1" * 5000 + b'"',  # a decimal string past int()'s digit limit
    b'"\x1b[2J\r\xe2\x80\xae"',
    b"\xff\xfe\x00",
    b'{"' + b"k" * 100_000 + b'": 1}',
    b"-",
    b"1e999999",
    b"[]",
    b"{}",
    b"null",
    b'"' + b"\\u0000" * 10 + b'"',
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few random edits: bytes flipped, cut, repeated, or poison spliced in."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "poison", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(2, 50))
        elif op == "poison":
            data[at:at] = draw(st.sampled_from(_JSON_POISON))
        elif op == "truncate":
            del data[at:]
    return bytes(data)


def hostile(seed: bytes) -> st.SearchStrategy[bytes]:
    """Random bytes, poison alone, or mutations of a valid ``seed``."""
    return st.one_of(
        st.binary(max_size=512), st.sampled_from(_JSON_POISON), mutated(seed), mutated(seed)
    )
