"""The report-level contract: verifies one batch against its statement fields and records a
snapshot as proven once all its batches are in (``zkmargin export-contract KEYS/ OUT.sol``).

The contract takes the statement fields themselves (``Statement.fields()`` order) and how it
binds them to the proof follows the keys' shape field ``statement``:

* ``fields``: the fields are the proof's public inputs, so the contract verifies the proof
  against them (a changed field fails the proof). Each public input costs an ecMul (6,000
  gas), so the inputs whose values are known before a batch arrives are folded into the key's
  constant point: ``circuit_id`` and ``circuit_digest`` (constants of the circuit) when the
  contract is generated, the epoch, table root, market hash and ``previous`` (the chain hash
  of the report before) once per snapshot in ``commitSnapshot``; a batch then pays for its own
  fields only. About 1.25× a one-input
  verification.
* ``hash``: the proof's one public input is the statement hash, so the contract checks each
  field is below ``r``, hashes them in Solidity (:mod:`zkmargin.onchain.statement_hash`) and
  verifies the proof against that hash. About 6.4× a verification (the hash is a width-17
  Poseidon permutation): for keys that cannot be set up again, such as a ceremony's.

Which field sits where is read from :class:`zkmargin.batch.Statement` when the contract is
generated, so fields added to the statement flow through. The two designs are measured in
``docs/decisions.md``; what the contract lets one conclude is in ``docs/onchain.md``.

>>> from zkmargin.curve import curve_by_name
>>> bn = curve_by_name("bn128")  # a well-formed, meaningless key: generators for every point
>>> text = report_contract(VerifyingKey("bn128", 1, bn.g1, bn.g2, bn.g2, bn.g2, (bn.g1,) * 2), 2)
>>> "uint256 internal constant F_EPOCH = 5;" in text, "function statementHash(" in text
(True, True)
>>> vk = VerifyingKey("bn128", 12, bn.g1, bn.g2, bn.g2, bn.g2, (bn.g1,) * 13)
>>> text = report_contract(vk, 2, "fields", circuit=(5, 6))
>>> "N_FIELDS = 12;" in text, "CIRCUIT_ID = 5;" in text, "function statementHash(" in text
(True, True, False)
"""

from __future__ import annotations

from pathlib import Path

from zkmargin.batch import load_model_circuit
from zkmargin.batch.statement import STATEMENT_MODES, Statement
from zkmargin.curve import curve_by_name
from zkmargin.errors import InputError
from zkmargin.formats.snarkjs_json import G1, VerifyingKey, read_verification_key
from zkmargin.onchain.statement_hash import statement_hash_function
from zkmargin.onchain.verifier import (
    PRAGMA,
    g1_words,
    key_constants,
    require_evm_curve,
    verifier_assembly,
)
from zkmargin.solvency import layout
from zkmargin.solvency.keys import read_key_info

# The statement fields the contract reads by name; any others are verified and logged only.
USED_FIELDS = (
    "batch_root",
    "table_root",
    "market_hash",
    "epoch",
    "first_index",
    "count",
    "total_collateral",
    "total_requirement",
    "previous",
)

# Fields of known value before a batch arrives, folded into the key's constant point (fields
# design): the circuit's constants when the contract is generated, the snapshot's at commit.
CIRCUIT_FIELDS = ("circuit_id", "circuit_digest")
SNAPSHOT_FIELDS = ("epoch", "table_root", "market_hash", "previous")


def scalar_fields() -> list[str]:
    """The statement's single-valued fields, in hashing order (its lists come after them)."""
    return Statement.names(assets=0, n_extra=0)


def export_report_contract(keys: str | Path) -> tuple[str, str]:
    """The contract for a keys folder (``circuit.json`` and ``verification_key.json``) and the
    keys' statement mode (``hash`` or ``fields``, module docstring). For ``fields`` the circuit
    is compiled once, for its digest."""
    keys = Path(keys)
    info = read_key_info(keys)
    vk_path = keys / layout.VKEY
    vk = read_verification_key(vk_path)
    require_evm_curve(vk.curve, str(vk_path))
    mode = info.shape.statement
    expected = info.public_count
    if vk.n_public != expected:
        what = "the statement hash" if mode == "hash" else "the statement's fields"
        raise InputError(
            str(vk_path), "nPublic", f"expected {expected} ({what}), got {vk.n_public}"
        )
    if mode == "hash":
        return report_contract(vk, info.batch_size), mode
    from zkmargin.solvency.verifier import circuit_digest

    cls = load_model_circuit(info.circuit)
    circuit = (cls(shape=info.shape).circuit_id, circuit_digest(cls, info.shape))
    return report_contract(vk, info.batch_size, mode, circuit=circuit), mode


def report_contract(
    vk: VerifyingKey, batch_size: int, mode: str = "hash", circuit: tuple[int, int] = (0, 0)
) -> str:
    """The Solidity source of the report-level contract for ``vk``, ``batch_size`` and the
    statement ``mode`` of the keys (module docstring); ``circuit``: the circuit's id and digest
    (the fields design folds them into the key)."""
    require_evm_curve(vk.curve, "verification key")
    if mode not in STATEMENT_MODES:
        raise ValueError(f"statement mode {mode!r} is not one of {', '.join(STATEMENT_MODES)}")
    scalars = scalar_fields()
    missing = [n for n in (*USED_FIELDS, *CIRCUIT_FIELDS) if n not in scalars]
    if missing:
        raise ValueError(f"the statement has no field(s) {missing}: update USED_FIELDS")
    if mode == "fields" and vk.n_public < len(scalars):
        raise ValueError(f"a key of {vk.n_public} public inputs holds no statement's fields")
    curve = curve_by_name(vk.curve)
    positions = "\n".join(
        f"    uint256 internal constant F_{name.upper()} = {i};" for i, name in enumerate(scalars)
    )
    parts = _fields_design(vk, scalars, circuit) if mode == "fields" else _hash_design(scalars)
    consts = "\n".join(f"    {line}" for line in key_constants(vk))
    return f"""// SPDX-License-Identifier: Apache-2.0
// zkmargin snapshots proven on chain, batch by batch; generated by `zkmargin export-contract`.
// {parts["how"]}
{PRAGMA}

contract ZkmarginSnapshots {{
    uint256 internal constant R = {curve.fr.p};
    uint256 internal constant Q = {curve.q};

    /// Accounts per batch proof (every batch but a snapshot's last is full).
    uint256 public constant BATCH_SIZE = {batch_size};

    // Positions of the statement's fields in `fields` ({", ".join(scalars)}, then the
    // per-asset totals and the circuit's own totals).
{positions}
{parts["constants"]}

    // Verifying key of the batch circuit; G2 coordinates imaginary part first.
{consts}

    struct Snapshot {{
        uint256 tableRoot; // the instrument table's root: 0 for a circuit that reads none
        uint256 marketHash;
        uint256 previous; // the chain hash of the report this snapshot follows: 0 for none
        uint64 accounts; // accounts proven in the snapshot, padding included
        uint64 provenAccounts; // the next batch's first_index
        uint64 batches;
        bool proven;
        // one slot, written at commit: a batch never pays for a first write to storage
        uint120 totalCollateral;
        uint120 totalRequirement;
        bool committed;
{parts["snapshot"]}    }}

    /// Who may commit snapshots: the deployer (the exchange).
    address public immutable owner;
    /// Snapshots by epoch.
    mapping(uint256 => Snapshot) public snapshots;

    event SnapshotCommitted(
        uint256 indexed epoch,
        uint256 tableRoot,
        uint256 marketHash,
        uint256 previous,
        uint256 accounts
    );
    event BatchProven(
        uint256 indexed epoch, uint256 indexed batch, uint256 batchRoot, uint256[] fields
    );
    event SnapshotProven(
        uint256 indexed epoch, uint256 batches, uint256 totalCollateral, uint256 totalRequirement
    );

    error NotOwner();
    error EpochTaken(uint256 epoch);
    error NoAccounts();
    error UnknownSnapshot(uint256 epoch);
    error AlreadyProven(uint256 epoch);
{parts["errors"]}
    error NotAFieldElement(uint256 index);
    error WrongTable(uint256 expected, uint256 got);
    error WrongMarket(uint256 expected, uint256 got);
    error WrongPrevious(uint256 expected, uint256 got);
    error WrongFirstIndex(uint256 expected, uint256 got);
    error WrongCount(uint256 count);
    error TotalsOverflow();
    error InvalidProof();

    constructor() {{
        owner = msg.sender;
    }}

    /// The exchange announces a snapshot: its epoch, instrument table root, market hash, the
    /// chain hash of the report it follows (0: none) and number of accounts proven. One set of
    /// keys proves many tables: the root pins this one.
    function commitSnapshot(
        uint256 epoch,
        uint256 tableRoot,
        uint256 marketHash,
        uint256 previous,
        uint64 accounts
    ) external {{
        if (msg.sender != owner) revert NotOwner();
        if (snapshots[epoch].accounts != 0) revert EpochTaken(epoch);
        if (accounts == 0) revert NoAccounts();
{parts["commit"]}        Snapshot storage s = snapshots[epoch];
        s.tableRoot = tableRoot;
        s.marketHash = marketHash;
        s.previous = previous;
        s.accounts = accounts;
        s.committed = true;
{parts["commit_store"]}        emit SnapshotCommitted(epoch, tableRoot, marketHash, previous, accounts);
    }}

    /// Verify one batch (anyone may send it): its statement `fields` and Groth16 proof. Batches
    /// go in order; the snapshot is proven when they cover all its accounts. Reverts on any
    /// refusal, so nothing is recorded for a batch that does not verify.
    function proveBatch(
        uint256[] calldata fields,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) external {{
{parts["prove"]}
        if (fields[F_FIRST_INDEX] != s.provenAccounts) {{
            revert WrongFirstIndex(s.provenAccounts, fields[F_FIRST_INDEX]);
        }}
        uint256 count = fields[F_COUNT];
        uint256 end = s.provenAccounts + count;
        if (count == 0 || count > BATCH_SIZE || end > s.accounts) revert WrongCount(count);
        if (count < BATCH_SIZE && end != s.accounts) revert WrongCount(count);

        uint256 collateral = s.totalCollateral + fields[F_TOTAL_COLLATERAL];
        uint256 requirement = s.totalRequirement + fields[F_TOTAL_REQUIREMENT];
        if (collateral > type(uint120).max || requirement > type(uint120).max) {{
            revert TotalsOverflow();
        }}
        s.provenAccounts = uint64(end);
        s.totalCollateral = uint120(collateral);
        s.totalRequirement = uint120(requirement);
        emit BatchProven(epoch, s.batches, fields[F_BATCH_ROOT], fields);
        s.batches += 1;
        if (end == s.accounts) {{
            s.proven = true;
            emit SnapshotProven(epoch, s.batches, collateral, requirement);
        }}
    }}

    /// Whether the snapshot of `epoch` has every batch proven.
    function isProven(uint256 epoch) external view returns (bool) {{
        return snapshots[epoch].proven;
    }}
{parts["functions"]}}}
"""


def _check_snapshot(indent: str) -> str:
    lines = [
        "Snapshot storage s = snapshots[epoch];",
        "if (s.accounts == 0) revert UnknownSnapshot(epoch);",
        "if (s.proven) revert AlreadyProven(epoch);",
        "if (fields[F_TABLE_ROOT] != s.tableRoot) revert WrongTable(s.tableRoot, fields[F_TABLE_ROOT]);",
        "if (fields[F_MARKET_HASH] != s.marketHash) revert WrongMarket(s.marketHash, fields[F_MARKET_HASH]);",
        "if (fields[F_PREVIOUS] != s.previous) revert WrongPrevious(s.previous, fields[F_PREVIOUS]);",
    ]
    return "\n".join(indent + line for line in lines)


def _hash_design(scalars: list[str]) -> dict[str, str]:
    """The contract's parts when the proof's one public input is the statement hash."""
    verify = "\n".join(f"            {line}" for line in verifier_assembly(["digest"], "ok"))
    return {
        "how": "Statement fields hashed in Solidity, the proof verified against the hash.",
        "constants": f"    uint256 internal constant N_SCALARS = {len(scalars)};",
        "snapshot": "",
        "errors": "    error TooFewFields(uint256 got);",
        "commit": "",
        "commit_store": "",
        "prove": f"""        if (fields.length < N_SCALARS) revert TooFewFields(fields.length);
        for (uint256 i = 0; i < fields.length; i++) {{
            if (fields[i] >= R) revert NotAFieldElement(i);
        }}
        uint256 digest = statementHash(fields);
        if (!verifyDigest(digest, pA, pB, pC)) revert InvalidProof();

        uint256 epoch = fields[F_EPOCH];
{_check_snapshot("        ")}""",
        "functions": f"""
    function verifyDigest(
        uint256 digest,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) internal view returns (bool ok) {{
        assembly {{
{verify}
        }}
    }}

{statement_hash_function()}""",
    }


def folded_base(vk: VerifyingKey, known: dict[int, int]) -> G1:
    """``IC0 + Σ v·IC_(i+1)`` over the public inputs ``i`` of known value ``v``."""
    curve = curve_by_name(vk.curve)
    point = vk.ic[0]
    for i, value in known.items():
        point = curve.g1_add(point, curve.g1_mul(vk.ic[i + 1], value))
    return point


def _fields_design(
    vk: VerifyingKey, scalars: list[str], circuit: tuple[int, int]
) -> dict[str, str]:
    """The contract's parts when the proof's public inputs are the statement's fields."""
    at = {name: scalars.index(name) for name in (*CIRCUIT_FIELDS, *SNAPSHOT_FIELDS)}
    known = {at[name]: value for name, value in zip(CIRCUIT_FIELDS, circuit, strict=True)}
    base_x, base_y = g1_words(folded_base(vk, known))
    folded = {at[n] for n in (*CIRCUIT_FIELDS, *SNAPSHOT_FIELDS)}
    own = [i for i in range(vk.n_public) if i not in folded]
    verify = verifier_assembly(
        [f"calldataload(add(fields.offset, {32 * i}))" for i in own],
        "ok",
        ic=[i + 1 for i in own],
        base=("baseX", "baseY"),
    )
    # commitSnapshot: the snapshot's point, FOLDED_* plus its epoch, table root, market hash and
    # previous
    fold = ["let m := mload(0x40)", "mstore(m, FOLDED_X)", "mstore(add(m, 32), FOLDED_Y)"]
    fold.append("let ok := 1")
    for name in SNAPSHOT_FIELDS:
        k = at[name] + 1
        fold += [
            f"mstore(add(m, 64), IC{k}_X)",
            f"mstore(add(m, 96), IC{k}_Y)",
            f"mstore(add(m, 128), {_camel(name)})",
            "ok := and(ok, staticcall(gas(), 7, add(m, 64), 96, add(m, 64), 64))",
            "ok := and(ok, staticcall(gas(), 6, m, 128, m, 64))",
        ]
    fold += ["if iszero(ok) { revert(0, 0) }", "x := mload(m)", "y := mload(add(m, 32))"]
    below_r = "\n".join(
        f"        if ({_camel(n)} >= R) revert NotAFieldElement(F_{n.upper()});"
        for n in SNAPSHOT_FIELDS
    )
    id_, digest = circuit
    return {
        "how": "Statement fields verified as the proof's public inputs.",
        "constants": f"""    uint256 internal constant N_FIELDS = {vk.n_public};
    // The circuit's constants; with them folded into IC0 (FOLDED_*), a batch's proof is checked
    // against them without paying for them as public inputs.
    uint256 internal constant CIRCUIT_ID = {id_};
    uint256 internal constant CIRCUIT_DIGEST = {digest};
    uint256 internal constant FOLDED_X = {base_x};
    uint256 internal constant FOLDED_Y = {base_y};""",
        "snapshot": """        // FOLDED_* plus the epoch, table root, market hash and previous times their key points
        uint256 baseX;
        uint256 baseY;
""",
        "errors": "    error WrongFieldCount(uint256 got);\n    error WrongCircuit();",
        "commit": below_r + "\n",
        "commit_store": (
            "        (s.baseX, s.baseY) = snapshotBase(epoch, tableRoot, marketHash, previous);\n"
        ),
        "prove": f"""        if (fields.length != N_FIELDS) revert WrongFieldCount(fields.length);
        if (fields[F_CIRCUIT_ID] != CIRCUIT_ID || fields[F_CIRCUIT_DIGEST] != CIRCUIT_DIGEST) {{
            revert WrongCircuit();
        }}
        uint256 epoch = fields[F_EPOCH];
{_check_snapshot("        ")}
        // the other fields are the proof's public inputs: one >= R, or changed, fails it
        if (!verifyFields(s.baseX, s.baseY, fields, pA, pB, pC)) revert InvalidProof();
""",
        "functions": """
    function snapshotBase(uint256 epoch, uint256 tableRoot, uint256 marketHash, uint256 previous)
        internal
        view
        returns (uint256 x, uint256 y)
    {
        assembly {
"""
        + "\n".join(f"            {line}" for line in fold)
        + """
        }
    }

    function verifyFields(
        uint256 baseX,
        uint256 baseY,
        uint256[] calldata fields,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC
    ) internal view returns (bool ok) {
        assembly {
"""
        + "\n".join(f"            {line}" for line in verify)
        + """
        }
    }
""",
    }


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(w.title() for w in rest)
